import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidgetScripts, ensureConsoleBuilt, hasChromium, hostSite, launchChromium } from './helpers/browser.js';
import { signUp, TestServer } from './helpers/server.js';
import { shopWithAiAgent, Visitor } from '../server/ai-agent/test-fixtures.js';

/**
 * A support agent's day in a real Chromium against a real server: the console in one browser context, the
 * visitor in another, on a website of their own served from loopback with the real widget on it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts', 'console');
if (!hasChromium) console.warn('daily support browser tests skipped: /usr/bin/chromium is not installed');

let t: TestServer;
let browser: Browser;
const sites: { close: () => Promise<void> }[] = [];

/** A new account with a website on its own loopback origin; `visit` opens that website with the widget on it. */
async function newShop() {
  const owner = await signUp(t);
  const site = await hostSite();
  sites.push(site);
  const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: site.origin, label: 'Shop' }, owner.token);
  expect(bound.status).toBe(201);
  const websiteToken = bound.body.website_token as string;
  const url = site.serve(
    `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>` +
      `<script>window.novaChatSettings = { websiteToken: "${websiteToken}", position: "bottom_right" };</script>` +
      `<script src="${t.url}/widget.js"></script></head><body><h1>Shop</h1></body></html>`,
  );
  return {
    ...owner,
    websiteToken,
    domainId: bound.body.domain_id as number,
    async visit() {
      const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
      const tab = await context.newPage();
      await tab.goto(url);
      const widget = tab.locator('nova-chat-widget');
      await widget.locator('button.launcher').click();
      return { context, tab, widget };
    },
  };
}

/** The console signed in as `email` through its sign-in page, in a context of its own. */
async function consoleAs(email: string, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, ...options });
  const tab = await context.newPage();
  await tab.goto(`${t.url}/app/login`);
  await tab.getByLabel('Email').fill(email);
  await tab.getByLabel('Password').fill('MyPass123!');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL(/\/app\/(inbox|onboarding)/);
  // The page it lands on fully loaded and live: a navigation right after would abort its requests half-way.
  await tab.getByTestId('realtime-status').and(tab.locator('[data-state="open"]')).waitFor();
  await expect.poll(() => tab.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0);
  return { context, tab };
}

const shot = (tab: Page, name: string) => tab.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

/** Waits until a page's data is in (every page shows a spinner with aria-busy until then) and no error shows. */
async function settled(tab: Page) {
  await tab.getByRole('heading', { level: 2 }).first().waitFor();
  await expect.poll(() => tab.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0);
  expect(await tab.getByTestId('api-error').count()).toBe(0);
}

describe.skipIf(!hasChromium)('daily support work in Chromium', { timeout: 120_000 }, () => {
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    buildWidgetScripts();
    fs.mkdirSync(artifacts, { recursive: true });
    t = await TestServer.start();
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const site of sites) await site.close();
    await t?.close();
  });

  it('a visitor sends a photo the agent sees; the agent answers with a canned response, labels and finds the conversation, resolves it; the visitor rates it and Reports shows the rating', async () => {
    const shop = await newShop();
    expect(
      (
        await t.post(
          '/nc-api/v1/canned_responses',
          { short_code: 'refund', content: 'Sorry about that! We will refund you in full today.' },
          shop.token,
        )
      ).status,
    ).toBe(201);
    expect((await t.post('/nc-api/v1/canned_responses', { short_code: 'hours', content: 'We are open 9 to 5.' }, shop.token)).status).toBe(
      201,
    );
    expect((await t.post('/nc-api/v1/labels', { title: 'damaged' }, shop.token)).status).toBe(201);
    expect((await t.post('/nc-api/v1/labels', { title: 'billing' }, shop.token)).status).toBe(201);

    const agent = await consoleAs(shop.email);
    contexts.push(agent.context);
    const { tab } = agent;
    await tab.goto(`${t.url}/app/inbox`);
    await tab.getByTestId('realtime-status').and(tab.locator('[data-state="open"]')).waitFor();

    // The visitor writes through the widget on the shop's own page.
    const visitor = await shop.visit();
    contexts.push(visitor.context);
    await visitor.widget.locator('textarea').fill('My parcel arrived with a broken lid, order 5521');
    await visitor.widget.locator('button.send').click();
    await visitor.widget.locator('ol.list .text', { hasText: 'broken lid' }).waitFor();

    // It shows up in the inbox live; the agent opens it.
    const newRow = tab.locator('[data-testid^="conversation-row-"]').filter({ hasText: 'broken lid' });
    await newRow.waitFor({ timeout: 15_000 });
    await newRow.click();
    await tab.waitForURL(/\/app\/inbox\/\d+$/);
    const id = Number(new URL(tab.url()).pathname.split('/').at(-1));
    const row = tab.getByTestId(`conversation-row-${id}`);
    await tab.getByTestId('incoming-message').filter({ hasText: 'order 5521' }).waitFor();

    // The visitor sends a photo of it with the paperclip; it arrives in the open conversation as a thumbnail.
    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 150, g: 110, b: 60 } } })
      .jpeg()
      .toBuffer();
    const chooser = visitor.tab.waitForEvent('filechooser');
    await visitor.widget.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([{ name: 'lid.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    await visitor.widget.locator('textarea').fill('Here is a photo');
    await visitor.widget.locator('button.send').click();
    const photoMessage = tab.getByTestId('incoming-message').filter({ hasText: 'Here is a photo' });
    const thumb = photoMessage.getByTestId('attachment-image').locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);
    await tab.getByRole('button', { name: 'Show image lid.jpg' }).click();
    const full = tab.getByRole('dialog').locator('img');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBe(900);
    await tab.keyboard.press('Escape');
    await tab.getByRole('dialog').waitFor({ state: 'detached' });

    // `/` opens the canned responses; typing filters them, Enter puts the text in place of /code; Enter sends it.
    const reply = tab.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await tab.keyboard.type('Hello! /');
    const picker = tab.getByRole('listbox', { name: 'Canned responses' });
    await expect.poll(() => picker.getByRole('option').count()).toBe(2);
    await tab.keyboard.type('ref');
    await expect.poll(() => picker.getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('/refund')]);
    // The first one is selected for Enter (a keyboard user sees it marked).
    await picker.getByRole('option', { name: /\/refund/, selected: true }).waitFor();
    await shot(tab, 'inbox-canned-picker');
    await tab.keyboard.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe('Hello! Sorry about that! We will refund you in full today.');
    await tab.keyboard.press('Enter');
    await tab.getByTestId('outgoing-message').filter({ hasText: 'We will refund you in full today.' }).waitFor();
    expect(await reply.inputValue()).toBe('');
    // The visitor gets it live.
    await visitor.widget.locator('ol.list .text', { hasText: 'We will refund you in full today.' }).waitFor({ timeout: 10_000 });

    // A label, shown as a chip on the conversation and on its row in the list.
    await tab.getByRole('textbox', { name: 'Add label' }).click();
    await tab.getByRole('option', { name: 'damaged' }).click();
    await tab.getByTestId('conversation-labels').getByText('damaged', { exact: true }).waitFor();
    await row.getByText('damaged', { exact: true }).waitFor();

    // The inbox search finds it by a word of the visitor's message, that word marked in the result.
    await tab.getByRole('textbox', { name: 'Search conversations' }).fill('lid');
    const result = tab.getByTestId('search-result');
    await expect.poll(() => result.count()).toBe(1);
    expect(await result.getByTestId('search-snippet').locator('mark').allInnerTexts()).toEqual(['lid']);
    await shot(tab, 'inbox-search');
    await result.click();
    await tab.getByTestId('incoming-message').filter({ hasText: 'order 5521' }).waitFor();

    await tab.getByTestId('resolve-button').click();
    await tab.getByRole('button', { name: 'Reopen' }).waitFor();

    // The visitor is asked for a rating at once, and gives one.
    const prompt = visitor.widget.getByRole('group', { name: 'How would you rate this conversation?' });
    await prompt.waitFor({ timeout: 15_000 });
    await prompt.getByRole('radio', { name: '4 of 5 stars' }).check();
    await visitor.widget.getByLabel('Anything you want to add? (optional)').fill('Quick and kind');
    await visitor.widget.getByRole('button', { name: 'Send rating' }).click();
    await visitor.widget.getByRole('status').filter({ hasText: 'Thank you for your feedback!' }).waitFor();

    // The agent sees it in the conversation, live, and in the Reports page.
    const rating = tab.getByTestId('csat-rating');
    await rating.getByRole('img', { name: 'Rated 4 of 5' }).waitFor({ timeout: 15_000 });
    expect(await rating.innerText()).toContain('Quick and kind');
    await tab.getByRole('link', { name: 'Reports', exact: true }).click();
    const csat = tab.getByRole('group', { name: 'CSAT', exact: true });
    await csat.waitFor();
    await expect.poll(() => csat.innerText()).toMatch(/4\.0[\s\S]*1 rating\b/);
    expect(await tab.getByRole('group', { name: 'Resolved', exact: true }).getByTestId('figure-value').innerText()).toBe('1');
    await shot(tab, 'reports');
  });

  it('opens a search hit scrolled to its message, even one that is pages above the newest, and marks that message', async () => {
    const shop = await newShop();
    const created = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: shop.domainId, contact: { name: 'Lena' }, message: 'Hello, about my backpack' },
      shop.token,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const say = (content: string) => t.post(`/nc-api/v1/conversations/${id}/messages`, { content }, shop.token);
    expect((await say('The serial number on the label is QX7781, the zipper is torn')).status).toBe(201);
    // More than the conversation first shows (its newest 200) and than one page of earlier ones (100) after it.
    for (let n = 1; n <= 320; n += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => say(`follow-up ${n + j}`)));
      expect(batch.every((r) => r.status === 201)).toBe(true);
    }

    const { tab, context } = await consoleAs(shop.email);
    contexts.push(context);
    await tab.goto(`${t.url}/app/inbox`);
    await tab.getByRole('textbox', { name: 'Search conversations' }).fill('qx7781');
    const result = tab.getByTestId('search-result');
    await expect.poll(() => result.count()).toBe(1);
    await result.click();

    const found = tab.locator('[data-message-id][aria-current="true"]');
    await found.waitFor({ timeout: 15_000 });
    expect(await found.innerText()).toContain('the zipper is torn');
    const viewport = tab.getByTestId('message-list').locator('.mantine-ScrollArea-viewport');
    // In view, and well away from the bottom the conversation otherwise opens at.
    const inView = async () => {
      const [box, view] = [await found.boundingBox(), await viewport.boundingBox()];
      return !!box && !!view && box.y >= view.y && box.y + box.height <= view.y + view.height;
    };
    await expect.poll(inView).toBe(true);
    expect(await viewport.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeGreaterThan(2000);
    expect(await found.evaluate((el) => getComputedStyle(el).boxShadow)).toMatch(/inset/);
    await shot(tab, 'inbox-search-opened');

    // Scrolled away to the newest messages, the same hit opened again brings it back into view.
    await viewport.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => inView()).toBe(false);
    await result.click();
    await expect.poll(() => inView()).toBe(true);

    // Another conversation opened from the list has no marked message.
    await tab.getByRole('button', { name: 'Clear search' }).click();
    await tab.getByTestId(`conversation-row-${id}`).click();
    await tab.waitForURL(`**/app/inbox/${id}`);
    await expect.poll(() => found.count()).toBe(0);
  });

  it('raises a system notification and the chime for a new conversation, a hand-off and an assignment to the agent; with the sound switched off, only the notification', async () => {
    const shop = await shopWithAiAgent(t);
    const { tab, context } = await consoleAs((await t.get('/nc-api/v1/auth/me', shop.token)).body.user.email, {
      permissions: ['notifications'],
    });
    contexts.push(context);
    // Observation only: the page's own Notification and WebAudio run as they would, each use recorded first. Each
    // notification notes how many tones had played by then (the console plays the chime just before notifying).
    await context.addInitScript(() => {
      const seen = { notifications: [] as Notification[], shown: [] as { title: string; body: string; tones: number }[], tones: 0 };
      (window as unknown as { seen: typeof seen }).seen = seen;
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title: string, options?: NotificationOptions) {
          seen.shown.push({ title, body: options?.body ?? '', tones: seen.tones });
          super(title, options);
          seen.notifications.push(this);
        }
      };
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
        seen.tones += 1;
        return start.call(this, when);
      };
    });
    await tab.goto(`${t.url}/app/inbox`);
    await tab.getByTestId('realtime-status').and(tab.locator('[data-state="open"]')).waitFor();
    await tab.getByText('Pick a conversation').waitFor();
    // Permission granted: the inbox no longer offers to ask for it.
    expect(await tab.getByRole('button', { name: 'Desktop alerts' }).count()).toBe(0);

    type Shown = { title: string; body: string; tones: number };
    const seen = () => tab.evaluate(() => (window as unknown as { seen: { shown: Shown[]; tones: number } }).seen);
    async function notified(title: string, body: string | RegExp): Promise<Shown> {
      const matches = (n: Shown) => n.title === title && (typeof body === 'string' ? n.body === body : body.test(n.body));
      await expect.poll(async () => (await seen()).shown.some(matches), { timeout: 30_000, message: `notified: ${title}` }).toBe(true);
      return (await seen()).shown.find(matches)!;
    }

    // A question the AI agent answers: a new conversation, no hand-off yet.
    const carla = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?', { contact: { name: 'Carla' } });
    const created = await notified('New conversation', 'Carla started a conversation');
    expect(created.tones).toBeGreaterThan(0);
    await carla.botMessages(1, 30_000);
    await carla.say('I want to talk to a human');
    const handedOff = await notified('Handed to the team', /handed Carla to a person$/);
    expect(handedOff.tones).toBeGreaterThan(created.tones);

    // A teammate assigns it to the signed-in agent.
    const bob = await t.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'Bob', email: `bob-${Date.now()}@example.com`, password: 'AgentPass1!', role: 'agent' },
      shop.token,
    );
    const bobToken = (await t.post('/nc-api/v1/auth/login', { email: bob.body.email, password: 'AgentPass1!' })).body.token as string;
    const ownerAgentId = (await t.get('/nc-api/v1/auth/me', shop.token)).body.agent_id as number;
    const assigned = await t.post(`/nc-api/v1/conversations/${carla.conversationId}/assign`, { agent_id: ownerAgentId }, bobToken);
    expect(assigned.status).toBe(200);
    const assignedToMe = await notified('Assigned to you', 'Bob assigned you the conversation with Carla');
    expect(assignedToMe.tones).toBeGreaterThan(handedOff.tones);

    // Clicking the notification opens that conversation.
    await tab.evaluate(() => {
      const { notifications } = (window as unknown as { seen: { notifications: Notification[] } }).seen;
      notifications.at(-1)!.onclick!(new Event('click'));
    });
    await tab.waitForURL(`**/app/inbox/${carla.conversationId}`);
    await tab.getByTestId('incoming-message').filter({ hasText: 'talk to a human' }).waitFor();

    // The agent switches the sound off (in the shortcuts dialog): notifications still come, the chime does not.
    await tab.goto(`${t.url}/app/inbox`);
    await tab.getByTestId('realtime-status').and(tab.locator('[data-state="open"]')).waitFor();
    await tab.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const sound = tab.getByRole('switch', { name: /Play a sound/ });
    await sound.click();
    await expect.poll(() => sound.isChecked()).toBe(false);
    await tab.keyboard.press('Escape');
    const dana = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?', { contact: { name: 'Dana' } });
    expect((await notified('New conversation', 'Dana started a conversation')).tones).toBe(0);
    await dana.botMessages(1, 30_000);
    await dana.say('I want to talk to a human');
    expect((await notified('Handed to the team', /handed Dana to a person$/)).tones).toBe(0);
    expect((await seen()).tones).toBe(0);
  });

  it('shows each page of daily support work without an error (screenshots in test/artifacts/console)', async () => {
    const shop = await newShop();
    await t.post('/nc-api/v1/canned_responses', { short_code: 'thanks', content: 'Thank you for your patience!' }, shop.token);
    await t.post('/nc-api/v1/labels', { title: 'vip' }, shop.token);
    const created = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: shop.domainId, contact: { name: 'Ann Smith', email: 'ann@example.com' }, message: 'Where is my parcel?' },
      shop.token,
    );
    expect(created.status).toBe(201);
    const { tab, context } = await consoleAs(shop.email);
    contexts.push(context);
    const pages: [string, string, string][] = [
      ['/settings/canned-responses', 'canned-responses', '/thanks'],
      ['/settings/labels', 'labels', 'vip'],
      ['/contacts', 'contacts', 'Ann Smith'],
      ['/reports', 'reports-empty', 'CSAT'],
    ];
    for (const [route, name, shows] of pages) {
      await tab.goto(`${t.url}/app${route}`);
      await settled(tab);
      await tab.getByText(shows).first().waitFor();
      await shot(tab, name);
    }
    await tab.getByRole('link', { name: 'Contacts' }).click();
    await tab.getByRole('link', { name: 'Ann Smith' }).click();
    await tab.getByTestId('contact-conversations').getByText('Where is my parcel?').waitFor();
    await settled(tab);
    await shot(tab, 'contact');
  });
});
