import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { OUT_OF_KB, RETURNS, shopWithAiAgent, Visitor } from './test-fixtures.js';

let t: TestServer;
beforeAll(async () => {
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
});

const suggestions = (conversationId: number, token: string, query = '') =>
  t.get(`/nc-api/v1/conversations/${conversationId}/suggestions${query}`, token);
const reply = (conversationId: number, body: Record<string, unknown>, token: string) =>
  t.post(`/nc-api/v1/conversations/${conversationId}/messages`, body, token);

/** A conversation the bot handed off: the visitor's question is waiting for a human. */
async function handedOff(shop: Awaited<ReturnType<typeof shopWithAiAgent>>, question: string) {
  const visitor = await Visitor.start(t, shop.websiteToken, question);
  await visitor.botMessages(2);
  return visitor;
}

describe('agent assist', () => {
  it("suggests KB items for the contact's latest questions", async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await handedOff(shop, 'I want to talk to a human');
    await visitor.say('hi');
    await visitor.say('my parcel still has not arrived, how many days does delivery usually take?');
    const res = await suggestions(visitor.conversationId, shop.token, '?k=2');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data[0]).toEqual({
      item: expect.objectContaining({ id: shop.items[0]!.id, title: 'How long does shipping take?', questions: [] }),
      score: expect.any(Number),
    });
    expect((await suggestions(visitor.conversationId, shop.token)).body.data).toHaveLength(3);
  });

  it('suggests nothing for a conversation without a question, and refuses bad input and other accounts', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await handedOff(shop, 'hello');
    expect((await suggestions(visitor.conversationId, shop.token)).body).toEqual({ data: [] });
    for (const k of ['0', '11', 'two']) expect((await suggestions(visitor.conversationId, shop.token, `?k=${k}`)).status).toBe(422);
    const stranger = await signUp(t);
    expect((await suggestions(visitor.conversationId, stranger.token)).status).toBe(404);
    expect((await suggestions(999_999, shop.token)).status).toBe(404);
    expect((await suggestions(visitor.conversationId, '')).status).toBe(401);
  });

  it("an agent's reply with kb_item_id teaches the bot the contact's questions, and the next visitor gets the answer", async () => {
    const shop = await shopWithAiAgent(t, { extraItems: RETURNS });
    const lamp = shop.items.find((i) => i.title === RETURNS[1]!.title)!;
    const question = 'the glass shade of my reading light arrived cracked, how do I get it to you';
    const visitor = await handedOff(shop, OUT_OF_KB);
    await visitor.say('thanks');
    await visitor.say(question);

    const sent = await reply(visitor.conversationId, { content: lamp.content, kb_item_id: lamp.id }, shop.token);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ content: lamp.content, message_type: 'outgoing', content_attributes: { kb_item_id: lamp.id } });
    // Every question since the last reply is learned; the thanks is not a question.
    const learned = (await t.get(`/nc-api/v1/knowledge_base/items/${lamp.id}`, shop.token)).body.questions;
    expect(learned.map((q: { question: string; source: string }) => [q.question, q.source])).toEqual([[question, 'agent']]);

    // The bot answered the out-of-KB question with a hand-off, not an answer: it stays unlearned…
    expect(learned.map((q: { question: string }) => q.question)).not.toContain(OUT_OF_KB);
    // …and the next visitor asking the same question gets the lamp's answer directly.
    const next = await Visitor.start(t, shop.websiteToken, question, { contact: {} });
    expect((await next.botMessages(2))[1]).toMatchObject({
      content: lamp.content,
      content_attributes: { kind: 'answer', kb_item_id: lamp.id },
    });

    // A second reply with an item learns nothing more: nothing was asked since.
    await reply(visitor.conversationId, { content: 'Anything else?', kb_item_id: lamp.id }, shop.token);
    expect((await t.get(`/nc-api/v1/knowledge_base/items/${lamp.id}/questions`, shop.token)).body.data).toHaveLength(1);
  });

  it('lists what was learned across items for review, newest first, only to the account that learned it', async () => {
    const shop = await shopWithAiAgent(t, { extraItems: RETURNS });
    const [shipping, payments] = shop.items;
    await t.post(`/nc-api/v1/knowledge_base/items/${payments!.id}/questions`, { question: 'do you take amex' }, shop.token);
    for (const [question, item] of [
      ['when will my parcel show up', shipping!],
      ['can I pay by card', payments!],
    ] as const) {
      const visitor = await handedOff(shop, 'I want to talk to a human');
      await visitor.say(question);
      expect((await reply(visitor.conversationId, { content: item.content, kb_item_id: item.id }, shop.token)).status).toBe(201);
    }
    const learned = await t.get('/nc-api/v1/knowledge_base/questions', shop.token);
    expect(learned.status).toBe(200);
    expect(learned.body.meta).toMatchObject({ total: 2 });
    expect(learned.body.data).toEqual([
      {
        id: expect.any(Number),
        question: 'can I pay by card',
        source: 'agent',
        created_at: expect.any(String),
        item: { id: payments!.id, title: payments!.title },
      },
      expect.objectContaining({
        question: 'when will my parcel show up',
        source: 'agent',
        item: { id: shipping!.id, title: shipping!.title },
      }),
    ]);
    const manual = (await t.get('/nc-api/v1/knowledge_base/questions?source=manual', shop.token)).body.data;
    expect(manual.map((q: { question: string }) => q.question)).toEqual(['do you take amex']);
    expect((await t.get('/nc-api/v1/knowledge_base/questions?source=robots', shop.token)).status).toBe(422);
    const stranger = await signUp(t);
    expect((await t.get('/nc-api/v1/knowledge_base/questions?source=agent,manual', stranger.token)).body).toMatchObject({
      data: [],
      meta: { total: 0 },
    });
  });

  it('refuses kb_item_id on a private note, and an item that is not the account’s', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await handedOff(shop, OUT_OF_KB);
    const note = await reply(visitor.conversationId, { content: 'see item', private: true, kb_item_id: shop.items[0]!.id }, shop.token);
    expect(note.status).toBe(422);
    expect(note.body.error.details[0].field).toBe('kb_item_id');

    const other = await shopWithAiAgent(t);
    for (const kb_item_id of [other.items[0]!.id, 999_999]) {
      const res = await reply(visitor.conversationId, { content: 'x', kb_item_id }, shop.token);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ field: 'kb_item_id', message: 'no such knowledge base item' }]);
    }
    for (const kb_item_id of ['1', 0, -1, 1.5])
      expect((await reply(visitor.conversationId, { content: 'x', kb_item_id }, shop.token)).status).toBe(422);
    // Nothing was sent by the refused replies.
    const messages = (await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, shop.token)).body.messages;
    expect(messages.filter((m: { sender: { type: string } }) => m.sender.type === 'agent')).toEqual([]);
  });
});
