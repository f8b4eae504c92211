import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, TestServer } from './helpers/server.js';
import { AMBIGUOUS, BOT, FAQ, RETURNS } from '../server/ai-agent/test-fixtures.js';

/**
 * The two embeddable scripts in a real Chromium: a host page on its own loopback origin embeds them
 * exactly as the quick-start shows, against a real server.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts');
if (!hasChromium) console.warn(`widget browser tests skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);

type Site = { origin: string; websiteToken: string; widgetCode: string; domainId: number; ownerToken: string; pages: Map<string, string> };

let t: TestServer;
let browser: Browser;
const hosts: http.Server[] = [];

/** A fresh account whose bound website is a tiny host-page server on its own loopback origin. */
async function startSite(): Promise<Site> {
  const pages = new Map<string, string>();
  const host = http.createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hosts.push(host);
  const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const owner = await signUp(t);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: origin, label: 'Test shop' }, owner.token);
  expect(bound.status).toBe(201);
  return {
    origin,
    websiteToken: bound.body.website_token,
    widgetCode: bound.body.widget_code,
    domainId: bound.body.domain_id,
    ownerToken: owner.token,
    pages,
  };
}

const page = (head: string, body = '<h1>Shop</h1><button id="host-button">Buy</button>') =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>\n${head}\n</head><body>${body}</body></html>`;

/** The widget.js template from the quick-start, as written there. */
const widgetSnippet = (site: Site, position = 'bottom_left') =>
  `<!-- Add to your website's <head> --> <script> window.novaChatSettings = { websiteToken: "${site.websiteToken}", position: "${position}" }; </script> <script src="${t.url}/widget.js"></script>`;

/** The SDK one-liner from the quick-start. */
const sdkSnippet = (site: Site, extra = '') =>
  `<script src="${t.url}/nova-widget-sdk-v2.js" data-token="${site.websiteToken}"${extra}></script>`;

async function open(
  site: Site,
  pathname: string,
  html: string,
  init?: (context: BrowserContext) => Promise<unknown>,
  contextOptions: BrowserContextOptions = {},
) {
  site.pages.set(pathname, html);
  const context = await browser.newContext(contextOptions);
  await init?.(context);
  const tab = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  tab.on('pageerror', (err) => errors.push(err.message));
  tab.on('request', (req) => requests.push(req.url()));
  await tab.goto(site.origin + pathname);
  await tab.locator('nova-chat-widget').waitFor({ state: 'attached' });
  return { context, tab, errors, requests };
}

/** Requests of the last-resort transport: GET messages after a known message. */
const polls = (requests: string[]) => requests.filter((u) => u.includes('/api/v1/widget/messages?') && /[?&]after=[1-9]/.test(u));

const widget = (tab: Page) => tab.locator('nova-chat-widget');
const launcher = (tab: Page) => widget(tab).locator('button.launcher');
const dialog = (tab: Page) => widget(tab).getByRole('dialog');
const messageList = (tab: Page) => widget(tab).locator('ol.list');
const messageText = (tab: Page, text: string) => messageList(tab).locator('.text', { hasText: text });

async function sendAsVisitor(tab: Page, text: string) {
  await widget(tab).locator('textarea').fill(text);
  await widget(tab).locator('button.send').click();
}

/** Waits for the widget to create its conversation and returns what it stored for reloads. */
async function storedSession(tab: Page, site: Site) {
  await expect
    .poll(() => tab.evaluate((key) => localStorage.getItem(key), `nova-chat:${site.websiteToken}`), { timeout: 10_000 })
    .toBeTruthy();
  return JSON.parse((await tab.evaluate((key) => localStorage.getItem(key), `nova-chat:${site.websiteToken}`))!) as {
    conversation_id: number;
    conversation_token: string;
    last_event_id: number;
  };
}

async function agentReply(site: Site, conversationId: number, content: string) {
  const res = await t.post(`/nc-api/v1/conversations/${conversationId}/messages`, { content }, site.ownerToken);
  expect(res.status).toBe(201);
  return res.body;
}

/** The focused element inside the widget's shadow root, as `tag.class`. */
const focusedInWidget = (tab: Page) =>
  tab.evaluate(() => {
    const active = document.querySelector('nova-chat-widget')!.shadowRoot!.activeElement;
    return active ? `${active.tagName.toLowerCase()}.${active.className}` : null;
  });

// A browser on a shared 2-core machine: generous time per test, though each usually takes a few seconds.
describe.skipIf(!hasChromium)('widget scripts in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // The tests load dist/public/*.js from the server: bundle the current sources first.
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-widget.mjs')], { cwd: root, stdio: 'pipe' });
    fs.mkdirSync(artifacts, { recursive: true });
    t = await TestServer.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const host of hosts) host.close();
    await t?.close();
  });

  it('widget.js: a visitor chats, the agent reply arrives live, and a reload keeps the conversation', async () => {
    const site = await startSite();
    const { context, tab, errors, requests } = await open(site, '/widget.html', page(widgetSnippet(site)));

    // Accessible launcher, on the left as the snippet asked.
    await expect.poll(() => launcher(tab).getAttribute('aria-label')).toBe('Open chat');
    const box = (await launcher(tab).boundingBox())!;
    expect(box.x).toBeLessThan(tab.viewportSize()!.width / 2);
    await launcher(tab).press('Enter'); // keyboard only
    await dialog(tab).waitFor({ state: 'visible' });
    expect(await dialog(tab).getAttribute('aria-label')).toBe('Chat with us');
    expect(await messageList(tab).getAttribute('aria-live')).toBe('polite');
    expect(await widget(tab).locator('button.send').getAttribute('aria-label')).toBe('Send message');
    expect(await launcher(tab).getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => focusedInWidget(tab)).toBe('textarea.');

    // Pre-chat form: name and email go to the contact of the new conversation.
    await widget(tab).getByLabel('Name').fill('Ada Lovelace');
    await widget(tab).getByLabel('Email').fill('ada@example.com');
    await sendAsVisitor(tab, 'I need help with my order');
    const session = await storedSession(tab, site);
    const conversation = await t.get(`/nc-api/v1/conversations/${session.conversation_id}`, site.ownerToken);
    expect(conversation.body.contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(conversation.body.messages.map((m: { content: string }) => m.content)).toContain('I need help with my order');
    await messageText(tab, 'I need help with my order').waitFor();
    await expect.poll(() => widget(tab).getByLabel('Name').isVisible()).toBe(false);

    // The agent answers from the console API: it shows up without a reload.
    await agentReply(site, session.conversation_id, 'Happy to help. What is the order number?');
    await messageText(tab, 'Happy to help. What is the order number?').waitFor({ timeout: 10_000 });
    await tab.screenshot({ path: path.join(artifacts, 'widget-conversation.png') });
    expect(polls(requests)).toEqual([]); // it came over the WebSocket

    // Escape closes the dialog and gives focus back to the launcher.
    await widget(tab).locator('textarea').press('Escape');
    await dialog(tab).waitFor({ state: 'hidden' });
    expect(await focusedInWidget(tab)).toBe('button.launcher');
    expect(await launcher(tab).getAttribute('aria-expanded')).toBe('false');

    // A reply while closed raises the unread badge; opening clears it.
    await agentReply(site, session.conversation_id, 'Are you still there?');
    await expect.poll(() => launcher(tab).getAttribute('aria-label'), { timeout: 10_000 }).toBe('Open chat, 1 unread');
    expect(await widget(tab).locator('.badge').textContent()).toBe('1');
    await tab.screenshot({ path: path.join(artifacts, 'widget-unread.png') });
    await launcher(tab).click();
    await expect.poll(() => widget(tab).locator('.badge').isVisible()).toBe(false);

    // Reload: same conversation, history refetched, no pre-chat form, still live.
    await tab.reload();
    await launcher(tab).click();
    for (const text of ['I need help with my order', 'Happy to help. What is the order number?', 'Are you still there?']) {
      await messageText(tab, text).waitFor({ timeout: 10_000 });
    }
    expect(await widget(tab).getByLabel('Name').isVisible()).toBe(false);
    await widget(tab).locator('textarea').fill('Order #12345');
    await widget(tab).locator('textarea').press('Enter');
    await agentReply(site, session.conversation_id, 'Found it, it ships today.');
    await messageText(tab, 'Found it, it ships today.').waitFor({ timeout: 10_000 });
    expect((await storedSession(tab, site)).conversation_id).toBe(session.conversation_id);
    const after = await t.get(`/nc-api/v1/conversations/${session.conversation_id}`, site.ownerToken);
    expect(after.body.messages.map((m: { content: string }) => m.content)).toContain('Order #12345');
    const list = await t.get(`/nc-api/v1/conversations?domain_id=${site.domainId}`, site.ownerToken);
    expect(list.body.meta.total).toBe(1);

    // The widget adds one element and no page-level styles.
    expect(await tab.evaluate(() => [...document.body.children].map((e) => e.tagName.toLowerCase()))).toEqual([
      'h1',
      'button',
      'nova-chat-widget',
    ]);
    expect(await tab.evaluate(() => document.styleSheets.length + document.adoptedStyleSheets.length)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('host-page CSS does not reach inside the widget', async () => {
    const site = await startSite();
    const hostile = `<style>
      * { color: rgb(255, 0, 0) !important; font-size: 40px !important; letter-spacing: 9px !important; }
      div, span, p, button, ol, li, form, input, textarea, h2, label { display: none !important; }
      button { background: rgb(0, 255, 0) !important; border: 8px dashed red !important; border-radius: 0 !important; }
    </style>`;
    const { context, tab } = await open(site, '/hostile.html', page(hostile + widgetSnippet(site, 'bottom_right')));
    await launcher(tab).click();
    await dialog(tab).waitFor({ state: 'visible' });
    await sendAsVisitor(tab, 'Can you read this?');
    await messageText(tab, 'Can you read this?').waitFor({ timeout: 10_000 });
    await tab.screenshot({ path: path.join(artifacts, 'widget-hostile-css.png') });

    const styles = await tab.evaluate(() => {
      const shadow = document.querySelector('nova-chat-widget')!.shadowRoot!;
      const pick = (selector: string) => {
        const s = getComputedStyle(shadow.querySelector(selector)!);
        return { display: s.display, color: s.color, fontSize: s.fontSize, letterSpacing: s.letterSpacing, background: s.backgroundColor };
      };
      return {
        launcher: pick('button.launcher'),
        send: pick('button.send'),
        text: pick('.msg .text'),
        who: pick('.msg .who'),
        title: pick('h2'),
      };
    });
    expect(styles.launcher).toMatchObject({ display: 'flex', color: 'rgb(255, 255, 255)', fontSize: '14px', letterSpacing: 'normal' });
    expect(styles.launcher.background).not.toBe('rgb(0, 255, 0)');
    expect(styles.send.display).not.toBe('none');
    expect(styles.send.background).not.toBe('rgb(0, 255, 0)');
    expect(styles.text).toMatchObject({ fontSize: '14px', letterSpacing: 'normal' });
    expect(styles.text.color).not.toBe('rgb(255, 0, 0)');
    expect(styles.who.color).not.toBe('rgb(255, 0, 0)');
    expect(styles.title).toMatchObject({ display: 'block', color: 'rgb(255, 255, 255)', fontSize: '16px' });
    await context.close();
  });

  it('renders message content as text: a <script> or <img onerror> in a message never runs', async () => {
    const site = await startSite();
    // This page pastes the snippet bind-domain answered with, as the console tells site owners to.
    const { context, tab } = await open(site, '/xss.html', page(site.widgetCode));
    await launcher(tab).click();
    const visitorPayload = '<img src=x onerror="window.__novaPwned = 1">';
    await sendAsVisitor(tab, visitorPayload);
    const session = await storedSession(tab, site);
    const agentPayload = '<script>window.__novaPwned = 2</script><img src="nope.png" onerror="window.__novaPwned = 3"><b>bold?</b>';
    await agentReply(site, session.conversation_id, agentPayload);
    await messageText(tab, 'bold?').waitFor({ timeout: 10_000 });

    const rendered = await tab.evaluate(() => {
      const shadow = document.querySelector('nova-chat-widget')!.shadowRoot!;
      return {
        texts: [...shadow.querySelectorAll('.msg .text')].map((n) => n.textContent),
        elements: shadow.querySelectorAll('.list img, .list script, .list b').length,
      };
    });
    expect(rendered.texts).toEqual(expect.arrayContaining([visitorPayload, agentPayload]));
    expect(rendered.elements).toBe(0);
    await tab.reload(); // history rendering takes the same path
    await messageText(tab, 'bold?').waitFor({ state: 'attached', timeout: 10_000 });
    await tab.waitForTimeout(300); // let a broken image fire onerror, if one were ever created
    expect(await tab.evaluate(() => (window as unknown as { __novaPwned?: number }).__novaPwned)).toBeUndefined();
    await context.close();
  });

  it('nova-widget-sdk-v2.js: window.NovaChat open/close/toggle/setUser/on', async () => {
    const site = await startSite();
    const { context, tab } = await open(site, '/sdk.html', page(sdkSnippet(site, ' data-position="bottom_left"')));
    await tab.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const w = window as unknown as { NovaChat: any; events: unknown[] };
          w.events = [];
          for (const name of ['open', 'close', 'message', 'unread']) {
            w.NovaChat.on(name, (detail: any) =>
              w.events.push(name === 'message' ? [name, detail.content] : detail === undefined ? name : [name, detail]),
            );
          }
          w.NovaChat.on('ready', () => resolve());
        }),
    );
    const events = () => tab.evaluate(() => (window as unknown as { events: unknown[] }).events);
    const call = (method: string, arg?: unknown) =>
      tab.evaluate(([m, a]) => (window as any).NovaChat[m as string](a), [method, arg] as const);

    expect((await launcher(tab).boundingBox())!.x).toBeLessThan(tab.viewportSize()!.width / 2);
    await call('open');
    await dialog(tab).waitFor({ state: 'visible' });
    await call('toggle');
    await dialog(tab).waitFor({ state: 'hidden' });
    await call('close'); // already closed: no second event
    await call('toggle');
    await dialog(tab).waitFor({ state: 'visible' });
    expect(await events()).toEqual(['open', 'close', 'open']);

    // setUser replaces the pre-chat form and names the contact.
    await call('setUser', { name: 'Grace Hopper', email: 'grace@example.com' });
    expect(await widget(tab).getByLabel('Name').isVisible()).toBe(false);
    await sendAsVisitor(tab, 'Hello from the SDK');
    const session = await storedSession(tab, site);
    const conversation = await t.get(`/nc-api/v1/conversations/${session.conversation_id}`, site.ownerToken);
    expect(conversation.body.contact).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' });

    await call('close');
    await agentReply(site, session.conversation_id, 'Hi Grace!');
    await expect.poll(events, { timeout: 10_000 }).toContainEqual(['unread', 1]);
    expect(await events()).toEqual([
      'open',
      'close',
      'open',
      ['message', 'Hello from the SDK'],
      'close',
      ['message', 'Hi Grace!'],
      ['unread', 1],
    ]);
    await call('open');
    expect((await events()).slice(-2)).toEqual(['open', ['unread', 0]]);
    await context.close();
  });

  it('identity validation: a page that signs its visitor in chats as the verified contact; a refused hash still chats, unverified', async () => {
    const site = await startSite();
    const secret = (await t.get(`/nc-api/v1/account/domains/${site.domainId}/identity-validation`, site.ownerToken)).body.identity_secret;
    const hash = (email: string, key = secret) => createHmac('sha256', key).update(email).digest('hex');
    // What the site's server renders into the page for its signed-in user.
    const signedIn = (user: Record<string, string>) =>
      page(
        `<script> window.novaChatSettings = { websiteToken: "${site.websiteToken}", user: ${JSON.stringify(user)} }; </script> <script src="${t.url}/widget.js"></script>`,
      );
    const chatAs = async (pathname: string, user: Record<string, string>, text: string) => {
      const opened = await open(site, pathname, signedIn(user));
      const warnings: string[] = [];
      opened.tab.on('console', (message) => warnings.push(message.text()));
      await launcher(opened.tab).click();
      // The site said who this is: no pre-chat form.
      expect(await widget(opened.tab).getByLabel('Name').isVisible()).toBe(false);
      await sendAsVisitor(opened.tab, text);
      await messageText(opened.tab, text).waitFor();
      const session = await storedSession(opened.tab, site);
      const conversation = await t.get(`/nc-api/v1/conversations/${session.conversation_id}`, site.ownerToken);
      await opened.context.close();
      return { contact: conversation.body.contact, warnings };
    };

    const verified = await chatAs(
      '/account.html',
      { name: 'Ada', email: 'ada@example.com', identifier_hash: hash('ada@example.com') },
      'Where is my order?',
    );
    expect(verified.contact).toMatchObject({ name: 'Ada', email: 'ada@example.com', verified: true });
    const again = await chatAs('/account2.html', { email: 'ada@example.com', identifier_hash: hash('ada@example.com') }, 'Me again');
    expect(again.contact).toMatchObject({ id: verified.contact.id, name: 'Ada', verified: true });

    const refused = await chatAs(
      '/stale.html',
      { email: 'ada@example.com', identifier_hash: hash('ada@example.com', 'an old secret') },
      'Hello?',
    );
    expect(refused.contact).toMatchObject({ email: 'ada@example.com', verified: false });
    expect(refused.contact.id).not.toBe(verified.contact.id);
    expect(refused.warnings.some((w) => w.includes('[Nova Chat] identifier_hash refused'))).toBe(true);
  });

  it('server widget settings fill in what the page leaves out; the page wins; locale and AI greeting', async () => {
    const site = await startSite();
    const settings = { title: 'Suporte Loja', color: '#aa3300', locale: 'pt', launcher_text: 'Fale conosco', position: 'bottom_left' };
    expect((await t.put(`/nc-api/v1/account/domains/${site.domainId}`, { widget_settings: settings }, site.ownerToken)).status).toBe(200);
    const agent = await t.post(
      '/nc-api/v1/agents',
      { bot_name: 'Nova', greeting_message: 'Olá! Como posso ajudar?', system_prompt: 'Be brief.' },
      site.ownerToken,
    );
    expect(agent.status).toBe(201);
    const config = await t.post(
      `/nc-api/v1/account/domains/${site.domainId}/ai-config`,
      { ai_bot_config_id: agent.body.id, is_active: true },
      site.ownerToken,
    );
    expect(config.status).toBeLessThan(300);

    // The SDK page sets only its position: everything else comes from the server, in Portuguese.
    const sdk = await open(site, '/sdk-pt.html', page(sdkSnippet(site, ' data-position="bottom_right"')));
    await expect.poll(() => launcher(sdk.tab).getAttribute('aria-label')).toBe('Abrir chat');
    expect(await launcher(sdk.tab).textContent()).toContain('Fale conosco');
    expect((await launcher(sdk.tab).boundingBox())!.x).toBeGreaterThan(sdk.tab.viewportSize()!.width / 2);
    expect(await launcher(sdk.tab).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(170, 51, 0)');
    await launcher(sdk.tab).click();
    expect(await dialog(sdk.tab).getAttribute('aria-label')).toBe('Suporte Loja');
    // The AI agent's greeting comes first, before the visitor writes anything.
    const first = messageList(sdk.tab).locator('.msg').first();
    expect(await first.locator('.who').textContent()).toBe('Nova');
    expect(await first.locator('.text').textContent()).toBe('Olá! Como posso ajudar?');

    // The AI agent stores the greeting after the visitor's first message: it stays on top, shown once.
    await sendAsVisitor(sdk.tab, 'Qual o prazo de entrega?');
    const { conversation_id } = await storedSession(sdk.tab, site);
    const serverTexts = async () => {
      const conversation = await t.get(`/nc-api/v1/conversations/${conversation_id}`, site.ownerToken);
      return (conversation.body.messages as { content: string; private: boolean; message_type: string }[])
        .filter((m) => !m.private && m.message_type !== 'activity')
        .map((m) => m.content);
    };
    await expect.poll(serverTexts, { timeout: 10_000 }).toContain('Olá! Como posso ajudar?');
    const shownAsOnServer = async () => {
      const server = await serverTexts();
      const expected = ['Olá! Como posso ajudar?', ...server.filter((c) => c !== 'Olá! Como posso ajudar?')];
      return JSON.stringify(await messageList(sdk.tab).locator('.msg .text').allTextContents()) === JSON.stringify(expected);
    };
    await expect.poll(shownAsOnServer, { timeout: 10_000 }).toBe(true);
    await sdk.tab.screenshot({ path: path.join(artifacts, 'widget-pt-greeting.png') });
    await sdk.tab.reload();
    await launcher(sdk.tab).click();
    await expect.poll(shownAsOnServer, { timeout: 10_000 }).toBe(true);
    await sdk.context.close();

    // widget.js with page settings: those win over the server's.
    const snippet = `<script> window.novaChatSettings = { websiteToken: "${site.websiteToken}", title: "Ayuda", locale: "es", color: "#006644" }; </script> <script src="${t.url}/widget.js"></script>`;
    const w = await open(site, '/widget-es.html', page(snippet));
    await expect.poll(() => launcher(w.tab).getAttribute('aria-label')).toBe('Abrir chat');
    expect(await launcher(w.tab).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(0, 102, 68)');
    await launcher(w.tab).click();
    expect(await dialog(w.tab).getAttribute('aria-label')).toBe('Ayuda');
    expect(await widget(w.tab).getByRole('button', { name: 'Enviar mensaje' }).count()).toBe(1);
    await w.context.close();

    // A page asking only for another locale gets that locale's texts, not the server's Portuguese ones.
    const es = await open(site, '/sdk-es.html', page(sdkSnippet(site, ' data-locale="es"')));
    await expect.poll(() => launcher(es.tab).getAttribute('aria-label')).toBe('Abrir chat');
    expect(await launcher(es.tab).locator('span').first().textContent()).toBe('Chat');
    await launcher(es.tab).click();
    expect(await dialog(es.tab).getAttribute('aria-label')).toBe('Chatea con nosotros');
    expect(await widget(es.tab).locator('textarea').getAttribute('placeholder')).toBe('Escribe tu mensaje…');
    await es.context.close();
  });

  it('shows the AI agent\'s choices as buttons: a pick by keyboard gets the answer, and "No" under it hands off', async () => {
    const site = await startSite();
    const agent = await t.post('/nc-api/v1/agents', BOT, site.ownerToken);
    await t.post(
      `/nc-api/v1/account/domains/${site.domainId}/ai-config`,
      { ai_bot_config_id: agent.body.id, is_active: true },
      site.ownerToken,
    );
    const items = (await t.post('/nc-api/v1/knowledge_base/items/import', [...FAQ, ...RETURNS], site.ownerToken)).body as {
      id: number;
      title: string;
      content: string;
    }[];
    const sofa = items.find((i) => i.title === RETURNS[0]!.title)!;
    const { tab, errors } = await open(site, '/choices.html', page(widgetSnippet(site, 'bottom_right')));
    await launcher(tab).click();
    await sendAsVisitor(tab, AMBIGUOUS);

    // Real buttons in a labelled group, "talk to a person" last.
    const group = widget(tab).getByRole('group', { name: 'Suggested answers' });
    await group.waitFor({ timeout: 15_000 });
    await expect.poll(() => group.getByRole('button').allTextContents()).toContain(sofa.title);
    expect((await group.getByRole('button').allTextContents()).at(-1)).toBe('Talk to a person');
    await messageText(tab, 'Is your question about one of these?').waitFor();
    await tab.screenshot({ path: path.join(artifacts, 'widget-choices.png') });

    // Keyboard: focus the sofa's button, Enter picks it; the choices are then spent and the message box has focus.
    const sofaButton = group.getByRole('button', { name: sofa.title });
    await sofaButton.focus();
    await sofaButton.press('Enter');
    await messageText(tab, sofa.content).waitFor({ timeout: 15_000 });
    expect(await sofaButton.getAttribute('aria-pressed')).toBe('true');
    for (const button of await group.getByRole('button').all()) expect(await button.isDisabled()).toBe(true);
    await expect.poll(() => focusedInWidget(tab)).toBe('textarea.');
    // The pick shows as the visitor's own message.
    await expect.poll(() => messageList(tab).locator('.msg.mine .text').allTextContents()).toContain(sofa.title);

    // "Did that answer your question?" under the answer; "No" thanks the visitor and hands off.
    const feedback = widget(tab).getByRole('group', { name: 'Did that answer your question?' });
    await feedback.waitFor();
    await tab.screenshot({ path: path.join(artifacts, 'widget-answer-feedback.png') });
    await feedback.getByRole('button', { name: 'No' }).click();
    await widget(tab).getByRole('status').filter({ hasText: 'Thanks for letting us know.' }).waitFor();
    await messageText(tab, "Sorry that didn't help.").waitFor({ timeout: 15_000 });
    const { conversation_id } = await storedSession(tab, site);
    const conversation = (await t.get(`/nc-api/v1/conversations/${conversation_id}`, site.ownerToken)).body;
    expect(conversation).toMatchObject({ status: 'pending', bot_active: false });
    // The question learned from the pick was taken back with the "No".
    expect((await t.get(`/nc-api/v1/knowledge_base/items/${sofa.id}/questions`, site.ownerToken)).body.data).toEqual([]);

    // After a reload the spent choices stay spent and the answer keeps its feedback.
    await tab.reload();
    await launcher(tab).click();
    await messageText(tab, sofa.content).waitFor({ timeout: 10_000 });
    const reloaded = widget(tab).getByRole('group', { name: 'Suggested answers' });
    expect(await reloaded.getByRole('button', { name: sofa.title }).getAttribute('aria-pressed')).toBe('true');
    expect(await reloaded.getByRole('button', { name: sofa.title }).isDisabled()).toBe(true);
    expect(await widget(tab).getByRole('group', { name: 'Did that answer your question?' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a visitor attaches an image (file picker and paste), sees previews before sending, and the thumbnail shows inline', async () => {
    const site = await startSite();
    const { tab, errors } = await open(site, '/attach.html', page(widgetSnippet(site, 'bottom_right')));
    await launcher(tab).click();
    await sendAsVisitor(tab, 'My screen shows an error');
    const session = await storedSession(tab, site);
    await messageText(tab, 'My screen shows an error').waitFor();

    const image = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .png()
      .toBuffer();
    // The paperclip opens the file picker (the hidden input behind it).
    const chooser = tab.waitForEvent('filechooser');
    await widget(tab).getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([{ name: 'error.png', mimeType: 'image/png', buffer: image }]);
    // A pasted screenshot joins it.
    await widget(tab)
      .locator('textarea')
      .first()
      .evaluate(
        (area, bytes) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
          area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        },
        [...image],
      );
    const tray = widget(tab).locator('ul.tray');
    await expect.poll(() => tray.locator('img').count()).toBe(2);
    await widget(tab).getByRole('button', { name: 'Remove pasted.png' }).click();
    await expect.poll(() => tray.locator('li').count()).toBe(1);
    await tab.screenshot({ path: path.join(artifacts, 'widget-attachment-preview.png') });
    await widget(tab).locator('button.send').click();

    // Sent with the files only; the thumbnail is fetched with the conversation token and shown.
    const thumb = widget(tab).getByRole('link', { name: 'Image error.png' }).locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(480);
    expect(await tray.isHidden()).toBe(true);
    await tab.screenshot({ path: path.join(artifacts, 'widget-attachment-sent.png') });
    const shown = (await t.get(`/nc-api/v1/conversations/${session.conversation_id}`, site.ownerToken)).body;
    const sent = shown.messages.at(-1);
    expect(sent.attachments).toMatchObject([{ filename: 'error.png', content_type: 'image/png', size: image.length }]);
    // An agent's reply with a PDF shows as a download link.
    const pdf = new FormData();
    pdf.append('content', 'Here is the manual');
    pdf.append('attachments[]', new Blob(['%PDF-1.4\n%%EOF\n']), 'manual.pdf');
    expect(
      (
        await t.request('POST', `/nc-api/v1/conversations/${session.conversation_id}/messages`, undefined, {
          rawBody: pdf,
          token: site.ownerToken,
        })
      ).status,
    ).toBe(201);
    await widget(tab).getByRole('link', { name: 'Download manual.pdf' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('asks for a rating when the conversation is resolved; the rating shows in the transcript and is asked again after a new resolution', async () => {
    const site = await startSite();
    const { tab, errors } = await open(site, '/rate.html', page(widgetSnippet(site, 'bottom_right')));
    await launcher(tab).click();
    await sendAsVisitor(tab, 'Thanks, that solved it');
    const { conversation_id } = await storedSession(tab, site);
    await messageText(tab, 'Thanks, that solved it').waitFor();
    expect(await widget(tab).locator('form.csat').count()).toBe(0);

    await t.post(`/nc-api/v1/conversations/${conversation_id}/status`, { status: 'resolved' }, site.ownerToken);
    const prompt = widget(tab).getByRole('group', { name: 'How would you rate this conversation?' });
    await prompt.waitFor({ timeout: 10_000 });
    // Keyboard: the stars are a radio group.
    await prompt.getByRole('radio', { name: '3 of 5 stars' }).focus();
    await tab.keyboard.press('ArrowRight');
    expect(await prompt.getByRole('radio', { name: '4 of 5 stars' }).isChecked()).toBe(true);
    await widget(tab).getByLabel('Anything you want to add? (optional)').fill('Quick answer');
    await tab.screenshot({ path: path.join(artifacts, 'widget-csat.png') });
    await widget(tab).getByRole('button', { name: 'Send rating' }).click();
    await widget(tab).getByRole('status').filter({ hasText: 'Thank you for your feedback!' }).waitFor();
    const shown = (await t.get(`/nc-api/v1/conversations/${conversation_id}`, site.ownerToken)).body;
    expect(shown.csat).toMatchObject({ rating: 4, comment: 'Quick answer' });

    // After a reload a rated resolution does not ask again.
    await tab.reload();
    await launcher(tab).click();
    await messageText(tab, 'Thanks, that solved it').waitFor({ timeout: 10_000 });
    await messageList(tab).locator('.activity', { hasText: 'rated the conversation 4/5' }).waitFor({ timeout: 10_000 });
    expect(await widget(tab).locator('form.csat').count()).toBe(0);
    // Reopened and resolved again: asked again.
    await sendAsVisitor(tab, 'One more question');
    await messageText(tab, 'One more question').waitFor();
    await t.post(`/nc-api/v1/conversations/${conversation_id}/status`, { status: 'resolved' }, site.ownerToken);
    await widget(tab).getByRole('group', { name: 'How would you rate this conversation?' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('a message whose stored copy arrives on the socket before the send returns shows once', async () => {
    const site = await startSite();
    const { tab, errors } = await open(site, '/overtake.html', page(widgetSnippet(site, 'bottom_right')));
    await launcher(tab).click();
    await sendAsVisitor(tab, 'First message');
    await storedSession(tab, site);
    await messageText(tab, 'First message').waitFor();
    // Hold the send's response back; its message_created event still comes over the socket.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await tab.route('**/api/v1/widget/messages?*', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await sendAsVisitor(tab, 'Overtaken by its event');
    await messageList(tab).locator('li:not(.pending) .text', { hasText: 'Overtaken by its event' }).waitFor({ timeout: 10_000 });
    expect(await messageText(tab, 'Overtaken by its event').count()).toBe(1);
    release();
    await expect.poll(() => widget(tab).locator('button.send').isDisabled()).toBe(false);
    expect(await messageText(tab, 'Overtaken by its event').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it("speaks the visitor's browser language when neither the site owner nor the page chose one", async () => {
    const site = await startSite();
    const spanish = await open(site, '/browser-es.html', page(sdkSnippet(site)), undefined, { locale: 'es-ES' });
    await expect.poll(() => launcher(spanish.tab).getAttribute('aria-label')).toBe('Abrir chat');
    await launcher(spanish.tab).click();
    expect(await dialog(spanish.tab).getAttribute('aria-label')).toBe('Chatea con nosotros');
    await spanish.context.close();
  });

  it('on a phone-sized screen the panel takes the whole screen and closes with its own button', async () => {
    const site = await startSite();
    site.pages.set('/phone.html', page(sdkSnippet(site)));
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    const tab = await context.newPage();
    await tab.goto(site.origin + '/phone.html');
    await launcher(tab).tap();
    await dialog(tab).waitFor({ state: 'visible' });
    expect(await dialog(tab).boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    await tab.screenshot({ path: path.join(artifacts, 'widget-phone.png') });
    await widget(tab).getByRole('button', { name: 'Close chat' }).tap();
    await dialog(tab).waitFor({ state: 'hidden' });
    await context.close();
  });

  it('a wrong website token or an unbound page origin shows nothing and says why in the console', async () => {
    const site = await startSite();
    site.pages.set('/wrong.html', page(sdkSnippet({ ...site, websiteToken: 'wk_live_not_a_real_token' })));
    const context = await browser.newContext();
    const tab = await context.newPage();
    const warnings: string[] = [];
    tab.on('console', (message) => warnings.push(message.text()));
    await tab.goto(site.origin + '/wrong.html');
    await expect
      .poll(() => warnings.some((w) => w.includes('[Nova Chat] widget disabled') && w.includes('wrong website token')))
      .toBe(true);
    expect(await tab.locator('nova-chat-widget').count()).toBe(0);

    // The right token on a page whose origin is not the bound website: the server's CORS keeps it out.
    const elsewhere = `http://localhost:${new URL(site.origin).port}`;
    site.pages.set('/elsewhere.html', page(sdkSnippet(site)));
    warnings.length = 0;
    await tab.goto(elsewhere + '/elsewhere.html');
    await expect.poll(() => warnings.some((w) => w.includes(`origin ${elsewhere} is not the bound website`))).toBe(true);
    expect(await tab.locator('nova-chat-widget').count()).toBe(0);
    await context.close();
  });

  it('typing indicators travel both ways over the socket', async () => {
    const site = await startSite();
    const { context, tab } = await open(site, '/typing.html', page(widgetSnippet(site)));
    await launcher(tab).click();
    await sendAsVisitor(tab, 'Anyone there?');
    const session = await storedSession(tab, site);

    // An agent's console socket, as the console opens it.
    const agentSocket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/realtime?access_token=${site.ownerToken}`);
    const seen: { type: string; data: { typing?: boolean; sender?: { type: string } } }[] = [];
    agentSocket.on('message', (raw) => seen.push(JSON.parse(String(raw))));
    await new Promise((resolve, reject) => agentSocket.once('open', resolve).once('error', reject));

    await widget(tab).locator('textarea').pressSequentially('I am typ');
    await expect
      .poll(() => seen.some((e) => e.type === 'typing' && e.data.typing === true && e.data.sender?.type === 'contact'), { timeout: 10_000 })
      .toBe(true);

    agentSocket.send(JSON.stringify({ type: 'typing', conversation_id: session.conversation_id, typing: true }));
    await widget(tab).locator('.typing', { hasText: 'is typing' }).waitFor({ timeout: 10_000 });
    agentSocket.send(JSON.stringify({ type: 'typing', conversation_id: session.conversation_id, typing: false }));
    await widget(tab).locator('.typing').waitFor({ state: 'hidden', timeout: 10_000 });
    agentSocket.close();
    await context.close();
  });

  it('reconnects after the socket drops and resumes from the last event id', async () => {
    const site = await startSite();
    const sockets: WebSocketRoute[] = [];
    const { context, tab } = await open(site, '/drop.html', page(widgetSnippet(site)), (ctx) =>
      ctx.routeWebSocket(/\/realtime/, (ws) => {
        ws.connectToServer();
        sockets.push(ws);
      }),
    );
    await launcher(tab).click();
    await sendAsVisitor(tab, 'Please keep me posted');
    const session = await storedSession(tab, site);
    await agentReply(site, session.conversation_id, 'First update');
    await messageText(tab, 'First update').waitFor({ timeout: 10_000 });
    expect(sockets).toHaveLength(1);

    // The network drops the socket; a reply is posted while the widget is away.
    await sockets[0]!.close({ code: 4000, reason: 'network lost' });
    await agentReply(site, session.conversation_id, 'Second update, sent while you were away');
    await messageText(tab, 'Second update, sent while you were away').waitFor({ timeout: 15_000 });
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    const resumedFrom = Number(new URL(sockets[1]!.url()).searchParams.get('last_event_id'));
    expect(resumedFrom).toBeGreaterThan(0);
    expect(await messageList(tab).locator('.text', { hasText: 'Second update' }).count()).toBe(1);
    await context.close();
  });

  it('falls back to SSE without WebSocket, and to polling without either', async () => {
    const site = await startSite();
    for (const [name, remove] of [
      ['sse', 'delete window.WebSocket;'],
      ['poll', 'delete window.WebSocket; delete window.EventSource;'],
    ] as const) {
      const { context, tab, requests } = await open(site, `/${name}.html`, page(widgetSnippet(site)), (ctx) =>
        ctx.addInitScript({ content: remove }),
      );
      await launcher(tab).click();
      await sendAsVisitor(tab, `Hello over ${name}`);
      const session = await storedSession(tab, site);
      await agentReply(site, session.conversation_id, `Answer over ${name}`);
      await messageText(tab, `Answer over ${name}`).waitFor({ timeout: 15_000 });
      if (name === 'sse') {
        expect(requests.some((u) => u.includes('/realtime/sse?'))).toBe(true);
        expect(polls(requests)).toEqual([]); // it came over the event stream
      } else {
        expect(polls(requests).length).toBeGreaterThan(0);
      }
      await context.close();
    }
  });
});
