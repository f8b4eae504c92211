import type { Knex } from 'knex';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../../test/helpers/database.js';
import { connectDatabase, migrate, nowIso } from '../db/knex.js';
import { PostgresNotifications } from '../db/notifications.js';
import { RealtimeHub } from '../realtime/hub.js';
import { TypingRelay } from '../realtime/typing.js';
import { PostgresEventBus } from './postgres-bus.js';
import { recordEvents } from './record.js';
import type { EventOrigin, NovaEvent } from './types.js';

const log = pino({ level: 'silent' });

/** One server's share of the cluster: its own knex pool, LISTEN connection and bus, as wiring.ts builds them. */
type Node = { db: Knex; notifications: PostgresNotifications; bus: PostgresEventBus; seen: { event: NovaEvent; origin: EventOrigin }[] };

async function startNode(url: string): Promise<Node> {
  const db = connectDatabase({ dataDir: '', databaseUrl: url });
  // Quick retries, so the reconnection test does not wait out the production back-off.
  const notifications = new PostgresNotifications(url, log, { retryMinMs: 20, retryMaxMs: 200, pingMs: 200 });
  const bus = new PostgresEventBus(db, notifications, log);
  const seen: Node['seen'] = [];
  bus.subscribe((event, origin) => seen.push({ event, origin }));
  await notifications.start();
  return { db, notifications, bus, seen };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node) return;
  await node.bus.close();
  await node.notifications.stop();
  await node.db.destroy();
}

describe.skipIf(!onPostgres)('the event bus of several servers on one PostgreSQL (LISTEN/NOTIFY)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let a: Node;
  let b: Node;
  let accountId: number;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const setup = connectDatabase({ dataDir: '', databaseUrl: database.url });
    await migrate(setup);
    const [row] = await setup('accounts').insert({ name: 'Shop', plan: 'business', created_at: nowIso() }).returning('id');
    accountId = Number(row.id);
    await setup.destroy();
    a = await startNode(database.url);
    b = await startNode(database.url);
  });
  afterAll(async () => {
    await stopNode(a);
    await stopNode(b);
    await database?.drop();
  });

  /** Records `count` events through `node`, one transaction each, the way every domain records them. */
  async function record(node: Node, tags: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const which of tags) {
      const [event] = await node.db.transaction((trx) =>
        recordEvents({ bus: node.bus, eventSinks: [], now: () => new Date() }, trx, [
          { account_id: accountId, conversation_id: null, type: 'conversation_updated', payload: { which } as never },
        ]),
      );
      ids.push(event!.id);
    }
    return ids;
  }

  const storedIds = (node: Node) => node.seen.filter((s) => s.event.id !== null).map((s) => s.event.id);

  test('an event recorded through one server reaches the listeners of both, in id order, once, told apart by origin', async () => {
    const fromA = await record(a, ['a1', 'a2']);
    const fromB = await record(b, ['b1']);
    const all = [...fromA, ...fromB];
    await vi.waitFor(() => expect(storedIds(b)).toEqual(all));
    await vi.waitFor(() => expect(storedIds(a)).toEqual(all));
    const originOn = (node: Node, id: number) => node.seen.find((s) => s.event.id === id)!.origin;
    expect(fromA.map((id) => originOn(a, id))).toEqual(['local', 'local']);
    expect(fromA.map((id) => originOn(b, id))).toEqual(['remote', 'remote']);
    expect(originOn(b, fromB[0]!)).toBe('local');
    // The rows are read back whole: the other server gets the payload, not just the id.
    expect(b.seen.find((s) => s.event.id === fromA[1])!.event.data).toEqual({ which: 'a2' });
  });

  test('a rolled-back transaction announces nothing', async () => {
    const before = storedIds(b).length;
    await expect(
      a.db.transaction(async (trx) => {
        await recordEvents({ bus: a.bus, eventSinks: [], now: () => new Date() }, trx, [
          { account_id: accountId, conversation_id: null, type: 'conversation_updated', payload: { which: 'never' } as never },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const [after] = await record(a, ['after']);
    await vi.waitFor(() => expect(storedIds(b).at(-1)).toBe(after));
    expect(storedIds(b).length).toBe(before + 1);
  });

  test('typing travels in the notification: the other server gets it once, the sender once (its own, not echoed)', async () => {
    const typing: NovaEvent = {
      id: null,
      type: 'typing',
      account_id: accountId,
      conversation_id: null,
      data: { typing: true, sender: { type: 'contact', name: 'Ann' } },
      created_at: nowIso(),
    };
    a.bus.publish(typing);
    const typingOn = (node: Node) => node.seen.filter((s) => s.event.type === 'typing');
    await vi.waitFor(() => expect(typingOn(b)).toHaveLength(1));
    expect(typingOn(b)[0]).toEqual({ event: typing, origin: 'remote' });
    // A round trip through the database later, A still has only its own local delivery.
    const [marker] = await record(a, ['marker']);
    await vi.waitFor(() => expect(storedIds(a).at(-1)).toBe(marker));
    expect(typingOn(a)).toEqual([{ event: typing, origin: 'local' }]);
  });

  test('a live listener opened after an event committed never gets it, though the bus relays it after the listener opened', async () => {
    const hub = new RealtimeHub({ db: b.db, bus: b.bus, typing: new TypingRelay({ bus: b.bus, now: () => new Date() }, 1000) });
    try {
      const audience = {
        kind: 'console',
        accountId,
        sender: { type: 'agent', id: null, name: 'Ann' },
        principalKey: 'user:1',
        credential: '',
      } as const;
      const received: number[] = [];
      const [before] = await record(a, ['before']);
      // B's bus relays `before` only after its notification has come back from PostgreSQL: after this opens.
      const stop = await hub.open(audience, null, (event) => received.push(event.id!));
      const [after] = await record(a, ['after']);
      await vi.waitFor(() => expect(storedIds(b)).toContain(after));
      await vi.waitFor(() => expect(received).toEqual([after]));
      expect(storedIds(b)).toContain(before);
      stop();
    } finally {
      hub.close();
    }
  });

  test('after its LISTEN connection is terminated, a server catches up on what was committed meanwhile: nothing lost, nothing twice', async () => {
    const admin = connectDatabase({ dataDir: '', databaseUrl: database.url });
    try {
      const pid = b.notifications.backendPid!;
      expect(pid).toBeGreaterThan(0);
      const [{ terminated }] = (await admin.raw('select pg_terminate_backend(?) as terminated', [pid])).rows;
      expect(terminated).toBe(true);
      // Recorded while B's listener is down or reconnecting: never notified to it.
      const meanwhile = await record(a, ['m1', 'm2', 'm3']);
      await vi.waitFor(() => expect(b.notifications.backendPid).not.toBe(pid), { timeout: 10_000 });
      const later = await record(a, ['after-reconnect']);
      const expected = [...meanwhile, ...later];
      await vi.waitFor(() => expect(storedIds(b).slice(-expected.length)).toEqual(expected), { timeout: 10_000 });
      const ids = storedIds(b);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((x, y) => x! - y!)).toEqual(ids);
    } finally {
      await admin.destroy();
    }
  });
});
