import type { Knex } from 'knex';
import { multiRowInsert, type DirectSql } from '../db/direct-transaction.js';
import { isPostgres, nowIso } from '../db/knex.js';
import type { EventContext, EventInput, StoredEvent } from './types.js';

/** Key of the advisory lock below (the two-key form's first key; the second is 0). */
const EVENT_ID_LOCK = 0x4e4f5641;

/**
 * Makes event ids commit in the order they are assigned, across every account and every server of the
 * database. Readers resume "after id N" — a client by its last_event_id, each server's bus after the last
 * event it relayed — so on PostgreSQL, where two transactions could otherwise commit ids 11 then 10, a
 * reader between those commits would move past 10 for good. The lock is held until commit, and taken after
 * the rows the transaction changes are locked (events are written last), so it adds no lock-order cycle;
 * it serialises only the last statements and the commit of event-writing transactions. SQLite's single
 * connection already commits one transaction at a time.
 */
async function serializeEventIds(trx: Knex.Transaction): Promise<void> {
  if (isPostgres(trx)) await trx.raw('select pg_advisory_xact_lock(?, 0)', [EVENT_ID_LOCK]);
}

/**
 * Stores an event inside the caller's transaction, lets the transactional sinks (webhook outbox) write
 * beside it, and publishes it on the bus once — and only if — that transaction commits.
 */
export async function recordEvent(deps: EventContext, trx: Knex.Transaction, input: EventInput): Promise<StoredEvent> {
  const [event] = await recordEvents(deps, trx, [input]);
  return event!;
}

/**
 * Records several events of one transaction with one multi-row insert (the group-committed message writer
 * records hundreds at a time); sinks and publishing as for one, in order.
 */
export async function recordEvents(deps: EventContext, trx: Knex.Transaction, inputs: EventInput[]): Promise<StoredEvent[]> {
  if (!inputs.length) return [];
  await serializeEventIds(trx);
  const createdAt = nowIso(deps.now());
  const rows = await trx('events').insert(eventRows(inputs, createdAt)).returning('id');
  const events = storedEvents(inputs, rows as { id: number }[], createdAt);
  for (const event of events) for (const sink of deps.eventSinks) await sink.inTransaction(trx, event);
  await deps.bus.announce(trx, events);
  trx.executionPromise.then(
    () => events.forEach((event) => deps.bus.publish(event)),
    () => undefined,
  );
  return events;
}

/** Whether every sink knows it has nothing to write for these events, so they may be recorded by `recordEventsDirect`. */
export const sinksIdleFor = (deps: EventContext, inputs: readonly Pick<EventInput, 'account_id' | 'type'>[]): boolean =>
  inputs.every((input) => deps.eventSinks.every((sink) => sink.idleFor(input)));

/**
 * The same inside a direct SQLite transaction (db/direct-transaction.ts), for events no sink writes for
 * (`sinksIdleFor`): SQLite's bus is in-process, so nothing is announced; the caller publishes the events
 * once the transaction committed.
 */
export function recordEventsDirect(deps: EventContext, sql: DirectSql, inputs: EventInput[]): StoredEvent[] {
  if (!inputs.length) return [];
  const createdAt = nowIso(deps.now());
  const ids = sql.rows<{ id: number }>(...multiRowInsert('events', eventRows(inputs, createdAt), 'id'));
  return storedEvents(inputs, ids, createdAt);
}

const eventRows = (inputs: readonly EventInput[], createdAt: string) =>
  inputs.map((input) => ({
    account_id: input.account_id,
    conversation_id: input.conversation_id,
    type: input.type,
    payload: JSON.stringify(input.payload),
    created_at: createdAt,
  }));

/** The events as stored: ids of one multi-row insert are assigned in row order. */
function storedEvents(inputs: readonly EventInput[], rows: { id: number }[], createdAt: string): StoredEvent[] {
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  return inputs.map(
    (input, i) =>
      ({
        id: ids[i]!,
        type: input.type,
        account_id: input.account_id,
        conversation_id: input.conversation_id,
        data: input.payload,
        created_at: createdAt,
      }) as StoredEvent,
  );
}

type EventRow = {
  id: number;
  type: StoredEvent['type'];
  account_id: number;
  conversation_id: number | null;
  payload: string;
  created_at: string;
};

/** The payload was written from the same typed input, so it parses back to its type's data. */
const storedEvent = (r: EventRow) =>
  ({
    id: r.id,
    type: r.type,
    account_id: r.account_id,
    conversation_id: r.conversation_id,
    data: JSON.parse(r.payload),
    created_at: r.created_at,
  }) as StoredEvent;

/** Stored events after `afterId` for one account (optionally one conversation), oldest first: what a reconnecting client missed. */
export async function eventsAfter(
  db: Knex,
  scope: { account_id: number; conversation_id?: number },
  afterId: number,
  limit = 500,
): Promise<StoredEvent[]> {
  const query = db('events').where('account_id', scope.account_id).where('id', '>', afterId).orderBy('id').limit(limit);
  if (scope.conversation_id !== undefined) query.where('conversation_id', scope.conversation_id);
  const rows: EventRow[] = await query;
  return rows.map(storedEvent);
}

/** Every account's stored events after `afterId`, oldest first: what a server relays to its listeners. */
export async function allEventsAfter(db: Knex, afterId: number, limit: number): Promise<StoredEvent[]> {
  const rows: EventRow[] = await db('events').where('id', '>', afterId).orderBy('id').limit(limit);
  return rows.map(storedEvent);
}

/** The newest event's id (0 when there is none). */
export async function latestEventId(db: Knex): Promise<number> {
  const row = await db('events').max('id as id').first();
  return Number(row?.id ?? 0);
}
