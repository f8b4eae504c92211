import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OUT_OF_KB, shopWithAiAgent, Visitor } from '../../../server/ai-agent/test-fixtures.js';
import { TestServer } from '../../../test/helpers/server.js';
import type { RealtimeEvent } from '../api/types.js';
import { alertFor } from './alert-rules.js';
import { RealtimeConnection, type ConnectionState } from './connection.js';

/**
 * Which events call which agent, decided on the events the real server pushes to each agent's console socket
 * (`ws` stands in for the browser's WebSocket, as in connection.test.ts).
 */
let t: TestServer;
beforeAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  t = await TestServer.start();
});
afterAll(async () => {
  await t?.close();
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
});

const until = (check: () => boolean, what: string) => expect.poll(check, { timeout: 30_000, interval: 20, message: what }).toBe(true);

async function consoleOf(token: string) {
  const events: RealtimeEvent[] = [];
  let state: ConnectionState = 'connecting';
  const connection = new RealtimeConnection({
    url: () => `${t.url.replace('http', 'ws')}/realtime?access_token=${token}`,
    onEvent: (e) => events.push(e),
    onState: (s) => (state = s),
    onRevoked: () => expect.fail('not revoked'),
  });
  connection.start();
  await until(() => state === 'open', 'console connected');
  return { events, stop: () => connection.stop() };
}

describe('alertFor on real events', { timeout: 120_000 }, () => {
  it('calls every agent for a new conversation and a hand-off, only the assignee for an assignment, nobody for their own acts', async () => {
    const shop = await shopWithAiAgent(t);
    const owner = { id: (await t.get('/nc-api/v1/auth/me', shop.token)).body.agent_id as number, token: shop.token };
    const created = await t.post(
      '/nc-api/v1/agents',
      { type: 'human', name: 'Bob', email: `bob-${Date.now()}@example.com`, password: 'AgentPass1!', role: 'agent' },
      shop.token,
    );
    const login = await t.post('/nc-api/v1/auth/login', { email: created.body.email, password: 'AgentPass1!' });
    const bob = { id: created.body.id as number, token: login.body.token as string };
    const ownerConsole = await consoleOf(owner.token);
    const bobConsole = await consoleOf(bob.token);

    // A visitor writes; the AI agent cannot answer and hands the conversation to the team.
    const visitor = await Visitor.start(t, shop.websiteToken, 'Hello there', { contact: { name: 'Carla' } });
    await visitor.say(OUT_OF_KB);
    const handedOff = (e: RealtimeEvent) => e.type === 'conversation_updated' && e.data.conversation?.status === 'pending';
    await until(() => bobConsole.events.some(handedOff), 'hand-off pushed');

    // The owner assigns it to Bob, then takes a second one themself and starts a third; Bob sets it pending himself.
    const id = visitor.conversationId;
    expect((await t.post(`/nc-api/v1/conversations/${id}/assign`, { agent_id: bob.id }, owner.token)).status).toBe(200);
    const second = await Visitor.start(t, shop.websiteToken, 'How long does shipping take?', { contact: { name: 'Dan' } });
    expect((await t.post(`/nc-api/v1/conversations/${second.conversationId}/assign`, { agent_id: owner.id }, owner.token)).status).toBe(
      200,
    );
    const bound = (await t.get('/nc-api/v1/account/domains', owner.token)).body;
    const domainId = (Array.isArray(bound) ? bound : bound.data)[0].id as number;
    const started = await t.post(
      '/nc-api/v1/conversations',
      { domain_id: domainId, contact: { name: 'Eve', email: 'eve@example.com' }, message: 'Hi Eve' },
      owner.token,
    );
    expect(started.status).toBe(201);
    expect((await t.post(`/nc-api/v1/conversations/${second.conversationId}/assign`, { agent_id: bob.id }, bob.token)).status).toBe(200);

    // The last change reached both consoles (each socket delivers in order): everything before it did too.
    const last = (events: RealtimeEvent[]) =>
      events.some(
        (e) =>
          e.type === 'conversation_updated' && e.conversation_id === second.conversationId && e.data.conversation?.assignee?.id === bob.id,
      );
    await until(() => last(ownerConsole.events) && last(bobConsole.events), 'last change pushed');

    const alerts = (events: RealtimeEvent[], agentId: number) =>
      events.flatMap((e) => {
        const alert = alertFor(e, agentId);
        return alert ? [[alert.kind, alert.conversationId, alert.body]] : [];
      });
    expect(alerts(ownerConsole.events, owner.id)).toEqual([
      ['new_conversation', id, 'Carla started a conversation'],
      ['handed_off', id, 'Nova handed Carla to a person'],
      ['new_conversation', second.conversationId, 'Dan started a conversation'],
    ]);
    // Bob is not called for the second conversation he took himself.
    expect(alerts(bobConsole.events, bob.id)).toEqual([
      ['new_conversation', id, 'Carla started a conversation'],
      ['handed_off', id, 'Nova handed Carla to a person'],
      ['assigned_to_you', id, expect.stringMatching(/ assigned you the conversation with Carla$/)],
      ['new_conversation', second.conversationId, 'Dan started a conversation'],
    ]);
    ownerConsole.stop();
    bobConsole.stop();
  });
});
