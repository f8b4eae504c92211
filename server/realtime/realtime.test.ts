import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../../test/helpers/server.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';
import { messageEvent, RealtimeClient, type ReceivedEvent } from './test-client.js';

const servers: TestServer[] = [];
const clients: RealtimeClient[] = [];
async function server(options: Parameters<typeof TestServer.start>[0] = {}) {
  const t = await TestServer.start(options);
  servers.push(t);
  return t;
}
async function connect(t: TestServer, params: Record<string, string | number>, options = {}) {
  const client = await RealtimeClient.connect(t.url, params, options);
  clients.push(client);
  return client;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((t) => t.close()));
});

async function setUp(t: TestServer) {
  const site = await accountWithWebsite(t);
  const conversation = await visitorConversation(t, site.websiteToken);
  const widgetParams = { website_token: site.websiteToken, conversation_token: conversation.conversation_token };
  const widgetPost = (content: string) =>
    t.post(`/api/v1/widget/messages?website_token=${site.websiteToken}`, { conversation_id: conversation.id, content }, undefined, {
      'X-Conversation-Token': conversation.conversation_token,
    });
  const agentPost = (content: string, isPrivate = false) =>
    t.post(`/nc-api/v1/conversations/${conversation.id}/messages`, { content, private: isPrivate }, site.token);
  return { site, conversation, widgetParams, widgetPost, agentPost };
}

describe('WebSocket delivery', () => {
  it("pushes the visitor's messages to the console and the agent's public replies (never private notes) to the widget", async () => {
    const t = await server();
    const { site, conversation, widgetParams, widgetPost, agentPost } = await setUp(t);
    const consoleSocket = await connect(t, { access_token: site.token });
    const widgetSocket = await connect(t, widgetParams);

    const sent = await widgetPost('Where is my parcel?');
    const received = await consoleSocket.waitFor(messageEvent('Where is my parcel?'));
    expect(received).toMatchObject({
      id: expect.any(Number),
      type: 'message_created',
      account_id: site.accountId,
      conversation_id: conversation.id,
      data: { message: sent.body },
    });

    await agentPost('Internal: check the warehouse', true);
    await agentPost('It ships tomorrow.');
    await widgetSocket.waitFor(messageEvent('It ships tomorrow.'));
    // Events arrive in order, so a private note would have come before the reply.
    expect(widgetSocket.events.some((e) => e.data.message?.private)).toBe(false);
    expect(widgetSocket.events.map((e) => e.data.message?.content).filter(Boolean)).toEqual(['Where is my parcel?', 'It ships tomorrow.']);
    await consoleSocket.waitFor(messageEvent('Internal: check the warehouse'));
  });

  it('keeps each widget to its own conversation and each console to its own account', async () => {
    const t = await server();
    const a = await setUp(t);
    const other = await visitorConversation(t, a.site.websiteToken, { contact: { email: 'other@example.com' }, message: 'hello' });
    const b = await setUp(t);
    const widgetA = await connect(t, a.widgetParams);
    const consoleB = await connect(t, { access_token: b.site.token });
    const consoleA = await connect(t, { access_token: a.site.token });

    await t.post(`/nc-api/v1/conversations/${other.id}/messages`, { content: 'for the other visitor' }, a.site.token);
    await a.agentPost('for visitor A');
    await b.agentPost('for account B');
    await widgetA.waitFor(messageEvent('for visitor A'));
    await consoleB.waitFor(messageEvent('for account B'));
    await consoleA.waitFor(messageEvent('for visitor A'));
    expect(widgetA.events.every((e) => e.conversation_id === a.conversation.id)).toBe(true);
    expect(consoleB.events.every((e) => e.account_id === b.site.accountId)).toBe(true);
    expect(consoleA.events.some((e) => e.data.message?.content === 'for the other visitor')).toBe(true);
  });

  it('refuses upgrades without valid credentials, and widget sockets from another origin', async () => {
    const t = await server();
    const { site, conversation, widgetParams } = await setUp(t);
    const refused = (params: Record<string, string>, options = {}) =>
      connect(t, params, options).then(
        () => 0,
        (err: { status?: number }) => err.status,
      );
    expect(await refused({})).toBe(401);
    expect(await refused({ access_token: 'not-a-jwt' })).toBe(401);
    expect(await refused({ website_token: site.websiteToken })).toBe(401);
    expect(await refused({ website_token: site.websiteToken, conversation_token: 'ct_forged' })).toBe(401);
    const other = await accountWithWebsite(t, 'https://other.example');
    expect(await refused({ website_token: other.websiteToken, conversation_token: conversation.conversation_token })).toBe(401);
    expect(await refused(widgetParams, { origin: 'https://evil.example' })).toBe(403);
    expect(await refused(widgetParams, { origin: 'https://mycompany.com' })).toBe(0);
  });

  it('resumes after a reconnect from last_event_id: the missed events first (private notes still hidden), then live ones', async () => {
    const t = await server();
    const { site, widgetParams, widgetPost, agentPost } = await setUp(t);
    const first = await connect(t, widgetParams);
    const consoleFirst = await connect(t, { access_token: site.token });
    await agentPost('before the drop');
    const seen = await first.waitFor(messageEvent('before the drop'));
    const consoleSeen = await consoleFirst.waitFor(messageEvent('before the drop'));
    first.close();
    consoleFirst.close();
    await first.waitForClose();

    await agentPost('missed note', true);
    await agentPost('missed reply 1');
    await widgetPost('missed visitor message');
    await agentPost('missed reply 2');

    const resumed = await connect(t, { ...widgetParams, last_event_id: seen.id! });
    await resumed.waitFor(messageEvent('missed reply 2'));
    const contents = resumed.events.filter((e) => e.type === 'message_created').map((e) => e.data.message.content);
    expect(contents).toEqual(['missed reply 1', 'missed visitor message', 'missed reply 2']);
    const ids = resumed.events.map((e) => e.id!);
    expect(ids.every((id) => id > seen.id!)).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);

    const consoleResumed = await connect(t, { access_token: site.token, last_event_id: consoleSeen.id! });
    await consoleResumed.waitFor(messageEvent('missed reply 2'));
    expect(consoleResumed.events.map((e) => e.data.message?.content).filter(Boolean)).toEqual([
      'missed note',
      'missed reply 1',
      'missed visitor message',
      'missed reply 2',
    ]);

    await agentPost('live again');
    await resumed.waitFor(messageEvent('live again'));
    expect(resumed.events.filter((e) => e.data.message?.content === 'missed reply 2')).toHaveLength(1);
  });

  it('relays typing both ways, keeps private typing in the console and does not echo it back', async () => {
    const t = await server();
    const { site, conversation, widgetParams } = await setUp(t);
    const widget = await connect(t, widgetParams);
    const consoleSocket = await connect(t, { access_token: site.token });

    widget.send({ type: 'typing', conversation_id: conversation.id, typing: true });
    const typing = await consoleSocket.waitFor((e) => e.type === 'typing');
    expect(typing).toMatchObject({
      id: null,
      conversation_id: conversation.id,
      data: { typing: true, sender: { type: 'contact', name: 'John' } },
    });

    consoleSocket.send({ type: 'typing', conversation_id: conversation.id, typing: true, private: true });
    consoleSocket.send({ type: 'typing', conversation_id: conversation.id, typing: false });
    const agentTyping = await widget.waitFor((e) => e.type === 'typing');
    expect(agentTyping.data).toMatchObject({ typing: false, sender: { type: 'agent' } });
    expect(widget.events.filter((e) => e.type === 'typing')).toHaveLength(1);
    expect(consoleSocket.events.filter((e) => e.type === 'typing')).toHaveLength(1);

    // Clients without a socket type over HTTP.
    await t.post(
      `/api/v1/widget/typing?website_token=${site.websiteToken}`,
      { conversation_id: conversation.id, typing: false },
      undefined,
      {
        'X-Conversation-Token': conversation.conversation_token,
      },
    );
    await consoleSocket.waitFor((e) => e.type === 'typing' && e.data.typing === false);
  });

  it('pushes status and assignment changes with their activity messages', async () => {
    const t = await server();
    const { site, conversation, widgetParams } = await setUp(t);
    const widget = await connect(t, widgetParams);
    const res = await t.post(`/nc-api/v1/conversations/${conversation.id}/status`, { status: 'resolved' }, site.token);
    expect(res.status).toBe(200);
    const resolved = await widget.waitFor((e) => e.type === 'conversation_resolved');
    expect(resolved.data.conversation).toMatchObject({ id: conversation.id, status: 'resolved' });
    const activity = await widget.waitFor((e) => e.type === 'message_created' && e.data.message.message_type === 'activity');
    expect(activity.data.message.content).toMatch(/^Conversation resolved by /);
  });

  it('terminates a socket that stops answering pings, and closes live sockets on shutdown', async () => {
    const t = await server({ realtimeHeartbeatMs: 100 });
    const { site } = await setUp(t);
    const silent = await connect(t, { access_token: site.token }, { autoPong: false });
    const healthy = await connect(t, { access_token: site.token });
    const closed = await silent.waitForClose(3000);
    expect(closed.code).toBe(1006); // terminated without a close frame
    expect(healthy.closed).toBeNull();

    await t.server.close();
    expect((await healthy.waitForClose()).code).toBe(1001);
    servers.splice(servers.indexOf(t), 1);
    await t.close().catch(() => undefined);
  });
});

describe('revocation while connected', () => {
  it('closes console sockets and streams whose credential is revoked (4401), and leaves every other connection open', async () => {
    const t = await server({ realtimeHeartbeatMs: 100 });
    const { site, conversation, widgetParams } = await setUp(t);
    const created = await t.post('/nc-api/v1/api-keys', { name: 'Integration', permissions: ['read'] }, site.token);
    const ownerSocket = await connect(t, { access_token: site.token });
    const keySocket = await connect(t, { access_token: created.body.full_key });
    const widgetSocket = await connect(t, widgetParams);
    const ownerStream = await fetch(`${t.url}/realtime/sse?access_token=${site.token}`);
    expect(ownerStream.status).toBe(200);

    const self = (await t.get('/nc-api/v1/auth/me', site.token)).body.agent_id;
    const changed = await t.put(`/nc-api/v1/agents/${self}`, { password: 'Changed123!' }, site.token);
    expect(changed.status).toBe(200);
    expect(await ownerSocket.waitForClose(3000)).toEqual({ code: 4401, reason: 'credentials revoked; sign in again' });
    await readSse(ownerStream, () => false); // returns once the server has ended the stream
    expect((await refusal(t, { access_token: site.token })).status).toBe(401);

    // The key, the widget and a socket on the new token still get what happens next.
    const renewed = await connect(t, { access_token: changed.body.token });
    const reply = { content: 'Still here' };
    expect((await t.post(`/nc-api/v1/conversations/${conversation.id}/messages`, reply, changed.body.token)).status).toBe(201);
    for (const socket of [keySocket, widgetSocket, renewed]) await socket.waitFor(messageEvent('Still here'));

    expect((await t.del(`/nc-api/v1/api-keys/${created.body.key.id}`, changed.body.token)).status).toBe(204);
    expect((await keySocket.waitForClose(3000)).code).toBe(4401);
    await new Promise((resolve) => setTimeout(resolve, 300)); // three more heartbeats
    expect(renewed.closed).toBeNull();
    expect(widgetSocket.closed).toBeNull();
  });
});

/** The status a refused upgrade answered with (0: it connected), and its Retry-After. */
async function refusal(t: TestServer, params: Record<string, string | number>): Promise<{ status: number; retryAfter: string | null }> {
  try {
    await connect(t, params);
    return { status: 0, retryAfter: null };
  } catch (err) {
    const e = err as { status?: number; headers?: Record<string, string> };
    return { status: e.status ?? -1, retryAfter: e.headers?.['retry-after'] ?? null };
  }
}

describe('connection caps', () => {
  it('refuse a widget socket or stream past the per-conversation cap with 429, and take one again once a slot frees', async () => {
    const t = await server({ realtimeMaxPerConversation: 3 });
    const { site, widgetParams } = await setUp(t);
    const open = [await connect(t, widgetParams), await connect(t, widgetParams)];
    const stream = await fetch(`${t.url}/realtime/sse?${new URLSearchParams(widgetParams)}`);
    expect(stream.status).toBe(200);

    const refused = await refusal(t, widgetParams);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    const refusedStream = await fetch(`${t.url}/realtime/sse?${new URLSearchParams(widgetParams)}`);
    expect(refusedStream.status).toBe(429);
    expect(Number(refusedStream.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refusedStream.json()) as { error: { code: string } }).error.code).toBe('too_many_connections');

    // Another conversation from the same address is not affected.
    const other = await visitorConversation(t, site.websiteToken, { contact: { email: 'other@example.com' }, message: 'hi' });
    expect((await refusal(t, { website_token: site.websiteToken, conversation_token: other.conversation_token })).status).toBe(0);

    open[0]!.close();
    await open[0]!.waitForClose();
    await stream.body!.cancel();
    // The slots are given back when the server sees the close, which it may not have yet: retry until it has.
    await expect.poll(async () => (await refusal(t, widgetParams)).status, { timeout: 5000 }).toBe(0);
  });

  it('cap widget connections per address, but not console sessions, which are capped per user (an office shares one address)', async () => {
    const t = await server({ realtimeMaxPerAddress: 3, realtimeMaxPerUser: 2 });
    const { site, widgetParams } = await setUp(t);
    const conversations = [widgetParams];
    for (const email of ['b@example.com', 'c@example.com', 'd@example.com']) {
      const c = await visitorConversation(t, site.websiteToken, { contact: { email }, message: 'hi' });
      conversations.push({ website_token: site.websiteToken, conversation_token: c.conversation_token });
    }
    for (const params of conversations.slice(0, 3)) await connect(t, params);
    expect((await refusal(t, conversations[3]!)).status).toBe(429);

    // The owner's console sessions: two, not more, though the address is already at its widget cap.
    await connect(t, { access_token: site.token });
    await connect(t, { access_token: site.token });
    expect((await refusal(t, { access_token: site.token })).status).toBe(429);
    expect((await fetch(`${t.url}/realtime/sse?access_token=${site.token}`)).status).toBe(429);
    // A colleague behind the same address still gets hers.
    const colleague = await t.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'Colleague', email: 'colleague@example.com', password: 'AgentPass1!', role: 'agent' },
      site.token,
    );
    expect(colleague.status).toBe(201);
    const login = await t.post('/nc-api/v1/auth/login', { email: 'colleague@example.com', password: 'AgentPass1!' });
    expect((await refusal(t, { access_token: login.body.token })).status).toBe(0);
  });
});

describe('typing limits', () => {
  const typingOf = (events: ReceivedEvent[]) => events.filter((e) => e.type === 'typing').map((e) => e.data.typing as boolean);

  it('coalesce a burst of typing changes from the visitor into the first and the final state, over the socket and over HTTP', async () => {
    const t = await server({ realtimeTypingIntervalMs: 1500 });
    const { site, conversation, widgetParams, agentPost } = await setUp(t);
    const consoleSocket = await connect(t, { access_token: site.token });
    const widget = await connect(t, widgetParams);

    for (let i = 0; i < 15; i++) widget.send({ type: 'typing', conversation_id: conversation.id, typing: i % 2 === 0 });
    widget.send({ type: 'typing', conversation_id: conversation.id, typing: false });
    await consoleSocket.waitFor((e) => e.type === 'typing' && e.data.typing === false);
    // Events arrive in order: once this message is in, any other typing event would have been too.
    await agentPost('marker 1');
    await consoleSocket.waitFor(messageEvent('marker 1'));
    expect(typingOf(consoleSocket.events)).toEqual([true, false]);

    // Over HTTP (a visitor without a socket), in another conversation.
    const other = await visitorConversation(t, site.websiteToken, { contact: { email: 'http@example.com' }, message: 'hi' });
    const http = (typing: boolean) =>
      t.post(`/api/v1/widget/typing?website_token=${site.websiteToken}`, { conversation_id: other.id, typing }, undefined, {
        'X-Conversation-Token': other.conversation_token,
      });
    for (const typing of [true, false, true, false, true, false]) expect((await http(typing)).status).toBe(204);
    const ofOther = () => typingOf(consoleSocket.events.filter((e) => e.conversation_id === other.id));
    await consoleSocket.waitFor((e) => e.type === 'typing' && e.conversation_id === other.id && e.data.typing === false);
    await t.post(`/nc-api/v1/conversations/${other.id}/messages`, { content: 'marker 2' }, site.token);
    await consoleSocket.waitFor(messageEvent('marker 2'));
    expect(ofOther()).toEqual([true, false]);
  });

  it("coalesce the agent's typing on its way to the visitor the same way", async () => {
    const t = await server({ realtimeTypingIntervalMs: 1500 });
    const { site, conversation, widgetParams, widgetPost } = await setUp(t);
    const widget = await connect(t, widgetParams);
    const consoleSocket = await connect(t, { access_token: site.token });
    for (let i = 0; i < 15; i++) consoleSocket.send({ type: 'typing', conversation_id: conversation.id, typing: i % 2 === 0 });
    consoleSocket.send({ type: 'typing', conversation_id: conversation.id, typing: false });
    await widget.waitFor((e) => e.type === 'typing' && e.data.typing === false);
    await widgetPost('marker');
    await widget.waitFor(messageEvent('marker'));
    expect(typingOf(widget.events)).toEqual([true, false]);
  });

  it('close a socket that floods the server with frames (1008), and still tell the console the visitor stopped typing', async () => {
    const t = await server({ realtimeTypingIntervalMs: 500 });
    const { site, conversation, widgetParams } = await setUp(t);
    const consoleSocket = await connect(t, { access_token: site.token });
    const widget = await connect(t, widgetParams);
    for (let i = 0; i < 5000; i++) widget.send({ type: 'typing', conversation_id: conversation.id, typing: i % 2 === 0 });
    const closed = await widget.waitForClose();
    expect(closed.code).toBe(1008);
    await consoleSocket.waitFor((e) => e.type === 'typing' && e.data.typing === false);
    const typing = typingOf(consoleSocket.events);
    expect(typing.length).toBeLessThanOrEqual(3);
    expect(typing.at(-1)).toBe(false);
  });
});

/** Reads an SSE response until `done` says it has what it needs. */
async function readSse(res: Response, done: (events: { id?: string; event?: string; data: ReceivedEvent }[]) => boolean) {
  const events: { id?: string; event?: string; data: ReceivedEvent }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = Object.fromEntries(
        frame
          .split('\n')
          .filter((line) => line && !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
    }
  }
  await reader.cancel();
  return events;
}

describe('SSE fallback', () => {
  it('streams the same events with ids, resumes from Last-Event-ID, and answers the bound origin only', async () => {
    const t = await server();
    const { site, widgetParams, agentPost } = await setUp(t);
    const query = new URLSearchParams(widgetParams).toString();

    expect((await fetch(`${t.url}/realtime/sse?website_token=${site.websiteToken}`)).status).toBe(401);

    const live = await fetch(`${t.url}/realtime/sse?${query}`, { headers: { Origin: 'https://mycompany.com' } });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('text/event-stream');
    expect(live.headers.get('access-control-allow-origin')).toBe('https://mycompany.com');
    const reading = readSse(live, (events) => events.some((e) => e.data.data.message?.content === 'second'));
    await agentPost('secret', true);
    await agentPost('first');
    await agentPost('second');
    const events = await reading;
    const messages = events.filter((e) => e.event === 'message_created');
    expect(messages.map((e) => e.data.data.message.content)).toEqual(['first', 'second']);
    expect(messages.map((e) => Number(e.id))).toEqual(messages.map((e) => e.data.id));

    const resumed = await fetch(`${t.url}/realtime/sse?${query}`, { headers: { 'Last-Event-ID': messages[0]!.id! } });
    const replay = await readSse(resumed, (evs) => evs.some((e) => e.data.data.message?.content === 'second'));
    expect(replay.filter((e) => e.event === 'message_created').map((e) => e.data.data.message.content)).toEqual(['second']);

    // Like a widget socket, a widget stream from another origin is refused before it opens.
    const foreign = await fetch(`${t.url}/realtime/sse?${query}`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');

    const consoleStream = await fetch(`${t.url}/realtime/sse?access_token=${site.token}&last_event_id=0`);
    const all = await readSse(consoleStream, (evs) => evs.some((e) => e.data.data.message?.content === 'second'));
    expect(all.map((e) => e.data.data.message?.content).filter(Boolean)).toContain('secret');
  });
});

describe('raw protocol', () => {
  it('answers a non-WebSocket request on /realtime with an error rather than hanging', async () => {
    const t = await server();
    const res = await fetch(`${t.url}/realtime`);
    expect(res.status).toBe(404);
    // A bare TCP upgrade attempt with bad credentials gets an HTTP 401 and a closed connection.
    const port = new URL(t.url).port;
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () =>
        socket.write(
          'GET /realtime HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1.1 401/);
  });
});
