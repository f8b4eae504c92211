import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, hasChromium, launchChromium } from './helpers/browser.js';
import { TestServer } from './helpers/server.js';
import { AMBIGUOUS, RETURNS } from '../server/ai-agent/test-fixtures.js';

/**
 * The admin console in a real Chromium against a real server: one new owner goes from sign-up to
 * answering a visitor, the way a shop owner would on the first day. The steps share one browser tab
 * and run in order; each `it` is one thing the owner does.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts', 'console');
if (!hasChromium) console.warn(`console browser tests skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)`);

const WEBSITE = 'https://shop.example.com';
const KB_ROWS = [
  ['How long does shipping take?', 'Orders arrive in 3 to 5 business days.', 'Shipping', 'shipping;delivery'],
  ['What is your return policy?', 'You can return any item within 30 days for a full refund.', 'After-sales', 'returns;refund'],
  ['Which payment methods do you accept?', 'We accept Visa, Mastercard and PayPal.', 'Billing', 'payment'],
  ['How do I reset my password?', 'Open Settings, then Change password, and follow the email link.', 'Account', 'password;account'],
];
const csvOf = (rows: string[][]) =>
  ['question,answer,category,tags', ...rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(','))].join('\n') + '\n';

let t: TestServer;
let browser: Browser;
let tab: Page;
const owner = { email: `owner-${Date.now()}@shop.example.com`, password: 'MyPass123!', token: '' };
let websiteToken = '';
const cspProblems: string[] = [];

/** A visitor on the owner's website, through the public widget API as the widget script talks to it. */
async function visitorAsks(message: string) {
  const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, { contact: {}, message });
  expect(created.status).toBe(201);
  const { id, conversation_token: token } = created.body as { id: number; conversation_token: string };
  const widget = (p: string) => `${p}${p.includes('?') ? '&' : '?'}website_token=${websiteToken}&conversation_token=${token}`;
  const botMessages = async (n: number) => {
    let bot: { id: number; content: string; content_attributes: Record<string, any> }[] = [];
    await expect
      .poll(
        async () => {
          const list = (await t.get(widget(`/api/v1/widget/messages?conversation_id=${id}`))).body.data;
          bot = list.filter((m: { sender: { type: string } }) => m.sender.type === 'bot');
          return bot.length;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(n);
    return bot;
  };
  return {
    id,
    botMessages,
    say: (content: string) => t.post(widget('/api/v1/widget/messages'), { conversation_id: id, content }),
    pick: (choicesId: number, title: string, value: string) =>
      t.post(widget('/api/v1/widget/messages'), { conversation_id: id, content: title, submitted_value: value, in_reply_to: choicesId }),
    feedback: (messageId: number, helpful: boolean) => t.post(widget(`/api/v1/widget/messages/${messageId}/feedback`), { helpful }),
  };
}

const shot = (name: string) => tab.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
const go = (route: string) => tab.goto(`${t.url}/app${route}`);

describe.skipIf(!hasChromium)('admin console in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    fs.mkdirSync(artifacts, { recursive: true });
    t = await TestServer.start({ webhookAllowedNetworks: ['127.0.0.0/8'] }); // the test's webhook receiver is on loopback
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    // The server's own CSP is in force on every step: anything it blocks is recorded and fails the last step.
    await context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
    );
    tab = await context.newPage();
    tab.on('console', (m) => {
      if (/Content Security Policy|CSP violation/i.test(m.text())) cspProblems.push(m.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the API error message when signing in with a wrong password', async () => {
    await go('/inbox');
    await tab.waitForURL('**/app/login');
    await tab.getByLabel('Email').fill('nobody@example.com');
    await tab.getByLabel('Password').fill('wrong-password');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    const alert = tab.getByTestId('api-error');
    await alert.waitFor();
    // The words come from the server's {"error":{"message"}}, not a generic "failed".
    const res = await t.post('/nc-api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong-password' });
    expect(await alert.innerText()).toContain(res.body.error.message);
  });

  it('signs a new owner up and lands on onboarding', async () => {
    await tab.getByRole('link', { name: 'Create an account' }).click();
    await tab.getByLabel('Company name').fill('Shop Inc');
    await tab.getByLabel('Email').fill(owner.email);
    await tab.getByLabel('Password').fill(owner.password);
    await tab.getByRole('button', { name: 'Create account' }).click();
    await tab.waitForURL('**/app/onboarding');
    await tab.getByRole('heading', { name: 'Set up Nova Chat' }).waitFor();
    owner.token = (await tab.evaluate(() => localStorage.getItem('nova.console.token')))!;
    expect((await t.get('/nc-api/v1/auth/me', owner.token)).body.user.email).toBe(owner.email);
    await shot('onboarding');
  });

  it('shows a field error next to the field when the website address is refused', async () => {
    await tab.getByTestId('website-url').fill('not a url');
    await tab.getByTestId('bind-website').click();
    await tab.getByText('must be an http(s) origin').waitFor();
    expect((await t.get('/nc-api/v1/account/domains', owner.token)).body.data).toHaveLength(0);
  });

  it('binds a website and shows its snippet', async () => {
    await tab.getByTestId('website-url').fill(WEBSITE);
    await tab.getByTestId('bind-website').click();
    const snippet = tab.getByTestId('onboarding-snippet');
    await snippet.waitFor();
    const domains = (await t.get('/nc-api/v1/account/domains', owner.token)).body.data;
    expect(domains).toHaveLength(1);
    websiteToken = domains[0].website_token;
    expect(await snippet.innerText()).toContain(websiteToken);
    await tab.getByRole('button', { name: 'Next' }).click();
  });

  it('creates an AI agent that then answers that website', async () => {
    await tab.getByTestId('agent-name').fill('Ava');
    await tab.getByTestId('agent-save').click();
    await tab.getByTestId('kb-import-file').waitFor();
    const agents = (await t.get('/nc-api/v1/agents?type=ai', owner.token)).body.data;
    expect(agents.map((a: { bot_name: string }) => a.bot_name)).toEqual(['Ava']);
    const domain = (await t.get('/nc-api/v1/account/domains', owner.token)).body.data[0];
    expect(domain.ai_config).toEqual({ ai_bot_config_id: agents[0].id, is_active: true });
  });

  it('lists each bad row of a refused CSV and imports nothing', async () => {
    const bad = csvOf([KB_ROWS[0]!, ['Where are you based?', '', 'Company', '']]);
    await tab.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await tab.getByTestId('kb-import-submit').click();
    const errors = tab.getByTestId('kb-import-errors');
    await errors.waitFor();
    expect(await errors.innerText()).toMatch(/row 3/);
    expect((await t.get('/nc-api/v1/knowledge_base/items', owner.token)).body.meta.total).toBe(0);
  });

  it('imports a CSV with a progress bar and shows the imported items', async () => {
    await tab.locator('input[type=file]').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf(KB_ROWS)) });
    await tab.getByTestId('kb-import-submit').click();
    const progress = tab.getByTestId('kb-import-progress');
    await progress.waitFor();
    const result = tab.getByTestId('kb-import-result');
    await result.waitFor();
    expect(await result.innerText()).toContain(`Imported ${KB_ROWS.length} items`);
    expect(await tab.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('100');
    for (const [question] of KB_ROWS) expect(await result.innerText()).toContain(question);
    await tab.getByRole('button', { name: 'Finish' }).click();
    await tab.getByText("You're set up").waitFor();

    await go('/kb');
    const rows = tab.getByTestId('kb-item-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(KB_ROWS.length);
    expect(await tab.getByTestId('kb-items').innerText()).toContain('What is your return policy?');
    await shot('kb-items');
  });

  it('searches the knowledge base and shows the scores', async () => {
    await tab.getByRole('tab', { name: 'Test search' }).click();
    await tab.getByTestId('kb-search-input').fill('can I send something back for a refund?');
    await tab.getByRole('button', { name: 'Search' }).click();
    const first = tab.getByTestId('kb-search-hit').first();
    await first.waitFor();
    expect(await first.innerText()).toContain('What is your return policy?');
    const score = Number(await first.getByTestId('search-score').innerText());
    expect(score).toBeGreaterThan(0);
    await shot('kb-search');
  });

  it('sees a visitor message arrive live in the inbox, replies, and the visitor gets the reply', async () => {
    await go('/inbox');
    await tab.getByTestId('realtime-status').and(tab.locator('[data-state="open"]')).waitFor();
    await tab.getByText('No conversations here').waitFor();

    // The visitor writes through the public widget API, as the widget script does.
    const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: { name: 'John', email: 'john@example.com' },
      message: 'Hello, I have a question about my order 4711',
    });
    expect(created.status).toBe(201);
    const { id, conversation_token: conversationToken } = created.body;

    // No reload: the row and the unread count come from the socket.
    const row = tab.getByTestId(`conversation-row-${id}`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain('John');
    await tab.getByText('1 conversation', { exact: true }).waitFor();
    // Unread until opened: on the row and on the Inbox link.
    await tab.getByTestId('nav-unread').waitFor();
    expect(await row.getByTestId('unread-badge').innerText()).toBe('1');
    await row.click();
    await tab.getByTestId('nav-unread').waitFor({ state: 'detached' });
    await tab.waitForURL(`**/app/inbox/${id}`);
    await tab.getByTestId('incoming-message').filter({ hasText: 'order 4711' }).waitFor();

    // A second visitor message while the conversation is open shows up in it live.
    await t.post(`/api/v1/widget/messages?website_token=${websiteToken}&conversation_token=${conversationToken}`, {
      conversation_id: id,
      content: 'It has not arrived yet',
    });
    await tab.getByTestId('incoming-message').filter({ hasText: 'It has not arrived yet' }).waitFor();

    await tab.keyboard.press('r');
    await expect
      .poll(() => tab.evaluate(() => document.activeElement?.getAttribute('data-testid')), { timeout: 5000 })
      .toBe('composer-input');
    await tab.keyboard.type('Sorry about that John, it ships today.');
    await tab.keyboard.press('Enter');
    await tab.getByTestId('outgoing-message').filter({ hasText: 'it ships today' }).waitFor();

    const seen = await t.get(
      `/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}&conversation_token=${conversationToken}`,
    );
    expect(seen.status).toBe(200);
    const reply = seen.body.data.find((m: { content: string }) => m.content === 'Sorry about that John, it ships today.');
    expect(reply).toMatchObject({ message_type: 'outgoing', private: false, sender: { type: 'agent' } });

    // A private note (shortcut n, after Esc leaves the text box) stays with the team.
    await tab.keyboard.press('Escape');
    await tab.keyboard.press('n');
    await tab.getByRole('textbox', { name: 'Private note' }).waitFor();
    await tab.keyboard.type('Customer is a regular, be generous');
    await tab.getByTestId('send-message').click();
    await tab.getByTestId('note-message').filter({ hasText: 'be generous' }).waitFor();
    const after = await t.get(
      `/api/v1/widget/messages?website_token=${websiteToken}&conversation_id=${id}&conversation_token=${conversationToken}`,
    );
    expect(after.body.data.some((m: { content: string }) => m.content.includes('be generous'))).toBe(false);
    await shot('inbox-conversation');

    await tab.getByTestId('resolve-button').click();
    await expect
      .poll(async () => (await t.get(`/nc-api/v1/conversations/${id}`, owner.token)).body.status, { timeout: 10_000 })
      .toBe('resolved');
  });

  it('loads older conversations and earlier messages on request, keeping the reader where they were', async () => {
    const [domain] = (await t.get('/nc-api/v1/account/domains', owner.token)).body.data;
    const start = async (n: number) =>
      (
        await t.post(
          '/nc-api/v1/conversations',
          { domain_id: domain.id, contact: { email: `visitor${n}@example.com` }, message: `message 0 to ${n}` },
          owner.token,
        )
      ).body.id as number;
    // The long conversation first, so that 54 newer ones push it past the first page of 50.
    const longId = await start(0);
    for (let i = 1; i <= 230; i += 10) {
      const batch = Array.from({ length: 10 }, (_, j) => i + j).filter((n) => n <= 230);
      await Promise.all(batch.map((n) => t.post(`/nc-api/v1/conversations/${longId}/messages`, { content: `message ${n}` }, owner.token)));
    }
    for (let n = 1; n <= 54; n += 1) await start(n);

    await go('/inbox');
    await tab.getByText('55 conversations', { exact: true }).waitFor();
    const longRow = tab.getByTestId(`conversation-row-${longId}`);
    expect(await longRow.count()).toBe(0);
    await tab.getByRole('button', { name: 'Load more (5 older)' }).click();
    await longRow.click();
    await tab
      .getByTestId('outgoing-message')
      .filter({ hasText: /^message 230/ })
      .waitFor();
    expect(
      await tab
        .getByTestId('outgoing-message')
        .filter({ hasText: /^message 0 to 0/ })
        .count(),
    ).toBe(0);

    const list = tab.getByTestId('message-list').locator('.mantine-ScrollArea-viewport');
    await list.evaluate((el) => (el.scrollTop = 0));
    await tab.getByRole('button', { name: 'Load earlier messages' }).click();
    await tab
      .getByTestId('outgoing-message')
      .filter({ hasText: /^message 0 to 0/ })
      .waitFor();
    await tab.getByRole('button', { name: 'Load earlier messages' }).waitFor({ state: 'detached' });
    // Neither thrown to the bottom nor left at the very top: the message that was first is still in view.
    const position = await list.evaluate((el) => ({ top: el.scrollTop, bottom: el.scrollHeight - el.clientHeight - el.scrollTop }));
    expect(position.top).toBeGreaterThan(100);
    expect(position.bottom).toBeGreaterThan(100);
    expect(await tab.getByTestId('outgoing-message').count()).toBe(231);
  });

  it("shows the AI agent's choices, the pick and the visitor's feedback in the transcript", async () => {
    expect((await t.post('/nc-api/v1/knowledge_base/items/import', RETURNS, owner.token)).status).toBe(201);
    const visitor = await visitorAsks(AMBIGUOUS);
    const [, choices] = await visitor.botMessages(2);
    expect(choices!.content_attributes.kind).toBe('choices');
    const sofa = choices!.content_attributes.items.find((i: { title: string }) => i.title === RETURNS[0]!.title);
    expect((await visitor.pick(choices!.id, sofa.title, sofa.value)).status).toBe(201);
    const answer = (await visitor.botMessages(3))[2]!;
    expect((await visitor.feedback(answer.id, false)).status).toBe(200);

    await go(`/inbox/${visitor.id}`);
    const offered = tab.getByTestId('choices');
    await offered.waitFor();
    expect(await offered.getByTestId('choice-picked').innerText()).toContain(RETURNS[0]!.title);
    await tab.getByTestId('feedback-not-helpful').waitFor();
    await tab.getByTestId('incoming-message').filter({ hasText: RETURNS[0]!.title }).waitFor();
    await shot('inbox-choices-feedback');
  });

  it("shows a visitor's image (thumbnail fetched with the agent's token, full size in a lightbox), files as links, and the visitor's rating", async () => {
    const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: {},
      message: 'Screenshot of the error',
    });
    const { id, conversation_token } = created.body as { id: number; conversation_token: string };
    const image = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 30, g: 160, b: 90 } } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('conversation_id', String(id));
    form.append('content', 'here it is');
    form.append('attachments[]', new Blob([new Uint8Array(image)]), 'error.png');
    form.append('attachments[]', new Blob(['step 1\nstep 2\n']), 'steps.txt');
    const sent = await t.request('POST', `/api/v1/widget/messages?website_token=${websiteToken}`, undefined, {
      rawBody: form,
      headers: { 'X-Conversation-Token': conversation_token },
    });
    expect(sent.status).toBe(201);
    expect((await t.post(`/nc-api/v1/conversations/${id}/status`, { status: 'resolved' }, owner.token)).status).toBe(200);
    const rated = await t.post(
      `/api/v1/widget/conversations/${id}/rating?website_token=${websiteToken}`,
      { rating: 5, comment: 'Great help' },
      undefined,
      {
        'X-Conversation-Token': conversation_token,
      },
    );
    expect(rated.status).toBe(201);

    await go(`/inbox/${id}`);
    const thumb = tab.getByTestId('attachment-image').locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(480);
    expect(await tab.getByTestId('attachment-file').innerText()).toBe('steps.txt');
    const rating = tab.getByTestId('csat-rating');
    await rating.waitFor();
    await rating.getByRole('img', { name: 'Rated 5 of 5' }).waitFor();
    expect(await rating.innerText()).toContain('Great help');
    await shot('inbox-attachment-csat');
    await tab.getByRole('button', { name: 'Show image error.png' }).click();
    const full = tab.getByRole('dialog').locator('img');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(640);
    await shot('inbox-attachment-lightbox');
    await tab.keyboard.press('Escape');
  });

  it('sends files from the composer (paperclip, with removable previews); the transcript shows them and the visitor gets them', async () => {
    const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: {},
      message: 'Can you send me the invoice and a photo of the parcel?',
    });
    const { id, conversation_token } = created.body as { id: number; conversation_token: string };
    await go(`/inbox/${id}`);
    const photo = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .png()
      .toBuffer();
    await tab.locator('input[type=file]').setInputFiles([
      { name: 'parcel.png', mimeType: 'image/png', buffer: photo },
      { name: 'invoice.txt', mimeType: 'text/plain', buffer: Buffer.from('Invoice 4711\nTotal: 42 EUR\n') },
      { name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one\n') },
    ]);
    const previews = tab.getByTestId('composer-file');
    await expect.poll(() => previews.allInnerTexts()).toEqual(['parcel.png', 'invoice.txt', 'draft.txt']);
    await shot('inbox-composer-files');
    await tab.getByRole('button', { name: 'Remove draft.txt' }).click();
    await expect.poll(() => previews.allInnerTexts()).toEqual(['parcel.png', 'invoice.txt']);
    await tab.getByRole('textbox', { name: 'Reply' }).fill('Here they are');
    await tab.keyboard.press('Enter');

    const sent = tab.getByTestId('outgoing-message').filter({ hasText: 'Here they are' });
    const thumb = sent.getByTestId('attachment-image').locator('img');
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await sent.getByTestId('attachment-file').allInnerTexts()).toEqual(['invoice.txt']);
    expect(await tab.getByTestId('composer-files').count()).toBe(0);
    const seen = (
      await t.get(`/api/v1/widget/messages?website_token=${websiteToken}&conversation_token=${conversation_token}&conversation_id=${id}`)
    ).body.data as {
      content: string;
      attachments?: { filename: string; content_type: string }[];
    }[];
    expect(seen.find((m) => m.content === 'Here they are')?.attachments?.map((a) => [a.filename, a.content_type])).toEqual([
      ['parcel.png', 'image/png'],
      ['invoice.txt', expect.stringMatching(/^text\/plain/)],
    ]);
  });

  it('an agent inserts a suggested answer; the next visitor asking the same question gets it from the AI agent', async () => {
    const question = 'my parcel still has not arrived, how many days does delivery usually take?';
    const visitor = await visitorAsks('I want to talk to a human');
    await visitor.botMessages(2);
    expect((await visitor.say(question)).status).toBe(201);

    await go(`/inbox/${visitor.id}`);
    await tab.getByTestId('incoming-message').filter({ hasText: 'how many days' }).waitFor();
    const panel = tab.getByTestId('assist-panel');
    const first = panel.getByTestId('suggestion').first();
    await first.waitFor({ timeout: 15_000 });
    expect(await first.innerText()).toContain('How long does shipping take?');
    await shot('inbox-assist');
    await first.getByRole('button', { name: /^Insert/ }).click();
    expect(await tab.getByTestId('composer-input').inputValue()).toBe(KB_ROWS[0]![1]);
    expect(await tab.getByTestId('composer-answer').innerText()).toContain('How long does shipping take?');
    await tab.getByTestId('send-message').click();
    const sent = tab.getByTestId('outgoing-message').filter({ hasText: KB_ROWS[0]![1]! }).last();
    await sent.waitFor();
    await tab.getByTestId('answer-item').last().waitFor();

    // The AI agent learned the question: the next visitor who asks it gets the answer directly.
    const next = await visitorAsks(question);
    const [, reply] = await next.botMessages(2);
    expect(reply).toMatchObject({ content: KB_ROWS[0]![1], content_attributes: { kind: 'answer' } });
  });

  it('shows learned alternate questions on the item page, where they can be added and removed, and in the review list', async () => {
    const items = (await t.get('/nc-api/v1/knowledge_base/items?q=shipping', owner.token)).body.data as { id: number; title: string }[];
    const shipping = items.find((i) => i.title === 'How long does shipping take?')!;
    await go('/kb');
    await tab.getByRole('link', { name: 'How long does shipping take?' }).click();
    await tab.waitForURL(`**/app/kb/items/${shipping.id}`);
    const list = tab.getByTestId('alternate-questions');
    const learned = list.getByTestId('alternate-question').filter({ hasText: 'how many days does delivery usually take' });
    await learned.waitFor();
    expect(await learned.getByTestId('question-source').textContent()).toBe('Learned from an agent');

    await list.getByLabel('New alternate question').fill('where is my package');
    await list.getByRole('button', { name: 'Add' }).click();
    const added = list.getByTestId('alternate-question').filter({ hasText: 'where is my package' });
    await added.waitFor();
    expect(await added.getByTestId('question-source').textContent()).toBe('Added by hand');
    await shot('kb-item-questions');
    await added.getByRole('button', { name: 'Remove the question where is my package' }).click();
    await added.waitFor({ state: 'detached' });
    const stored = (await t.get(`/nc-api/v1/knowledge_base/items/${shipping.id}/questions`, owner.token)).body.data;
    expect(stored.map((q: { question: string }) => q.question)).toEqual([
      'my parcel still has not arrived, how many days does delivery usually take?',
    ]);

    await go('/kb?tab=learned');
    const review = tab.getByTestId('learned-question').filter({ hasText: 'how many days does delivery usually take' });
    await review.waitFor();
    expect(await review.innerText()).toContain('How long does shipping take?');
    await shot('kb-learned-questions');
  });

  it('reports how the AI agent did, and turns a question it could not answer into a new item', async () => {
    await go('/reports/ai');
    await tab.getByTestId('stat-questions').waitFor();
    await expect
      .poll(async () => Number((await tab.getByTestId('stat-questions').innerText()).match(/\d+/)![0]), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await tab.getByTestId('stat-requests').innerText()).toMatch(/[1-9]/);
    await tab.locator('.recharts-surface').first().waitFor();
    const gap = tab.getByTestId('unanswered-question').filter({ hasText: AMBIGUOUS });
    await gap.waitFor();
    await shot('ai-report');

    await gap.getByRole('button', { name: 'Write an article' }).click();
    const dialog = tab.getByRole('dialog', { name: 'New knowledge base item' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Question / title').inputValue()).toBe(AMBIGUOUS);
    await dialog.getByLabel('Answer').fill('Furniture of any kind is collected by our carrier: book a pickup on the Returns page.');
    await dialog.getByRole('button', { name: 'Add item' }).click();
    await tab.waitForURL('**/app/kb/items/*');
    await tab.getByRole('heading', { name: AMBIGUOUS }).waitFor();
  });

  it('shows a new API key once and only its prefix afterwards', async () => {
    await go('/settings/api-keys');
    await tab.getByTestId('new-api-key').click();
    await tab.getByTestId('api-key-name').fill('CI sync');
    await tab.getByTestId('create-api-key').click();
    const full = (await tab.getByTestId('full-api-key').innerText()).trim();
    expect(full).toMatch(/^nc_live_/);
    expect((await t.get('/nc-api/v1/account/status', full)).status).toBe(200);
    await tab.getByTestId('api-key-done').click();
    const row = tab.getByTestId('api-key-row').filter({ hasText: 'CI sync' });
    await row.waitFor();
    expect(await tab.locator('body').innerText()).not.toContain(full);
    expect(await row.innerText()).toContain(full.slice(0, 12));
    await shot('api-keys');
  });

  it('creates a webhook, shows its secret once, and lists the signed deliveries', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await go('/settings/webhooks');
      await tab.getByTestId('new-webhook').click();
      await tab.getByTestId('webhook-url').fill(url);
      await tab.getByRole('button', { name: 'Create webhook' }).click();
      const secret = (await tab.getByTestId('webhook-secret').innerText()).trim();
      expect(secret.length).toBeGreaterThan(8);
      await tab.getByTestId('webhook-secret-done').click();
      await tab.getByText(url).waitFor();
      expect(await tab.locator('body').innerText()).not.toContain(secret);

      await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, { contact: { name: 'Eve' }, message: 'Hi there' });
      await expect.poll(() => received.some((r) => r.headers['x-nova-event'] === 'conversation_created'), { timeout: 20_000 }).toBe(true);
      // The secret the console showed is the one deliveries are signed with.
      const delivery = received.find((r) => r.headers['x-nova-event'] === 'conversation_created')!;
      const signed = createHmac('sha256', secret).update(`${delivery.headers['x-nova-timestamp']}.${delivery.body}`).digest('hex');
      expect(delivery.headers['x-nova-signature']).toBe(`sha256=${signed}`);

      await tab.getByTestId('webhook-deliveries-button').click();
      const log = tab.getByTestId('webhook-deliveries');
      await log.waitFor();
      await expect
        .poll(async () => (await tab.getByRole('button', { name: 'Refresh' }).click(), await log.innerText()), { timeout: 15_000 })
        .toMatch(/conversation_created[\s\S]*200/);
      await shot('webhook-deliveries');
      await tab.keyboard.press('Escape');
    } finally {
      receiver.close();
    }
  });

  it('lets the instance owner close sign-up on the Account page; the sign-up page then says so', async () => {
    await go('/account');
    const signUpSwitch = tab.getByRole('switch', { name: /may create an account/ });
    await signUpSwitch.waitFor();
    expect(await signUpSwitch.isChecked()).toBe(true);
    await signUpSwitch.click();
    await expect.poll(async () => (await t.get('/nc-api/v1/instance/settings', owner.token)).body.signup).toBe('closed');
    await expect.poll(() => signUpSwitch.isChecked()).toBe(false);
    const refused = await t.post('/nc-api/v1/accounts', { name: 'Late', email: 'late@shop.example.com', password: 'MyPass123!' });
    expect(refused.body.error.code).toBe('signup_closed');

    // A visitor who is not signed in: no sign-up link, and the sign-up page explains why it cannot be used.
    const visitor = await browser.newPage();
    try {
      await visitor.goto(`${t.url}/app/signup`);
      await visitor.getByTestId('signup-closed').waitFor();
      expect(await visitor.getByRole('button', { name: 'Create account' }).isDisabled()).toBe(true);
      await visitor.goto(`${t.url}/app/login`);
      await visitor.getByRole('button', { name: 'Sign in' }).waitFor();
      await expect.poll(() => visitor.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    } finally {
      await visitor.close();
    }

    await signUpSwitch.click();
    await expect.poll(async () => (await t.get('/nc-api/v1/instance/signup')).body.open).toBe(true);
    await expect.poll(() => signUpSwitch.isChecked()).toBe(true);
    await shot('account-signup-open');
  });

  it('lets the instance owner back up, download and delete; the navigation shows the last backup and warns when it failed', async () => {
    await go('/backups');
    await tab.getByTestId('backup-health').waitFor();
    expect(await tab.getByTestId('nav-backup-status').innerText()).toContain('No backup yet');
    await tab.getByTestId('backup-now').click();
    await tab.getByTestId('backup-row').waitFor();
    expect(await tab.getByTestId('backup-health').innerText()).toContain('Last backup just now');
    const [listed] = (await t.get('/nc-api/v1/instance/backups', owner.token)).body.data;
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('button', { name: `Download ${listed.filename}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(listed.filename);
    const saved = path.join(artifacts, 'downloaded.ncbackup');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).equals(fs.readFileSync(path.join(t.dataDir, 'backups', listed.filename)))).toBe(true);
    fs.rmSync(saved);
    await shot('backups');

    // The backups folder cannot be written (a file in its place): the attempt fails, and every page says so.
    const dir = path.join(t.dataDir, 'backups');
    fs.renameSync(dir, `${dir}-aside`);
    fs.writeFileSync(dir, 'not a folder');
    try {
      await tab.getByTestId('backup-now').click();
      await tab.getByText(/^Failed: /).waitFor();
      await go('/inbox');
      await tab.locator('[data-testid="nav-backup-status"][data-warning="failed"]').waitFor();
      expect(await tab.getByTestId('nav-backup-status').innerText()).toContain('The last backup failed');
      await shot('backups-failed-nav');
    } finally {
      fs.rmSync(dir);
      fs.renameSync(`${dir}-aside`, dir);
    }
    await go('/backups');
    await tab.getByRole('button', { name: `Delete backup ${listed.id}` }).click();
    await tab.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => tab.getByTestId('backup-row').count()).toBe(1);
    expect(fs.existsSync(path.join(dir, listed.filename))).toBe(false);
  });

  it('renders every page without an error, in light and dark, at laptop and phone width', async () => {
    const pages = ['/agents', '/settings/websites', '/settings/team', '/settings/webhooks', '/backups', '/sla', '/account'];
    for (const route of pages) {
      await go(route);
      await tab.getByRole('heading', { level: 2 }).first().waitFor();
      // Every page shows a spinner (aria-busy) until its data is in.
      await expect.poll(() => tab.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0);
      expect(await tab.getByTestId('api-error').count(), `error shown on ${route}`).toBe(0);
      await shot(route.replace(/^\//, '').replace(/\//g, '-'));
    }
    // The first account on an instance owns it, and sees every account's plan.
    expect(await tab.getByTestId('instance-accounts').innerText()).toContain('Shop Inc');
    await tab.getByTestId('color-scheme-toggle').click();
    expect(await tab.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await go('/inbox');
    await tab.getByTestId('conversation-list').or(tab.getByTestId('empty-state')).first().waitFor();
    await shot('inbox-dark');

    await tab.setViewportSize({ width: 390, height: 844 });
    await go('/kb');
    await tab.getByRole('button', { name: 'Toggle navigation' }).click();
    await tab.getByRole('link', { name: 'Account & plan' }).click();
    await tab.waitForURL('**/app/account');
    await tab.getByTestId('usage-kb_items').waitFor();
    const kbItems = (await t.get('/nc-api/v1/knowledge_base/items', owner.token)).body.meta.total;
    expect(await tab.getByTestId('usage-kb_items').innerText()).toContain(`${kbItems} / 50`);
    await shot('account-phone');
    // On a phone the inbox shows the list, then the conversation alone with a way back.
    await go('/inbox');
    await tab.locator('[data-testid^="conversation-row-"]').first().click();
    await tab.getByRole('button', { name: 'Back to conversations' }).waitFor();
    expect(await tab.getByTestId('conversation-list').count()).toBe(0);
    await shot('inbox-phone');
  });
  it('met no Content-Security-Policy violation on any page of the walk above', () => {
    expect(cspProblems).toEqual([]);
  });

  it('cannot be framed by another site, while the console may frame its own pages', async () => {
    const framer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>evil</title><iframe id="victim" src="${t.url}/app/inbox" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    try {
      const evil = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
      await tab.goto(evil);
      const victim = tab.frames().find((f) => f !== tab.mainFrame());
      expect(victim).toBeDefined();
      // Chromium replaces a frame whose ancestors the policy refuses with its error page.
      await expect.poll(() => victim!.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
      expect(cspProblems.join('\n')).toMatch(/frame-ancestors/);
      cspProblems.length = 0;

      await go('/kb');
      const ownFrameRendered = await tab.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const frame = document.createElement('iframe');
            frame.src = '/app/kb';
            frame.onload = () => resolve(!!frame.contentDocument?.getElementById('root'));
            document.body.appendChild(frame);
          }),
      );
      expect(ownFrameRendered).toBe(true);
      expect(cspProblems).toEqual([]);
    } finally {
      await new Promise((resolve) => framer.close(resolve));
    }
  });
});
