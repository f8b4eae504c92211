import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from './helpers/server.js';
import { HttpsCalls, makeCertificate, type TestCertificate } from './helpers/tls.js';

/**
 * The issue-14 case in a real Chromium 156: a shop's page the browser treats as public, on https://, embeds the
 * widget from this box, which the browser treats as a machine on the visitor's LAN (both really on loopback,
 * told apart with --ip-address-space-overrides). Chromium no longer sends Private Network Access preflights: it
 * needs the visitor's "local network" permission (Local Network Access), which a test grants through the
 * browser context the way a visitor clicking "Allow" does. Without it everything is refused before any request
 * reaches the box: what a visitor who clicks "Block" gets (README, Deployment).
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!hasChromium) console.warn(`LAN widget browser tests skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

const DENIED = 'Permission was denied for this request to access the `local` address space';

let dir: string;
let certificate: TestCertificate;
let box: TestServer;
/** The box's API over HTTPS, trusting the test certificate. */
let api: HttpsCalls;
let shop: https.Server;
let shopOrigin: string;
let browser: Browser;
let owner: { token: string };
let widgetCode: string;

describe.skipIf(!hasChromium)('a public https page using the widget from a box on the visitor’s LAN', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-widget.mjs')], { cwd: root, stdio: 'pipe' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-lan-widget-'));
    certificate = await makeCertificate(dir, 'box');
    box = await TestServer.start({ tlsCertFile: certificate.certFile, tlsKeyFile: certificate.keyFile });
    api = new HttpsCalls(box.url, certificate.cert);

    // The shop's website: one https page holding whatever snippet the test puts there.
    let html = '';
    shop = https.createServer({ cert: certificate.cert, key: certificate.key }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html),
    );
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopOrigin = `https://127.0.0.1:${(shop.address() as AddressInfo).port}`;

    owner = await signUp(api);
    const bound = await api.post('/nc-api/v1/account/bind-domain', { website_url: shopOrigin, label: 'Shop' }, owner.token);
    expect(bound.status).toBe(201);
    widgetCode = bound.body.widget_code;
    expect(widgetCode).toContain(`src="${box.url}/widget.js"`); // the snippet names the box over https
    html = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>${widgetCode}</head><body><h1>Shop</h1></body></html>`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The test certificate is trusted by its public key, as an installed CA would make a real one.
        `--ignore-certificate-errors-spki-list=${certificate.spki}`,
        `--ip-address-space-overrides=127.0.0.1:${(shop.address() as AddressInfo).port}=public,127.0.0.1:${box.server.port}=local`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    shop?.closeAllConnections();
    shop?.close();
    await box?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function visit(allowLocalNetwork: boolean) {
    const context = await browser.newContext();
    // Granted before the page asks: what "Allow" on the prompt does (a grant while a request waits does not release it).
    if (allowLocalNetwork) await context.grantPermissions(['local-network-access'], { origin: shopOrigin });
    const tab = await context.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await tab.goto(shopOrigin + '/');
    return { context, tab, consoleErrors };
  }

  const widget = (tab: Page) => tab.locator('nova-chat-widget');
  const conversations = async () => (await api.get('/nc-api/v1/conversations', owner.token)).body.data as { id: number }[];

  it('with the visitor’s local-network permission: the widget loads, the message reaches the console, the reply comes back live', async () => {
    const { context, tab } = await visit(true);
    try {
      expect(await tab.evaluate(() => window.isSecureContext)).toBe(true);
      await widget(tab).locator('button.launcher').click();
      await widget(tab).getByLabel('Name').fill('Grace');
      await widget(tab).getByLabel('Email').fill('grace@example.com');
      await widget(tab).locator('textarea').fill('Is my order on its way?');
      await widget(tab).locator('button.send').click();

      // The console's side: the agent API lists the conversation with the visitor's message.
      await expect.poll(async () => (await conversations()).length, { timeout: 15_000 }).toBe(1);
      const [conversation] = await conversations();
      const detail = await api.get(`/nc-api/v1/conversations/${conversation!.id}`, owner.token);
      expect(detail.body.messages.map((m: { content: string }) => m.content)).toContain('Is my order on its way?');

      // An agent's reply travels back over the realtime connection to the LAN box.
      const reply = await api.post(`/nc-api/v1/conversations/${conversation!.id}/messages`, { content: 'It ships today.' }, owner.token);
      expect(reply.status).toBe(201);
      await widget(tab).locator('ol.list .text', { hasText: 'It ships today.' }).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  });

  it('without it (a visitor who clicks "Block"; headless never prompts): the widget script is refused and nothing reaches the box', async () => {
    const before = (await conversations()).length;
    const { context, tab, consoleErrors } = await visit(false);
    try {
      await expect.poll(() => consoleErrors.some((e) => e.includes(DENIED)), { timeout: 15_000 }).toBe(true);
      expect(consoleErrors.find((e) => e.includes(DENIED))).toContain(`${box.url}/widget.js`);
      expect(await widget(tab).count()).toBe(0);
      expect(await tab.evaluate(() => 'NovaChat' in window)).toBe(false);
      expect((await conversations()).length).toBe(before);
    } finally {
      await context.close();
    }
  });
});
