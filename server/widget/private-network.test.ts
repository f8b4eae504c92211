import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite } from '../conversations/test-fixtures.js';

// Private Network Access preflights, as the Chromium releases that sent them did (156 no longer does; see
// test/lan-widget-browser.test.ts for what it needs instead): plain HTTP requests carrying the header.
let t: TestServer;
let websiteToken: string;
beforeAll(async () => {
  t = await TestServer.start();
  ({ websiteToken } = await accountWithWebsite(t, 'https://shop.example'));
});
afterAll(() => t.close());

const preflight = (path: string, origin: string, privateNetwork = true) =>
  t.request('OPTIONS', path, undefined, {
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': path.endsWith('.js') ? 'GET' : 'POST',
      ...(path.endsWith('.js') ? {} : { 'Access-Control-Request-Headers': 'content-type' }),
      ...(privateNetwork ? { 'Access-Control-Request-Private-Network': 'true' } : {}),
    },
  });

describe('Private Network Access preflights', () => {
  it('are allowed on the widget API for the bound website', async () => {
    for (const path of [
      `/api/v1/widget/conversations?website_token=${websiteToken}`,
      `/api/v1/widget/config?website_token=${websiteToken}`,
    ]) {
      const res = await preflight(path, 'https://shop.example');
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-private-network')).toBe('true');
    }
  });

  it('are allowed on /widget.js and /nova-widget-sdk-v2.js for an origin some account has bound', async () => {
    for (const path of ['/widget.js', '/nova-widget-sdk-v2.js']) {
      const res = await preflight(path, 'https://shop.example');
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-private-network')).toBe('true');
      // The script itself still loads with a plain GET.
      expect((await t.get(path)).status).toBe(200);
    }
  });

  it('are refused (403, no allow headers) for an origin that is not bound', async () => {
    for (const path of ['/widget.js', '/nova-widget-sdk-v2.js', `/api/v1/widget/conversations?website_token=${websiteToken}`]) {
      const res = await preflight(path, 'https://evil.example');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('origin_not_allowed');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-private-network')).toBeNull();
    }
  });

  it('say nothing about the private network to a preflight that does not ask', async () => {
    const res = await preflight(`/api/v1/widget/conversations?website_token=${websiteToken}`, 'https://shop.example', false);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-private-network')).toBeNull();
    const script = await preflight('/widget.js', 'https://shop.example', false);
    expect(script.status).toBe(204);
    expect(script.headers.get('access-control-allow-private-network')).toBeNull();
  });
});
