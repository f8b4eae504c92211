import { afterAll, beforeAll, expect, test } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { openApiDocument } from '../openapi-document.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => t.close());

test('the docs page loads its renderer from this server and forbids outside images (no request leaves the LAN)', async () => {
  const res = await t.get('/developers/docs');
  expect(res.status).toBe(200);
  expect(res.text).toContain('src="/docs-assets/redoc.standalone.js"');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toMatch(/img-src 'self' data:(;|$)/);
  expect(csp).not.toMatch(/https?:/);
  expect(csp).toContain("frame-ancestors 'self'");
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
});

test('the OpenAPI document is built from the route definitions alone, and is the one the server serves', async () => {
  const served = (await t.get('/openapi.json')).body;
  expect(openApiDocument()).toEqual(served);
  // Each module's docs section starts on its own line, so its heading renders as one.
  expect(served.info.description).toMatch(/UTC\.\n\n## /);
  expect(served.info.description).toContain('\n\n## Webhook signatures');
});
