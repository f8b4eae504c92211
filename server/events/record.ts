import type { Knex } from 'knex';
import { isPostgres, nowIso } from '../db/knex.js';
import type { EventContext, EventInput, StoredEvent } from './types.js';

/** Namespace of the advisory locks below (first key of the two-key form; the second is the account id). */
const EVENT_ID_LOCK = 0x4e4f5641;

/**
 * Makes an account's event ids commit in the order they are assigned. Clients resume "after id N", so
 * on PostgreSQL, where two transactions could otherwise commit ids 11 then 10, a reader between those
 * commits would move past 10 for good. The lock is held until commit, and taken after the rows the
 * transaction changes are locked (events are written last), so it adds no lock-order cycle.
 * SQLite's single connection already commits one transaction at a time.
 */
async function serializeEventIds(trx: Knex.Transaction, accountIds: number[]): Promise<void> {
  if (!isPostgres(trx)) return;
  for (const accountId of [...new Set(accountIds)].sort((a, b) => a - b))
    await trx.raw('select pg_advisory_xact_lock(?, ?)', [EVENT_ID_LOCK, accountId]);
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
  await serializeEventIds(
    trx,
    inputs.map((input) => input.account_id),
  );
  const createdAt = nowIso(deps.now());
  const rows = await trx('events')
    .insert(
      inputs.map((input) => ({
        account_id: input.account_id,
        conversation_id: input.conversation_id,
        type: input.type,
        payload: JSON.stringify(input.payload),
        created_at: createdAt,
      })),
    )
    .returning('id');
  // Ids of one multi-row insert are assigned in row order.
  const ids = (rows as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
  const events = inputs.map(
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
  for (const event of events) for (const sink of deps.eventSinks) await sink.inTransaction(trx, event);
  trx.executionPromise.then(
    () => events.forEach((event) => deps.bus.publish(event)),
    () => undefined,
  );
  return events;
}

/** Stored events after `afterId` for one account (optionally one conversation), oldest first: what a reconnecting client missed. */
export async function eventsAfter(
  db: Knex,
  scope: { account_id: number; conversation_id?: number },
  afterId: number,
  limit = 500,
): Promise<StoredEvent[]> {
  const query = db('events').where('account_id', scope.account_id).where('id', '>', afterId).orderBy('id').limit(limit);
  if (scope.conversation_id !== undefined) query.where('conversation_id', scope.conversation_id);
  const rows: {
    id: number;
    type: StoredEvent['type'];
    account_id: number;
    conversation_id: number | null;
    payload: string;
    created_at: string;
  }[] = await query;
  // The payload was written from the same typed input, so it parses back to its type's data.
  return rows.map(
    (r) =>
      ({
        id: r.id,
        type: r.type,
        account_id: r.account_id,
        conversation_id: r.conversation_id,
        data: JSON.parse(r.payload),
        created_at: r.created_at,
      }) as StoredEvent,
  );
}
