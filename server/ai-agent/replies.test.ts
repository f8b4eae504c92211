import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { HANDOFF_MESSAGE } from './agent.js';
import {
  AMBIGUOUS,
  BOT,
  FAQ,
  OUT_OF_KB,
  RETURNS,
  settle,
  shopWithAiAgent,
  startLlmStandIn,
  Visitor,
  type WidgetMessage,
} from './test-fixtures.js';
import { RealtimeClient } from '../realtime/test-client.js';
import { WebhookReceiver } from '../webhooks/test-receiver.js';
import { handoffMessage } from './texts.js';

/** Polls until the conversation has the status (the bot's moves are asynchronous). */
async function statusBecomes(t: TestServer, token: string, conversationId: number, status: string) {
  for (let i = 0; i < 300; i++) {
    const conversation = (await t.get(`/nc-api/v1/conversations/${conversationId}`, token)).body;
    if (conversation.status === status) return conversation;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`conversation ${conversationId} never became ${status}`);
}

const questionsOf = async (t: TestServer, token: string, itemId: number) =>
  (await t.get(`/nc-api/v1/knowledge_base/items/${itemId}/questions`, token)).body.data as {
    id: number;
    question: string;
    source: string;
  }[];

describe('the three moves through the widget API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  const shop = () => shopWithAiAgent(t, { extraItems: RETURNS });
  const itemTitled = (items: { id: number; title: string; content: string }[], title: string) => items.find((i) => i.title === title)!;

  it('answers a clear question with its item and takes "yes, that helped"', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, 'How do I reset my password?');
    const answer = (await visitor.botMessages(2))[1]!;
    const item = itemTitled(s.items, 'How do I reset my password?');
    expect(answer).toMatchObject({
      content: item.content,
      content_type: 'text',
      content_attributes: { kind: 'answer', kb_item_id: item.id },
    });

    const yes = await visitor.feedback(answer.id, true);
    expect(yes.status).toBe(200);
    expect(yes.body).toMatchObject({ id: answer.id, content_attributes: { kind: 'answer', kb_item_id: item.id, helpful: true } });
    // The same answer again changes nothing; the other one is refused.
    expect((await visitor.feedback(answer.id, true)).status).toBe(200);
    const no = await visitor.feedback(answer.id, false);
    expect(no.status).toBe(409);
    expect(no.body.error.code).toBe('feedback_already_given');
    expect((await visitor.messages()).find((m) => m.id === answer.id)!.content_attributes.helpful).toBe(true);
    // "Yes" keeps the bot on the conversation.
    expect((await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, s.token)).body).toMatchObject({
      status: 'open',
      bot_active: true,
    });
    // The console sees the same message shape, feedback included.
    const console = (await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, s.token)).body.messages as WidgetMessage[];
    expect(console.find((m) => m.id === answer.id)!.content_attributes).toEqual({ kind: 'answer', kb_item_id: item.id, helpful: true });
  });

  it('"no, that did not help" hands the conversation to a human and is kept against the item', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, 'Which payment methods do you accept?');
    const answer = (await visitor.botMessages(2))[1]!;
    const no = await visitor.feedback(answer.id, false);
    expect(no.status).toBe(200);
    expect(no.body.content_attributes.helpful).toBe(false);
    expect(await statusBecomes(t, s.token, visitor.conversationId, 'pending')).toMatchObject({ bot_active: false });
    const handoff = (await visitor.botMessages(3))[2]!;
    expect(handoff.content).toBe(handoffMessage('en', 'not_helpful', null));

    const report = (await t.get('/nc-api/v1/reports/ai', s.token)).body;
    expect(report).toMatchObject({ questions: 1, answered: 1, handed_off: 1, helpful: 0, not_helpful: 1 });
    expect(report.top_unanswered).toEqual([
      { question: 'Which payment methods do you accept?', count: 1, conversation_ids: [visitor.conversationId] },
    ]);
  });

  it('refuses feedback on what is not an answer, on another conversation and with a bad body', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, 'How long does shipping take?');
    const [greeting, answer] = await visitor.botMessages(2);
    const own = (await visitor.messages()).find((m) => m.sender.type === 'contact')!;

    for (const id of [greeting!.id, own.id]) {
      const res = await visitor.feedback(id, true);
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual([{ field: 'id', message: "only the AI agent's answers take feedback" }]);
    }
    for (const body of [undefined, 'yes', 1]) expect((await visitor.feedback(answer!.id, body)).status).toBe(422);
    expect((await visitor.feedback(999_999, true)).status).toBe(404);

    // Another visitor of the same website cannot rate this conversation's answer…
    const other = await Visitor.start(t, s.websiteToken, 'hello');
    expect((await other.feedback(answer!.id, false)).status).toBe(401);
    // …and another account's website does not find it at all.
    const elsewhere = await shopWithAiAgent(t);
    const stranger = await Visitor.start(t, elsewhere.websiteToken, 'hello');
    expect((await stranger.feedback(answer!.id, false)).status).toBe(404);
    expect((await t.get(`/nc-api/v1/conversations/${visitor.conversationId}`, s.token)).body.status).toBe('open');
  });

  it('offers choices for a question two items answer alike; a pick gets that answer and teaches the bot', async () => {
    const s = await shop();
    const sofa = itemTitled(s.items, RETURNS[0]!.title);
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    expect(choices).toMatchObject({ content: 'Is your question about one of these?', content_type: 'input_select' });
    const items = choices.content_attributes.items!;
    expect(choices.content_attributes.kind).toBe('choices');
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.length).toBeLessThanOrEqual(4);
    expect(items.at(-1)).toEqual({ title: 'Talk to a person', value: 'handoff' });
    expect(items).toContainEqual({ title: sofa.title, value: `kb_item:${sofa.id}` });
    for (const item of items.slice(0, -1)) expect(item.value).toBe(`kb_item:${itemTitled(s.items, item.title).id}`);

    // A value that was not offered, or a message that is not the choices: 422, nothing stored.
    const notOffered = await visitor.send({ content: 'Shipping', submitted_value: `kb_item:${s.items[0]!.id}`, in_reply_to: choices.id });
    expect(notOffered.status).toBe(422);
    expect(notOffered.body.error.details[0].field).toBe('submitted_value');
    const wrongMessage = await visitor.send({ content: sofa.title, submitted_value: `kb_item:${sofa.id}`, in_reply_to: choices.id - 1 });
    expect(wrongMessage.status).toBe(422);
    expect(wrongMessage.body.error.details[0].field).toBe('in_reply_to');
    const half = await visitor.send({ content: sofa.title, submitted_value: `kb_item:${sofa.id}` });
    expect(half.status).toBe(422);

    const picked = await visitor.pick(choices, `kb_item:${sofa.id}`);
    expect(picked.status).toBe(201);
    expect(picked.body).toMatchObject({
      content: sofa.title,
      message_type: 'incoming',
      content_attributes: { submitted_value: `kb_item:${sofa.id}`, in_reply_to: choices.id },
    });
    const answer = (await visitor.botMessages(3))[2]!;
    expect(answer).toMatchObject({ content: sofa.content, content_attributes: { kind: 'answer', kb_item_id: sofa.id } });
    // The choices message remembers the pick (what the widget shows after a reload), and takes no second one.
    expect((await visitor.messages()).find((m) => m.id === choices.id)!.content_attributes.submitted_value).toBe(`kb_item:${sofa.id}`);
    const again = await visitor.pick(choices, 'handoff');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('choice_already_made');

    // The question that led to the choices is the item's now, learned from the visitor…
    expect(await questionsOf(t, s.token, sofa.id)).toEqual([expect.objectContaining({ question: AMBIGUOUS, source: 'visitor' })]);
    // …so the next visitor who asks it gets the answer directly.
    const next = await Visitor.start(t, s.websiteToken, AMBIGUOUS, { contact: {} });
    expect((await next.botMessages(2))[1]).toMatchObject({
      content: sofa.content,
      content_attributes: { kind: 'answer', kb_item_id: sofa.id },
    });

    const report = (await t.get('/nc-api/v1/reports/ai', s.token)).body;
    expect(report).toMatchObject({ questions: 2, answered: 1, answered_via_choice: 1, handed_off: 0 });
  });

  it('a pick later marked unhelpful is not learned, and hands off', async () => {
    const s = await shop();
    const lamp = itemTitled(s.items, RETURNS[1]!.title);
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    expect(choices.content_attributes.items).toContainEqual({ title: lamp.title, value: `kb_item:${lamp.id}` });
    expect((await visitor.pick(choices, `kb_item:${lamp.id}`)).status).toBe(201);
    const answer = (await visitor.botMessages(3))[2]!;
    expect(answer.content_attributes.kb_item_id).toBe(lamp.id);
    expect(await questionsOf(t, s.token, lamp.id)).toHaveLength(1);

    expect((await visitor.feedback(answer.id, false)).status).toBe(200);
    expect(await questionsOf(t, s.token, lamp.id)).toEqual([]);
    await statusBecomes(t, s.token, visitor.conversationId, 'pending');
    const report = (await t.get('/nc-api/v1/reports/ai', s.token)).body;
    expect(report).toMatchObject({ questions: 1, answered_via_choice: 1, handed_off: 1, not_helpful: 1 });
  });

  it('"talk to a person" among the choices hands off', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    expect((await visitor.pick(choices, 'handoff')).status).toBe(201);
    expect(await statusBecomes(t, s.token, visitor.conversationId, 'pending')).toMatchObject({ bot_active: false });
    expect((await visitor.botMessages(3))[2]!.content).toBe(handoffMessage('en', 'requested', null));
    expect((await t.get('/nc-api/v1/reports/ai', s.token)).body).toMatchObject({ questions: 1, answered_via_choice: 0, handed_off: 1 });
  });

  it('hands off what the KB cannot answer, and a request for a person at once, saying which it is', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, OUT_OF_KB);
    expect((await visitor.botMessages(2))[1]).toMatchObject({ content: HANDOFF_MESSAGE, content_attributes: {} });
    await statusBecomes(t, s.token, visitor.conversationId, 'pending');

    const asking = await Visitor.start(t, s.websiteToken, 'I want to talk to a human');
    expect((await asking.botMessages(2))[1]!.content).toBe(handoffMessage('en', 'requested', null));
    expect(await statusBecomes(t, s.token, asking.conversationId, 'pending')).toMatchObject({ bot_active: false });
    const report = (await t.get('/nc-api/v1/reports/ai', s.token)).body;
    expect(report).toMatchObject({ questions: 1, handed_off: 1, handoff_requests: 1 });
  });

  it("answers greetings and thanks politely in the visitor's language, and searches a greeting with a question", async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, 'hola');
    expect((await visitor.botMessages(2))[1]!.content).toBe('¡Hola! ¿En qué puedo ayudarte hoy?');
    await visitor.say('hi, how long does shipping take?');
    expect((await visitor.botMessages(3))[2]!.content).toBe(FAQ[0]!.content);
    await visitor.say('danke schön');
    expect((await visitor.botMessages(4))[3]!.content).toBe('Gern geschehen! Kann ich Ihnen sonst noch helfen?');
    // Courtesy is not a question: the report counts one.
    expect((await t.get('/nc-api/v1/reports/ai', s.token)).body).toMatchObject({ questions: 1, answered: 1 });
  });

  it("speaks the widget's language in choices and hand-offs", async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS, { locale: 'es-419' });
    const choices = (await visitor.botMessages(2))[1]!;
    expect(choices.content).toBe('¿Tu pregunta es sobre alguno de estos temas?');
    expect(choices.content_attributes.items!.at(-1)).toEqual({ title: 'Hablar con una persona', value: 'handoff' });
    expect((await visitor.pick(choices, 'handoff')).status).toBe(201);
    expect((await visitor.botMessages(3))[2]!.content).toBe(handoffMessage('es', 'requested', null));

    const bad = await t.post(`/api/v1/widget/conversations?website_token=${s.websiteToken}`, { message: 'hi', locale: 'not a language!' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe('locale');
  });

  it('outside business hours says when people are back and asks for an e-mail the contact has not given', async () => {
    const s = await shop();
    // Open every day but today (UTC), so now is outside business hours and tomorrow at 09:00 is the next opening.
    const today = ((new Date().getUTCDay() + 6) % 7) + 1;
    const days = [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today);
    const policy = await t.put(
      '/nc-api/v1/sla/policy',
      { first_response_minutes: 60, resolution_minutes: 1440, business_hours: { timezone: 'UTC', days, start: '09:00', end: '17:00' } },
      s.token,
    );
    expect(policy.status).toBe(200);

    const anonymous = await Visitor.start(t, s.websiteToken, 'I want to talk to a human', { contact: {} });
    const away = (await anonymous.botMessages(2))[1]!.content;
    expect(away).toMatch(
      /^Of course, I'm passing you to a member of our team\. Our team is away right now and will be back tomorrow at 09:00 \(UTC\)\./,
    );
    expect(away).toContain('Please leave your e-mail address here');

    const known = await Visitor.start(t, s.websiteToken, OUT_OF_KB);
    const awayKnown = (await known.botMessages(2))[1]!.content;
    expect(awayKnown).toContain('will be back tomorrow at 09:00 (UTC).');
    expect(awayKnown).not.toContain('e-mail');
  });

  it('pushes the choices and the pick to the console and the widget in the message shape', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    const consoleSocket = await RealtimeClient.connect(t.url, { access_token: s.token, last_event_id: 0 });
    const widgetSocket = await RealtimeClient.connect(t.url, {
      website_token: s.websiteToken,
      conversation_token: visitor.token,
      last_event_id: 0,
    });
    try {
      for (const socket of [consoleSocket, widgetSocket]) {
        const offered = await socket.waitFor((e) => e.type === 'message_created' && e.data.message.id === choices.id);
        expect(offered.data.message).toMatchObject({ content_type: 'input_select', content_attributes: choices.content_attributes });
      }
      const value = choices.content_attributes.items![0]!.value;
      await visitor.pick(choices, value);
      for (const socket of [consoleSocket, widgetSocket]) {
        const updated = await socket.waitFor((e) => e.type === 'message_updated' && e.data.message.id === choices.id);
        expect(updated.data.message.content_attributes).toMatchObject({ kind: 'choices', submitted_value: value });
      }
    } finally {
      consoleSocket.socket.close();
      widgetSocket.socket.close();
    }
  });

  it('stays out of conversations a human took over, even for a pick', async () => {
    const s = await shop();
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    await t.post(`/nc-api/v1/conversations/${visitor.conversationId}/messages`, { content: 'Maria here, let me help.' }, s.token);
    expect((await visitor.pick(choices, choices.content_attributes.items![0]!.value)).status).toBe(201);
    await settle();
    expect(await visitor.botMessages(2)).toHaveLength(2);
  });
});

describe("the AI agent's moves in the agent API and webhook payloads", () => {
  it('carry content_type and content_attributes for the choices, the pick, the answer and the feedback', async () => {
    // The receiver listens on loopback, which webhooks may reach only where the instance allows it.
    const t = await TestServer.start({ webhookPollMs: 50, webhookAllowedNetworks: ['127.0.0.0/8'] });
    const hooks = await WebhookReceiver.start();
    try {
      const s = await shopWithAiAgent(t, { extraItems: RETURNS });
      const sofa = s.items.find((i) => i.title === RETURNS[0]!.title)!;
      const events = ['message_created', 'message_updated'];
      expect((await t.post('/nc-api/v1/webhooks', { url: hooks.url, events }, s.token)).status).toBe(201);
      const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
      const choices = (await visitor.botMessages(2))[1]!;
      await visitor.pick(choices, `kb_item:${sofa.id}`);
      const answer = (await visitor.botMessages(3))[2]!;
      expect((await visitor.feedback(answer.id, true)).status).toBe(200);

      const transcript = (await t.get(`/nc-api/v1/conversations/${visitor.conversationId}/messages`, s.token)).body.data;
      expect(transcript.map((m: WidgetMessage) => [m.content_type, m.content_attributes])).toEqual([
        ['text', {}],
        ['text', {}],
        ['input_select', { kind: 'choices', items: choices.content_attributes.items, submitted_value: `kb_item:${sofa.id}` }],
        ['text', { submitted_value: `kb_item:${sofa.id}`, in_reply_to: choices.id }],
        ['text', { kind: 'answer', kb_item_id: sofa.id, helpful: true }],
      ]);

      /** The message of the first delivery of `event` for message `id` whose attributes carry `key`. */
      const delivery = async (event: string, id: number, key: string) => {
        const matches = (r: { body: Record<string, any> }) =>
          r.body.event === event && r.body.message?.id === id && key in r.body.message.content_attributes;
        return (await hooks.waitFor((requests) => requests.some(matches))).find(matches)!.body.message;
      };
      expect(await delivery('message_created', choices.id, 'kind')).toMatchObject({
        content_type: 'input_select',
        content_attributes: { kind: 'choices', items: choices.content_attributes.items },
      });
      expect((await delivery('message_updated', choices.id, 'submitted_value')).content_attributes.submitted_value).toBe(
        `kb_item:${sofa.id}`,
      );
      expect(await delivery('message_created', answer.id, 'kb_item_id')).toMatchObject({
        content_type: 'text',
        content_attributes: { kind: 'answer', kb_item_id: sofa.id },
      });
      expect((await delivery('message_updated', answer.id, 'helpful')).content_attributes).toMatchObject({ kind: 'answer', helpful: true });
    } finally {
      await t.close();
      await hooks.close();
    }
  });
});

describe('the AI agent phrasing answers with an LLM', () => {
  const servers: TestServer[] = [];
  const standIns: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(standIns.splice(0).map((s) => s.close()));
  });

  it("keeps the calibrated move: choices are not the LLM's, a pick is phrased from the picked item only", async () => {
    const llm = await startLlmStandIn((req) => `Phrased: ${req.body.messages.at(-1)!.content}`);
    standIns.push(llm);
    const t = await TestServer.start({ llmBaseUrl: llm.baseUrl, llmTimeoutMs: 5000 });
    servers.push(t);
    const s = await shopWithAiAgent(t, { extraItems: RETURNS });
    const sofa = s.items.find((i) => i.title === RETURNS[0]!.title)!;
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    expect(choices.content_type).toBe('input_select');
    expect(llm.requests).toHaveLength(0);

    await visitor.pick(choices, `kb_item:${sofa.id}`);
    const answer = (await visitor.botMessages(3))[2]!;
    expect(answer).toMatchObject({ content: `Phrased: ${sofa.title}`, content_attributes: { kind: 'answer', kb_item_id: sofa.id } });
    expect(llm.requests).toHaveLength(1);
    const system = llm.requests[0]!.body.messages[0]!.content;
    expect(system).toContain(BOT.system_prompt);
    expect(system).toContain('using only the knowledge base entries below');
    expect(system).toContain(`[1] ${sofa.title}\n${sofa.content}`);
    expect(system).not.toContain('[2]');
    // The conversation as turns: the question, the choices, the pick.
    expect(llm.requests[0]!.body.messages.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'user']);
  });
});

describe('widget conversations of another account', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await TestServer.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('cannot answer choices offered elsewhere', async () => {
    const s = await shopWithAiAgent(t, { extraItems: RETURNS });
    const visitor = await Visitor.start(t, s.websiteToken, AMBIGUOUS);
    const choices = (await visitor.botMessages(2))[1]!;
    const owner = await signUp(t);
    const other = await shopWithAiAgent(t, { token: owner.token, accountId: owner.accountId });
    const stranger = await Visitor.start(t, other.websiteToken, 'hello');
    const res = await stranger.send({ content: 'x', submitted_value: 'handoff', in_reply_to: choices.id });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe('in_reply_to');
    expect((await visitor.messages()).find((m) => m.id === choices.id)!.content_attributes.submitted_value).toBeUndefined();
  });
});
