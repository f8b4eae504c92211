import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { HANDOFF_MESSAGE } from './agent.js';
import { BOT, FAQ, OUT_OF_KB, settle, shopWithAiAgent, startLlmStandIn, Visitor } from './test-fixtures.js';

describe('the AI agent without an LLM (extractive answers)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('greets, answers in-KB questions with the full matching answer, and hands an out-of-KB one to a human', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');

    const [greeting, firstAnswer] = await visitor.botMessages(2);
    expect(greeting).toMatchObject({ content: BOT.greeting_message, sender: { type: 'bot', id: shop.agentId, name: 'Nova' } });
    expect(firstAnswer).toMatchObject({
      content: FAQ[0]!.content,
      content_type: 'text',
      content_attributes: { kind: 'answer', kb_item_id: shop.items[0]!.id },
    });

    await visitor.say('What payment methods can I use?');
    expect((await visitor.botMessages(3))[2]!.content).toBe(FAQ[1]!.content);

    await visitor.say(OUT_OF_KB);
    const handoff = (await visitor.botMessages(4))[3]!;
    expect(handoff.content).toBe(HANDOFF_MESSAGE);
    // The hand-off never quotes an unrelated item.
    for (const item of FAQ) expect(handoff.content).not.toContain(item.content);

    const conversation = await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, shop.token);
    expect(conversation.body).toMatchObject({ status: 'pending', bot_active: false });

    // Handed off, the agent stays silent even on a question it could answer.
    await visitor.say('And how do I reset my password?');
    await settle();
    expect(await visitor.botMessages(4)).toHaveLength(4);

    const sequence = (await visitor.messages()).map((m) => `${m.message_type}:${m.sender.type}`);
    expect(sequence).toEqual([
      'incoming:contact',
      'outgoing:bot',
      'outgoing:bot',
      'incoming:contact',
      'outgoing:bot',
      'incoming:contact',
      'activity:bot',
      'outgoing:bot',
      'incoming:contact',
    ]);
  });

  it('answers several quick messages in the order they were sent', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
    await visitor.say('What is your return policy?');
    await visitor.say('Can I cancel my order?');
    const bot = await visitor.botMessages(4);
    expect(bot.map((m) => m.content)).toEqual([BOT.greeting_message, FAQ[0]!.content, FAQ[2]!.content, FAQ[5]!.content]);
  });

  it('stops answering once a human agent replies', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How do I reset my password?');
    expect((await visitor.botMessages(2))[1]!.content).toBe(FAQ[3]!.content);

    const human = await t.post(
      `/nc-api/v1/conversations/${visitor.conversationId}/messages`,
      { content: 'Hi John, Maria here, I will take it from here.' },
      shop.token,
    );
    expect(human.status).toBe(201);
    expect((await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, shop.token)).body.bot_active).toBe(false);

    await visitor.say('Which payment methods do you accept?');
    await settle();
    expect(await visitor.botMessages(2)).toHaveLength(2);
    expect((await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, shop.token)).body.status).toBe('open');
  });

  it('answers, once restarted, a contact message whose event was lost when the server stopped', async () => {
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
    await visitor.botMessages(2);
    // Committed, but the server went down before its event reached the agent: written straight to the database.
    const now = new Date().toISOString();
    await t.deps.db('messages').insert({
      account_id: shop.accountId,
      conversation_id: visitor.conversationId,
      content: 'What is your return policy?',
      message_type: 'incoming',
      private: false,
      sender_type: 'contact',
      sender_id: null,
      sender_name: 'John',
      created_at: now,
    });
    await t.deps.db('conversations').where({ id: visitor.conversationId }).update({ last_message_at: now });
    await settle();
    expect(await visitor.botMessages(2)).toHaveLength(2);

    await t.restart();
    expect((await visitor.botMessages(3))[2]!.content).toBe(FAQ[2]!.content);
  });

  it('leaves websites without an active AI config to humans', async () => {
    const shop = await shopWithAiAgent(t);
    const domains = await t.get('/nc-api/v1/account/domains', shop.token);
    await t.post(
      `/nc-api/v1/account/domains/${domains.body.data[0].id}/ai-config`,
      { ai_bot_config_id: shop.agentId, is_active: false },
      shop.token,
    );
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
    await settle();
    expect(await visitor.botMessages(0)).toHaveLength(0);
  });
});

describe('the AI agent with an OpenAI-compatible LLM', () => {
  const servers: TestServer[] = [];
  const standIns: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(standIns.splice(0).map((s) => s.close()));
  });

  it('writes the reply from the system prompt, the matching items and the conversation', async () => {
    const llm = await startLlmStandIn((req) => `LLM says: ${req.body.messages.at(-1)!.content.length} chars asked`);
    standIns.push(llm);
    const t = await TestServer.start({ llmBaseUrl: llm.baseUrl, llmModel: 'tiny-test-model', llmApiKey: 'sk-local', llmTimeoutMs: 5000 });
    servers.push(t);
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');

    const answer = (await visitor.botMessages(2))[1]!;
    // The LLM phrases it; the move and its item are retrieval's.
    expect(answer).toMatchObject({
      content: `LLM says: ${'How long does shipping take?'.length} chars asked`,
      content_attributes: { kind: 'answer', kb_item_id: shop.items[0]!.id },
    });
    expect(llm.requests).toHaveLength(1);
    const { headers, body } = llm.requests[0]!;
    expect(headers.authorization).toBe('Bearer sk-local');
    expect(body.model).toBe('tiny-test-model');
    const system = body.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain(BOT.system_prompt);
    expect(system.content).toContain(FAQ[0]!.content);
    expect(system.content).toContain('using only the knowledge base entries below');
    expect(system.content).toMatch(/^\[1\] How long does shipping take\?$/m);
    expect(body.messages.slice(1)).toEqual([{ role: 'user', content: 'How long does shipping take?' }]);

    // Out of the KB: a hand-off, and the LLM is not even asked.
    await visitor.say(OUT_OF_KB);
    expect((await visitor.botMessages(3))[2]!.content).toBe(HANDOFF_MESSAGE);
    expect(llm.requests).toHaveLength(1);
  });

  it('leaves a conversation a person resolved while the LLM was still phrasing the answer resolved, and does not answer into it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const llm = await startLlmStandIn(() => 'the late answer', { holdUntil: () => released });
    standIns.push(llm);
    const t = await TestServer.start({ llmBaseUrl: llm.baseUrl, llmTimeoutMs: 10_000 });
    servers.push(t);
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?');
    await expect.poll(() => llm.requests.length, { timeout: 10_000 }).toBe(1);

    const resolved = await t.post(`/nc-api/v1/conversations/${visitor.conversationId}/status`, { status: 'resolved' }, shop.token);
    expect(resolved.status).toBe(200);
    release();
    await settle();
    const conversation = (await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, shop.token)).body;
    expect(conversation.status).toBe('resolved');
    expect((await visitor.messages()).map((m) => m.content)).not.toContain('the late answer');
  });

  it('falls back to the best item when the LLM does not answer in time', async () => {
    const llm = await startLlmStandIn(() => 'too late', { delayMs: 3000 });
    standIns.push(llm);
    const t = await TestServer.start({ llmBaseUrl: llm.baseUrl, llmTimeoutMs: 200 });
    servers.push(t);
    const shop = await shopWithAiAgent(t);
    const visitor = await Visitor.start(t, shop.websiteToken, 'Which payment methods do you accept?');
    expect((await visitor.botMessages(2))[1]!.content).toBe(FAQ[1]!.content);
    expect(llm.requests).toHaveLength(1);
  });
});
