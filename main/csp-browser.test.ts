import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../test/helpers/server.js';
import { consoleCsp } from './window-security.js';

// The CSP the desktop window adds (main/window-security.ts) applied to the real console and API docs in
// Chromium: every page must work under it with no violation, while an injected inline script is refused.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const hasConsole = fs.existsSync(new URL('../dist/renderer/index.html', import.meta.url));
if (!hasChromium || !hasConsole) console.warn('CSP browser test skipped: needs /usr/bin/chromium and a built console (npm run build)');

let t: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
// Redoc always tries to show its vendor's logo from the internet; the CSP blocking that is the point (an
// offline product makes no outside request). Anything else blocked is a broken page.
const unexpectedProblems = () => problems.filter((p) => !/(image '|img-src )https:\/\/cdn\.redoc\.ly\//.test(p));
const sockets: string[] = [];

describe.skipIf(!hasChromium || !hasConsole)('console under the desktop CSP', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    t = await TestServer.start();
    const signUp = await t.post('/nc-api/v1/accounts', {
      name: 'Corner Shop',
      email: 'owner@corner.test',
      password: 'correct horse battery',
    });
    const origin = new URL(t.url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const context = await browser.newContext();
    // What Electron's onHeadersReceived hook does for the server's responses.
    await context.route(`${origin}/**`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': consoleCsp(origin) } });
    });
    await context.addInitScript((token: string) => {
      localStorage.setItem('nova.console.token', token);
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    }, signUp.body.token as string);
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|CSP violation/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('websocket', (ws) => sockets.push(ws.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['/app/', '/app/inbox', '/app/kb', '/app/settings/websites', '/developers/docs'])(
    '%s renders with no violation',
    async (route) => {
      problems.length = 0;
      await page.goto(t.url + route, { waitUntil: 'networkidle' });
      const rendered = await page.evaluate(() => document.body.innerText.trim().length);
      expect(rendered).toBeGreaterThan(0);
      expect(unexpectedProblems()).toEqual([]);
    },
  );

  it('lets the signed-in console open its realtime socket', async () => {
    await page.goto(`${t.url}/app/inbox`, { waitUntil: 'networkidle' });
    expect(sockets.some((url) => url.startsWith(`${t.url.replace('http', 'ws')}/realtime`))).toBe(true);
    expect(unexpectedProblems()).toEqual([]);
  });

  it('refuses a script injected into the page', async () => {
    problems.length = 0;
    await page.goto(`${t.url}/app/`, { waitUntil: 'networkidle' });
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(problems.join('\n')).toMatch(/script-src/);
  });
});
