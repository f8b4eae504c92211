import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signUp, TestServer } from '../../../test/helpers/server.js';
import type { RealtimeEvent } from '../api/types.js';
import { RealtimeConnection, type ConnectionState } from './connection.js';

/**
 * The console's socket client against the real /realtime endpoint. Node 20 has no global WebSocket;
 * `ws` implements the same browser API (onopen/onmessage/onclose, readyState), so the class runs unchanged.
 */
const urls: string[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    urls.push(url);
  }
}

let t: TestServer;
beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = RecordingWebSocket;
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

const until = async (check: () => boolean, what: string) => {
  await expect.poll(check, { timeout: 15_000, interval: 20, message: what }).toBe(true);
};

describe('RealtimeConnection', { timeout: 60_000 }, () => {
  it('reconnects after a drop and resumes from the last event id: missed events arrive once, none twice', async () => {
    const owner = await signUp(t);
    const bound = await t.post('/nc-api/v1/account/bind-domain', { website_url: 'https://shop.example.com' }, owner.token);
    const websiteToken = bound.body.website_token as string;

    let online = true;
    const events: RealtimeEvent[] = [];
    const states: ConnectionState[] = [];
    const base = `${t.url.replace('http', 'ws')}/realtime?access_token=${owner.token}`;
    const connection = new RealtimeConnection({
      url: () => (online ? base : null),
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s),
      onRevoked: () => expect.fail('not revoked'),
    });
    connection.start();
    await until(() => states.at(-1) === 'open', 'first connection opens');

    const created = await t.post(`/api/v1/widget/conversations?website_token=${websiteToken}`, {
      contact: { name: 'Ann', email: 'ann@example.com' },
      message: 'first question',
    });
    const { id, conversation_token: conversationToken } = created.body;
    const messagesOf = () => events.filter((e) => e.type === 'message_created').map((e) => e.data.message!.content);
    await until(() => messagesOf().includes('first question'), 'live message arrives');
    const lastSeen = Math.max(...events.map((e) => e.id ?? 0));

    // The network drops; while the console is away the visitor writes again.
    online = false;
    (connection as unknown as { socket: WebSocket }).socket.close();
    await until(() => states.at(-1) === 'closed', 'drop noticed');
    const missed = await t.post(`/api/v1/widget/messages?website_token=${websiteToken}&conversation_token=${conversationToken}`, {
      conversation_id: id,
      content: 'sent while you were away',
    });
    expect(missed.status).toBe(201);
    online = true;

    await until(() => messagesOf().includes('sent while you were away'), 'missed message replayed after reconnect');
    expect(urls.at(-1)).toBe(`${base}&last_event_id=${lastSeen}`);
    const ids = events.map((e) => e.id).filter((x): x is number => x !== null);
    expect(new Set(ids).size).toBe(ids.length);
    expect(messagesOf().filter((m) => m === 'first question')).toHaveLength(1);
    connection.stop();
  });

  it('ends the session when the server revokes its token, and does not reconnect with it', async () => {
    const slow = await TestServer.start({ realtimeHeartbeatMs: 100 });
    try {
      const owner = await signUp(slow);
      const states: ConnectionState[] = [];
      let revoked = 0;
      const connection = new RealtimeConnection({
        url: () => `${slow.url.replace('http', 'ws')}/realtime?access_token=${owner.token}`,
        onEvent: () => undefined,
        onState: (s) => states.push(s),
        onRevoked: () => revoked++,
      });
      connection.start();
      await until(() => states.at(-1) === 'open', 'connection opens');
      const self = (await slow.get('/nc-api/v1/auth/me', owner.token)).body.agent_id;
      expect((await slow.put(`/nc-api/v1/agents/${self}`, { password: 'Changed123!' }, owner.token)).status).toBe(200);
      await until(() => revoked === 1, 'revocation reported');
      const attempts = urls.length;
      await new Promise((resolve) => setTimeout(resolve, 1500)); // past the first reconnect delay
      expect(urls.length).toBe(attempts);
      expect(states.at(-1)).toBe('closed');
      connection.stop();
    } finally {
      await slow.close();
    }
  });
});
