import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { accountWithWebsite, visitorConversation } from '../server/conversations/test-fixtures.js';
import { messageEvent, RealtimeClient } from '../server/realtime/test-client.js';
import { verifySignature, WebhookReceiver } from '../server/webhooks/test-receiver.js';
import { ClusterNode, newSecretKey } from './helpers/cluster.js';
import { createPostgresDatabase, onPostgres } from './helpers/database.js';
import { signUp } from './helpers/server.js';
import { shopWithAiAgent, startLlmStandIn, Visitor } from '../server/ai-agent/test-fixtures.js';

/**
 * Several servers on one PostgreSQL act as one product (issue 11): two real server processes, each with its
 * own data folder and port, on one fresh database, and a client that may reach either on each request.
 */
describe.skipIf(!onPostgres)('two server processes on one PostgreSQL (runs in the PostgreSQL pass: needs TEST_DATABASE_URL)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: pg.Client;
  let a: ClusterNode;
  let b: ClusterNode;
  const sockets: RealtimeClient[] = [];
  const connect = async (node: ClusterNode, params: Record<string, string | number>) => {
    const socket = await RealtimeClient.connect(node.url, params);
    sockets.push(socket);
    return socket;
  };
  const waitLong = { timeout: 20_000, interval: 50 };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const key = newSecretKey();
    const env = {
      NOVA_SLA_CHECK_INTERVAL_MS: '200',
      NOVA_WEBHOOK_POLL_MS: '100',
      NOVA_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      LOGIN_MAX_FAILURES: '3',
      NOVA_SIGNUPS_PER_ADDRESS: '1000',
      NOVA_WIDGET_MESSAGES_PER_MINUTE: '1000',
      LOG_LEVEL: 'info',
    };
    // Both at once on the empty database, as two replicas started together: one migrates and seals the
    // instance secrets, the other waits for the migrations and finds the secrets there.
    [a, b] = await Promise.all([ClusterNode.start(database.url, key, env), ClusterNode.start(database.url, key, env)]);
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await a?.stop();
    await b?.stop();
    await sql?.end();
    await database?.drop();
  }, 60_000);

  test('a token signed by one server is accepted by the other', async () => {
    const owner = await signUp(a);
    const me = await b.get('/nc-api/v1/auth/me', owner.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: owner.userId } });
  });

  test("a visitor on one server and an agent's console on the other see each other's messages and typing", async () => {
    const site = await accountWithWebsite(a);
    const consoleOnB = await connect(b, { access_token: site.token });
    const conversation = await visitorConversation(a, site.websiteToken);
    const widgetOnA = await connect(a, { website_token: site.websiteToken, conversation_token: conversation.conversation_token });

    const posted = await a.post(
      `/api/v1/widget/messages?website_token=${site.websiteToken}`,
      { conversation_id: conversation.id, content: 'Where is my parcel?' },
      undefined,
      { 'X-Conversation-Token': conversation.conversation_token },
    );
    expect(posted.status).toBe(201);
    expect(await consoleOnB.waitFor(messageEvent('Where is my parcel?'), 10_000)).toMatchObject({ data: { message: posted.body } });

    widgetOnA.send({ type: 'typing', conversation_id: conversation.id, typing: true });
    const typing = await consoleOnB.waitFor((e) => e.type === 'typing', 10_000);
    expect(typing).toMatchObject({ id: null, conversation_id: conversation.id, data: { typing: true, sender: { type: 'contact' } } });

    await b.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: 'It ships tomorrow.' }, site.token);
    await widgetOnA.waitFor(messageEvent('It ships tomorrow.'), 10_000);
  });

  test('a widget that drops off one server and resumes on the other by last_event_id misses nothing', async () => {
    const site = await accountWithWebsite(a);
    const conversation = await visitorConversation(a, site.websiteToken);
    const params = { website_token: site.websiteToken, conversation_token: conversation.conversation_token };
    const onA = await connect(a, params);
    await b.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: 'first' }, site.token);
    const seen = await onA.waitFor(messageEvent('first'), 10_000);
    onA.close();

    // While the visitor is away, replies arrive through both servers.
    const missed = ['second', 'third', 'fourth', 'fifth'];
    for (const [i, content] of missed.entries())
      expect((await (i % 2 ? a : b).post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content }, site.token)).status).toBe(
        201,
      );

    const onB = await connect(b, { ...params, last_event_id: seen.id! });
    await a.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: 'live' }, site.token);
    await onB.waitFor(messageEvent('live'), 10_000);
    const contents = onB.events.filter((e) => e.type === 'message_created').map((e) => e.data.message.content);
    expect(contents).toEqual([...missed, 'live']);
  });

  test('an item written through one server is ranked first through the other by a query sharing no word with it', async () => {
    const owner = await signUp(a);
    const write = (title: string, content: string) => a.post('/nc-api/v1/knowledge_base/items', { title, content }, owner.token);
    await write('Opening hours', 'We are open Monday to Friday from 9 am to 6 pm.');
    await write('Shipping times', 'Orders leave our warehouse within two working days.');
    const refunds = await write('Returns and refunds', 'Unused products may be returned within thirty days for a full refund.');
    expect(refunds.status).toBe(201);

    const query = 'how do I get my cash back, I did not want the parcel';
    const topOnB = async () => (await b.get(`/nc-api/v1/knowledge_base/search?q=${encodeURIComponent(query)}`, owner.token)).body.data[0];
    await vi.waitFor(async () => expect((await topOnB())?.item.id).toBe(refunds.body.id), waitLong);
  });

  test('the sign-in throttle counts tries made through every server', async () => {
    const owner = await signUp(a);
    const wrong = { email: owner.email, password: 'not-my-password' };
    // LOGIN_MAX_FAILURES is 3 on each node: two wrong tries on A and one on B use up the pair's window.
    expect((await a.post('/nc-api/v1/auth/login', wrong)).status).toBe(401);
    expect((await a.post('/nc-api/v1/auth/login', wrong)).status).toBe(401);
    expect((await b.post('/nc-api/v1/auth/login', wrong)).status).toBe(401);
    expect((await a.post('/nc-api/v1/auth/login', wrong)).status).toBe(429);
    expect((await b.post('/nc-api/v1/auth/login', wrong)).status).toBe(429);
  });

  test('messages written through both servers are each delivered to a webhook once, signed with the same secret', async () => {
    const hooks = await WebhookReceiver.start();
    try {
      const site = await accountWithWebsite(a);
      const webhook = await a.post('/nc-api/v1/webhooks', { url: hooks.url, events: ['message_created'] }, site.token);
      expect(webhook.status).toBe(201);
      const conversation = await visitorConversation(a, site.websiteToken);
      const count = 40;
      // Each server's worker is woken by its own writes and polls for the other's: both deliver.
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          (i % 2 ? a : b).post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: `reply ${i}` }, site.token),
        ),
      );
      const replies = (requests: typeof hooks.requests) => requests.filter((r) => r.body.message?.content?.startsWith('reply '));
      await hooks.waitFor((requests) => replies(requests).length >= count);
      // A marker sent after them: once it is in, a duplicate of an earlier delivery would have had its chance.
      await b.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: 'marker' }, site.token);
      await hooks.waitFor((requests) => requests.some((r) => r.body.message?.content === 'marker'));
      const delivered = replies(hooks.requests);
      expect(delivered).toHaveLength(count);
      expect(new Set(delivered.map((r) => r.headers['x-nova-delivery'])).size).toBe(count);
      expect(new Set(delivered.map((r) => r.body.message.content)).size).toBe(count);
      expect(hooks.requests.every((r) => verifySignature(webhook.body.secret, r))).toBe(true);
    } finally {
      await hooks.close();
    }
  });

  test('an SLA breach is announced once, to the consoles on both servers', async () => {
    const site = await accountWithWebsite(a);
    expect((await b.put('/nc-api/v1/sla/policy', { first_response_minutes: 60, resolution_minutes: 1440 }, site.token)).status).toBe(200);
    const consoleOnA = await connect(a, { access_token: site.token });
    const consoleOnB = await connect(b, { access_token: site.token });
    const conversation = await visitorConversation(b, site.websiteToken);
    // The visitor wrote two hours ago and nobody answered: the first-response target (an hour) is missed.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    await sql.query('update messages set created_at = $1 where conversation_id = $2', [twoHoursAgo, conversation.id]);
    await sql.query('update conversations set created_at = $1 where id = $2', [twoHoursAgo, conversation.id]);

    const breach = (e: { type: string; conversation_id: number | null }) =>
      e.type === 'sla_breached' && e.conversation_id === conversation.id;
    await consoleOnA.waitFor(breach, 20_000);
    await consoleOnB.waitFor(breach, 20_000);
    // Both servers keep scanning every 200 ms; a marker written later bounds any second announcement.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await a.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content: 'marker', private: true }, site.token);
    await consoleOnA.waitFor(messageEvent('marker'), 10_000);
    await consoleOnB.waitFor(messageEvent('marker'), 10_000);
    expect(consoleOnA.events.filter(breach)).toHaveLength(1);
    expect(consoleOnB.events.filter(breach)).toHaveLength(1);
    const { rows } = await sql.query("select count(*)::int as n from events where type = 'sla_breached' and conversation_id = $1", [
      conversation.id,
    ]);
    expect(rows[0].n).toBe(1);
  });
});

describe.skipIf(!onPostgres)('the AI agent on several server processes: each visitor message answered once', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let llm: Awaited<ReturnType<typeof startLlmStandIn>>;
  const nodes: ClusterNode[] = [];
  const key = newSecretKey();
  /** The stand-in holds its `heldRequest`th chat request until `release` is called: a node is caught mid-answer. */
  let heldRequest = 1;
  let release!: () => void;
  let released = new Promise<void>((resolve) => (release = resolve));
  const answer = 'Parcels arrive in 3-5 business days.';
  const start = async (llmTimeoutMs: number) => {
    const node = await ClusterNode.start(database.url, key, { LLM_BASE_URL: llm.baseUrl, LLM_TIMEOUT_MS: String(llmTimeoutMs) });
    nodes.push(node);
    return node;
  };
  const caughtUp = (node: ClusterNode) => node.log.find((entry) => entry.msg === 'AI agent caught up on messages left unanswered');

  beforeAll(async () => {
    database = await createPostgresDatabase();
    llm = await startLlmStandIn(() => answer, { holdUntil: (nth) => (nth === heldRequest ? released : undefined) });
  });
  afterAll(async () => {
    release();
    for (const node of nodes) await node.stop();
    await llm?.close();
    await database?.drop();
  }, 60_000);

  test('a server restarted while another is answering does not answer again; one that dies mid-answer is taken over', async () => {
    // A rolling restart: A waits for the LLM on the visitor's question while B restarts and catches up.
    const [a, b] = await Promise.all([start(60_000), start(60_000)]);
    const shop = await shopWithAiAgent(a);
    // Greeted and answered first, so that the question is the conversation's last message while A answers it.
    const visitor = await Visitor.start(a, shop.websiteToken, 'Hello');
    await visitor.botMessages(2);
    await visitor.say('How long does shipping take?');
    await vi.waitFor(() => expect(llm.requests).toHaveLength(1), { timeout: 20_000, interval: 50 });
    await b.stop();
    const restarted = await start(60_000);
    await vi.waitFor(() => expect(caughtUp(restarted)).toBeDefined(), { timeout: 20_000, interval: 50 });
    // It found the message waiting for an answer and left it to A, which holds its claim.
    expect(caughtUp(restarted)).toMatchObject({ waiting: 1, answered: 0 });
    release();
    const [, , reply] = await visitor.botMessages(3);
    expect(reply).toMatchObject({ content: answer, content_attributes: { kb_item_id: shop.items[0]!.id } });
    expect(llm.requests).toHaveLength(1);
    expect(await visitor.via(restarted).botMessages(3)).toHaveLength(3);

    // A power cut: C dies while it waits for the LLM; its claim runs out and D's sweep answers the message.
    await Promise.all([a.stop(), restarted.stop()]);
    heldRequest = 2;
    released = new Promise<void>((resolve) => (release = resolve));
    const [c, d] = await Promise.all([start(4000), start(4000)]);
    const next = await Visitor.start(c, shop.websiteToken, 'How long does shipping take?');
    await vi.waitFor(() => expect(llm.requests).toHaveLength(2), { timeout: 20_000, interval: 20 });
    await c.stop('SIGKILL');
    const [, takenOver] = await next.via(d).botMessages(2, 60_000);
    expect(takenOver).toMatchObject({ content: answer, content_attributes: { kb_item_id: shop.items[0]!.id } });
    expect(llm.requests).toHaveLength(3);
    expect((await next.via(d).messages()).filter((m) => m.sender.type === 'bot')).toHaveLength(2);
  }, 180_000);
});
