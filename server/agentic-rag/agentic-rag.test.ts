import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { shopWithAiAgent, startLlmStandIn, Visitor } from '../ai-agent/test-fixtures.js';

const ANALYZE = '/nc-api/v1/agentic-rag/analyze';
const DRAFTS = '/nc-api/v1/agentic-rag/drafts';

/** The first account owns the instance: it moves the others to a plan with agentic RAG. */
async function setPlan(t: TestServer, instanceOwner: string, accountId: number, plan: string) {
  const res = await t.put(`/nc-api/v1/accounts/${accountId}/plan`, { plan }, instanceOwner);
  if (res.status !== 200) throw new Error(`plan change failed: ${res.status} ${res.text}`);
}

/**
 * A widget conversation the bot could not answer: handed off, answered by a human twice, then resolved.
 * The first question was answered by the bot from the KB, so it must not come back as a draft.
 */
async function resolvedSupportConversation(t: TestServer, shop: { token: string; websiteToken: string }) {
  const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
  await visitor.botMessages(2);
  await visitor.say('Do you offer gift wrapping for birthday presents?');
  await visitor.botMessages(3); // the hand-off
  const reply = (content: string) => t.post(`/nc-api/v1/conversations/${visitor.conversationId}/messages`, { content }, shop.token);
  expect((await reply('Yes! Gift wrapping costs 3 EUR per item; tick "gift" at checkout.')).status).toBe(201);
  await visitor.say('Great.');
  await visitor.say('And can I add a personal card?');
  await reply('Sure, the card is free and you can type up to 200 characters.');
  await reply('Anything else I can help with?');
  return visitor.conversationId;
}

const resolve = (t: TestServer, token: string, id: number) =>
  t.post(`/nc-api/v1/conversations/${id}/status`, { status: 'resolved' }, token);

describe('agentic RAG without an LLM (pairing)', () => {
  let t: TestServer;
  let instanceOwner: string;
  beforeAll(async () => {
    t = await TestServer.start();
    instanceOwner = (await signUp(t)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('extracts the human-answered Q&A pairs of a resolved conversation; approved drafts become searchable KB items', async () => {
    const shop = await shopWithAiAgent(t);
    await setPlan(t, instanceOwner, shop.accountId, 'pro');
    const conversationId = await resolvedSupportConversation(t, shop);

    const unresolved = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(unresolved.status).toBe(422);
    expect(unresolved.body.error.details[0]).toMatchObject({ field: 'conversation_id', message: expect.stringContaining('resolve') });
    expect((await t.get(DRAFTS, shop.token)).body.meta.total).toBe(0);

    expect((await resolve(t, shop.token, conversationId)).status).toBe(200);
    const analyzed = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(analyzed.status).toBe(200);
    expect(analyzed.body).toMatchObject({ count: 2, message: '2 Q&A pairs extracted' });
    expect(analyzed.body.drafts).toEqual([
      expect.objectContaining({
        id: expect.any(Number),
        title: 'Do you offer gift wrapping for birthday presents?',
        content: 'Yes! Gift wrapping costs 3 EUR per item; tick "gift" at checkout.',
        category: null,
        tags: [],
        status: 'draft',
        source_conversation_id: conversationId,
      }),
      expect.objectContaining({
        title: 'Great. And can I add a personal card?',
        content: 'Sure, the card is free and you can type up to 200 characters.\n\nAnything else I can help with?',
        status: 'draft',
      }),
    ]);
    const [giftWrap, card] = analyzed.body.drafts;

    // Analysing again creates no duplicates.
    const again = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(again.body.drafts.map((d: { id: number }) => d.id)).toEqual([giftWrap.id, card.id]);
    expect((await t.get(DRAFTS, shop.token)).body.meta.total).toBe(2);

    const itemsBefore = (await t.get('/nc-api/v1/knowledge_base/items', shop.token)).body.meta.total;
    const approved = await t.post(`${DRAFTS}/${giftWrap.id}/approve`, { category: 'Orders', tags: ['gift'] }, shop.token);
    expect(approved.status).toBe(200);
    expect(approved.body.draft).toMatchObject({ id: giftWrap.id, status: 'approved', kb_item_id: approved.body.item.id });
    expect(approved.body.item).toMatchObject({ title: giftWrap.title, content: giftWrap.content, category: 'Orders', tags: ['gift'] });
    expect((await t.get('/nc-api/v1/knowledge_base/items', shop.token)).body.meta.total).toBe(itemsBefore + 1);
    const found = await t.get(`/nc-api/v1/knowledge_base/search?q=${encodeURIComponent('gift wrapping')}`, shop.token);
    expect(found.body.data[0].item.id).toBe(approved.body.item.id);

    const rejected = await t.post(`${DRAFTS}/${card.id}/reject`, undefined, shop.token);
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect((await t.post(`${DRAFTS}/${card.id}/approve`, undefined, shop.token)).status).toBe(409);
    expect((await t.post(`${DRAFTS}/${giftWrap.id}/reject`, undefined, shop.token)).status).toBe(409);

    const pending = await t.get(`${DRAFTS}?status=draft`, shop.token);
    expect(pending.body.meta.total).toBe(0);
    expect((await t.get(`${DRAFTS}?status=approved`, shop.token)).body.data.map((d: { id: number }) => d.id)).toEqual([giftWrap.id]);
    // Once decided, pairs are not drafted again.
    expect((await t.post(ANALYZE, { conversation_id: conversationId }, shop.token)).body).toMatchObject({ count: 0, drafts: [] });
  });

  it('is refused on the starter plan', async () => {
    const shop = await shopWithAiAgent(t);
    const conversationId = await resolvedSupportConversation(t, shop);
    await resolve(t, shop.token, conversationId);
    const refused = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('plan_not_eligible');
    expect((await t.get(DRAFTS, shop.token)).body.meta.total).toBe(0);
    expect((await t.get('/nc-api/v1/account/status', shop.token)).body.agentic_rag_enabled).toBe(false);
  });

  it("keeps each account's conversations and drafts to itself", async () => {
    const a = await shopWithAiAgent(t);
    await setPlan(t, instanceOwner, a.accountId, 'pro');
    const b = await signUp(t);
    await setPlan(t, instanceOwner, b.accountId, 'pro');
    const conversationId = await resolvedSupportConversation(t, a);
    await resolve(t, a.token, conversationId);

    expect((await t.post(ANALYZE, { conversation_id: conversationId }, b.token)).status).toBe(404);
    const drafts = (await t.post(ANALYZE, { conversation_id: conversationId }, a.token)).body.drafts;
    expect((await t.get(DRAFTS, b.token)).body.meta.total).toBe(0);
    expect((await t.post(`${DRAFTS}/${drafts[0].id}/approve`, undefined, b.token)).status).toBe(404);
    expect((await t.post(`${DRAFTS}/${drafts[0].id}/reject`, undefined, b.token)).status).toBe(404);
    expect((await t.get(DRAFTS, a.token)).body.data.every((d: { status: string }) => d.status === 'draft')).toBe(true);
    expect((await t.post(ANALYZE, { conversation_id: 999999 }, a.token)).status).toBe(404);
    expect((await t.post(ANALYZE, { conversation_id: 'x' }, a.token)).status).toBe(422);
  });
});

describe("approving against the plan's kb_items limit", () => {
  it('refuses an approval that would pass the limit and leaves the draft pending', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-plans-'));
    const plansFile = path.join(dir, 'plans.json');
    // A plan with agentic RAG and room for exactly the six FAQ items.
    await fs.writeFile(
      plansFile,
      JSON.stringify({
        starter: { limits: { domains: 1, agents: 3, kb_items: 6 }, agentic_rag: true, trial_days: 14 },
      }),
    );
    const t = await TestServer.start({ plansFile });
    try {
      const shop = await shopWithAiAgent(t);
      const conversationId = await resolvedSupportConversation(t, shop);
      await resolve(t, shop.token, conversationId);
      const [draft] = (await t.post(ANALYZE, { conversation_id: conversationId }, shop.token)).body.drafts;
      const refused = await t.post(`${DRAFTS}/${draft.id}/approve`, undefined, shop.token);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'plan_limit_reached', details: { limit: 'kb_items', max: 6 } });
      expect((await t.get('/nc-api/v1/knowledge_base/items', shop.token)).body.meta.total).toBe(6);
      expect((await t.get(`${DRAFTS}?status=draft`, shop.token)).body.data.map((d: { id: number }) => d.id)).toContain(draft.id);

      await t.del(`/nc-api/v1/knowledge_base/items/${shop.items[0]!.id}`, shop.token);
      expect((await t.post(`${DRAFTS}/${draft.id}/approve`, undefined, shop.token)).status).toBe(200);
      expect((await t.get('/nc-api/v1/knowledge_base/items', shop.token)).body.meta.total).toBe(6);
    } finally {
      await t.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('agentic RAG with an LLM', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  it('lets the LLM write the pairs from the transcript, and pairs the transcript itself when the reply is unusable', async () => {
    let reply =
      'Here you go:\n```json\n[{"question":"Do you gift wrap orders?","answer":"Yes, for 3 EUR per item; choose gift at checkout."}]\n```';
    const llm = await startLlmStandIn(() => reply);
    cleanup.push(llm.close);
    const t = await TestServer.start({ llmBaseUrl: llm.baseUrl, llmTimeoutMs: 5000 });
    cleanup.push(() => t.close());
    const owner = (await signUp(t)).token; // instance owner
    const shop = await shopWithAiAgent(t);
    await setPlan(t, owner, shop.accountId, 'business');
    const conversationId = await resolvedSupportConversation(t, shop);
    await resolve(t, shop.token, conversationId);
    const chatCalls = llm.requests.length;

    const analyzed = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(analyzed.body).toMatchObject({ count: 1, message: '1 Q&A pair extracted' });
    expect(analyzed.body.drafts[0]).toMatchObject({
      title: 'Do you gift wrap orders?',
      content: 'Yes, for 3 EUR per item; choose gift at checkout.',
    });
    const request = llm.requests[chatCalls]!.body;
    expect(request.messages[1]!.content).toContain('Customer: Do you offer gift wrapping for birthday presents?');
    expect(request.messages[1]!.content).toContain('Agent: Sure, the card is free');

    reply = 'Sorry, I cannot help with that.';
    const fallback = await t.post(ANALYZE, { conversation_id: conversationId }, shop.token);
    expect(fallback.body.drafts.map((d: { title: string }) => d.title)).toEqual([
      'Do you offer gift wrapping for birthday presents?',
      'Great. And can I add a personal card?',
    ]);
  });
});
