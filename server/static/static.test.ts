import fs from 'node:fs';
import http from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { PUBLIC_DIR, RENDERER_DIR } from '../paths.js';

let t: TestServer;
beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIR}/index.html`) || !fs.existsSync(`${PUBLIC_DIR}/widget.js`))
    throw new Error('dist/ is missing: run `npm run build` first');
  t = await TestServer.start();
});
afterAll(() => t?.close());

/** A GET with the path sent exactly as written (fetch and browsers would normalise `..` away first). */
function rawGet(rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const firstAsset = () => fs.readdirSync(`${RENDERER_DIR}/assets`).find((name) => name.endsWith('.js'))!;

describe('paths that climb out of the served folders', () => {
  // The same answer whether or not the target exists, so nothing about the disk can be learnt.
  const climbing = [
    '/app/../../etc/passwd',
    '/app/../../no/such/file',
    '/app/assets/../../../package.json',
    '/app/%2e%2e/%2e%2e/etc/passwd',
    '/app/..%2f..%2f..%2fpackage.json',
    '/app/assets/..%5c..%5c..%5cpackage.json',
    '/app/%00index.html',
    '/app/%E0%A4%A',
    '/../package.json',
    '/%2e%2e/package.json',
    '/docs-assets/../../../package.json',
    '/docs-assets/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/widget.js/../../../package.json',
  ];

  it.each(climbing)('%s is a JSON 404', async (rawPath) => {
    const res = await rawGet(rawPath);
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 404, type: expect.stringMatching(/json/) });
    expect(JSON.parse(res.text).error.code).toBe('not_found');
    expect(res.text).not.toMatch(/root:|nova-chat-desktop/);
  });

  it('still serves the console, its assets, the widget scripts and the docs bundle', async () => {
    const page = await rawGet('/app/settings/websites');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    const asset = await rawGet(`/app/assets/${firstAsset()}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await rawGet('/app/assets/no-such-chunk.js')).status).toBe(404);
    const widget = await rawGet('/widget.js');
    expect({ status: widget.status, type: widget.headers['content-type'] }).toEqual({
      status: 200,
      type: expect.stringMatching(/javascript/),
    });
    expect((await rawGet('/docs-assets/redoc.standalone.js')).status).toBe(200);
    expect((await rawGet('/no-such-script.js')).status).toBe(404);
  });
});

describe('the console page headers', () => {
  it('sends a strict CSP that no other site may frame, and X-Frame-Options', async () => {
    for (const rawPath of ['/app', '/app/', '/app/inbox']) {
      const res = await rawGet(rawPath);
      expect(res.status, rawPath).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, rawPath).toContain("frame-ancestors 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });
});

describe('a client that goes away in the middle of a file', () => {
  it('is logged at debug, not printed as a server error', async () => {
    const lines: { msg: string; path?: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const printed = vi.spyOn(console, 'error');
    const own = await TestServer.start({ logger });
    try {
      const biggest = fs
        .readdirSync(`${RENDERER_DIR}/assets`)
        .map((name) => ({ name, size: fs.statSync(`${RENDERER_DIR}/assets/${name}`).size }))
        .sort((a, b) => b.size - a.size)[0]!;
      expect(biggest.size).toBeGreaterThan(256 * 1024);
      const { hostname, port } = new URL(own.url);
      // Read nothing past the first bytes, then hang up, as a tab closed while the console loads does.
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: hostname, port, path: `/app/assets/${biggest.name}` }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
      });
      await vi.waitFor(() => expect(lines.some((l) => l.msg === 'client went away during the response')).toBe(true), { timeout: 10_000 });
      expect(printed).not.toHaveBeenCalled();
      expect(lines.filter((l) => l.msg === 'response failed')).toEqual([]);
    } finally {
      printed.mockRestore();
      await own.close();
    }
  });
});
