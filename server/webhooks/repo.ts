import type { Knex } from 'knex';
import { countOf, isPostgres } from '../db/knex.js';
import type { Pagination } from '../db/pagination.js';
import type { DeliveryStatus, WebhookEvent } from './schemas.js';

export type WebhookRow = {
  id: number;
  account_id: number;
  url: string;
  events: WebhookEvent[];
  secret_encrypted: string;
  active: boolean;
  created_at: string;
  updated_at: string;
};

export type AttemptRow = {
  delivery_id: number;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  next_retry_at: string | null;
  created_at: string;
};

export type DeliveryRow = {
  id: number;
  account_id: number;
  webhook_id: number;
  event_id: number | null;
  event_type: WebhookEvent;
  uid: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  locked_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
};

export type NewDelivery = Pick<DeliveryRow, 'account_id' | 'webhook_id' | 'event_id' | 'event_type' | 'uid' | 'payload' | 'created_at'>;

const toWebhook = (row: Record<string, unknown>): WebhookRow =>
  ({ ...row, events: String(row.events).split(',').filter(Boolean), active: Boolean(row.active) }) as WebhookRow;

export async function listWebhooks(db: Knex, accountId: number): Promise<WebhookRow[]> {
  return (await db('webhooks').where({ account_id: accountId }).orderBy('id')).map(toWebhook);
}

export async function countWebhooks(db: Knex, accountId: number): Promise<number> {
  return countOf(await db('webhooks').where({ account_id: accountId }).count({ n: '*' }).first());
}

export async function findWebhook(db: Knex, accountId: number, id: number): Promise<WebhookRow | undefined> {
  const row = await db('webhooks').where({ account_id: accountId, id }).first();
  return row ? toWebhook(row) : undefined;
}

export type SubscribedWebhook = { id: number; events: string[] };

/** The account's active webhooks and their events (read inside the event's transaction). */
export async function activeWebhooks(db: Knex, accountId: number): Promise<SubscribedWebhook[]> {
  const rows: { id: number; events: string }[] = await db('webhooks').where({ account_id: accountId, active: true }).select('id', 'events');
  return rows.map((r) => ({ id: r.id, events: r.events.split(',') }));
}

export async function insertWebhook(
  db: Knex,
  values: { account_id: number; url: string; events: WebhookEvent[]; secret_encrypted: string; active: boolean; created_at: string },
): Promise<WebhookRow> {
  const [row] = await db('webhooks')
    .insert({ ...values, events: values.events.join(','), updated_at: values.created_at })
    .returning('*');
  return toWebhook(row);
}

export async function updateWebhook(
  db: Knex,
  accountId: number,
  id: number,
  changes: { url?: string; events?: WebhookEvent[]; secret_encrypted?: string; active?: boolean; updated_at: string },
): Promise<WebhookRow | undefined> {
  const values: Record<string, unknown> = { ...changes };
  if (changes.events) values.events = changes.events.join(',');
  await db('webhooks').where({ account_id: accountId, id }).update(values);
  return findWebhook(db, accountId, id);
}

export async function deleteWebhook(db: Knex, accountId: number, id: number): Promise<boolean> {
  return (await db('webhooks').where({ account_id: accountId, id }).delete()) > 0;
}

export async function findDeliveryByUid(db: Knex, accountId: number, uid: string): Promise<DeliveryRow | undefined> {
  return db('webhook_deliveries').where({ account_id: accountId, uid }).first();
}

export async function insertDeliveries(db: Knex, rows: NewDelivery[]): Promise<void> {
  if (!rows.length) return;
  await db('webhook_deliveries').insert(rows.map((r) => ({ ...r, status: 'pending', attempts: 0, next_attempt_at: r.created_at })));
}

export async function listDeliveries(
  db: Knex,
  accountId: number,
  webhookId: number,
  filter: Pagination & { status?: DeliveryStatus },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const base = db('webhook_deliveries').where({ account_id: accountId, webhook_id: webhookId });
  if (filter.status) base.where('status', filter.status);
  const [rows, total] = await Promise.all([
    base
      .clone()
      .orderBy('id', 'desc')
      .limit(filter.per_page)
      .offset((filter.page - 1) * filter.per_page),
    base.clone().count({ n: '*' }).first(),
  ]);
  return { rows, total: countOf(total) };
}

export async function findDelivery(db: Knex, accountId: number, webhookId: number, id: number): Promise<DeliveryRow | undefined> {
  return db('webhook_deliveries').where({ account_id: accountId, webhook_id: webhookId, id }).first();
}

/** Attempts of the given deliveries, oldest first. */
export async function attemptsOf(db: Knex, deliveryIds: number[]): Promise<AttemptRow[]> {
  if (!deliveryIds.length) return [];
  return db('webhook_attempts').whereIn('delivery_id', deliveryIds).orderBy(['delivery_id', 'attempt', 'id']);
}

/** A delivery leased by the worker, with what it needs to send it. */
export type ClaimedDelivery = Pick<DeliveryRow, 'id' | 'account_id' | 'uid' | 'event_type' | 'payload' | 'attempts'> & {
  url: string;
  secret_encrypted: string;
};

/**
 * Leases up to `limit` due deliveries until `leaseUntil` and counts the attempt. A lease that ran out
 * (its worker crashed mid-attempt) makes the row due again, so nothing in flight at a crash is lost.
 * PostgreSQL skips rows another process is claiming; SQLite's single writer serialises claims anyway.
 */
export async function claimDueDeliveries(db: Knex, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
  return db.transaction(async (trx) => {
    const query = trx('webhook_deliveries as d')
      .join('webhooks as w', 'w.id', 'd.webhook_id')
      .where('d.status', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where((q) => q.whereNull('d.locked_until').orWhere('d.locked_until', '<=', now))
      .where('w.active', true)
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
      .select('d.id', 'd.account_id', 'd.uid', 'd.event_type', 'd.payload', 'd.attempts', 'w.url', 'w.secret_encrypted');
    if (isPostgres(trx)) query.forUpdate('d').skipLocked();
    const rows: ClaimedDelivery[] = await query;
    if (!rows.length) return [];
    await trx('webhook_deliveries')
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .update({ locked_until: leaseUntil, attempts: trx.raw('attempts + 1') });
    return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  });
}

export type AttemptOutcome = { attempt: AttemptRow; status: DeliveryStatus; next_attempt_at: string | null };

/**
 * Logs finished attempts and moves their deliveries on (done, retry later, or given up), releasing
 * the leases, all in one transaction: under load the worker hands over a batch at a time, and the
 * common case (delivered, same status code) is one UPDATE for the whole batch.
 */
export async function recordAttempts(db: Knex, allOutcomes: AttemptOutcome[], completedAt: string): Promise<void> {
  await db.transaction(async (trx) => {
    // A delivery whose webhook was deleted mid-attempt is gone: skip it rather than fail the whole batch.
    const existing = new Set<number>();
    for (let i = 0; i < allOutcomes.length; i += 500) {
      const query = trx('webhook_deliveries')
        .whereIn(
          'id',
          allOutcomes.slice(i, i + 500).map((o) => o.attempt.delivery_id),
        )
        .select('id');
      if (isPostgres(trx)) query.forUpdate();
      for (const row of (await query) as { id: number }[]) existing.add(row.id);
    }
    const outcomes = allOutcomes.filter((o) => existing.has(o.attempt.delivery_id));
    for (let i = 0; i < outcomes.length; i += 200) await trx('webhook_attempts').insert(outcomes.slice(i, i + 200).map((o) => o.attempt));
    const succeeded = new Map<number, number[]>();
    for (const o of outcomes) {
      if (o.status === 'succeeded') {
        const code = o.attempt.status_code!;
        succeeded.set(code, [...(succeeded.get(code) ?? []), o.attempt.delivery_id]);
        continue;
      }
      await trx('webhook_deliveries')
        .where({ id: o.attempt.delivery_id })
        .update({
          status: o.status,
          next_attempt_at: o.next_attempt_at,
          completed_at: o.status === 'failed' ? completedAt : null,
          locked_until: null,
          last_status_code: o.attempt.status_code,
          last_error: o.attempt.error,
        });
    }
    for (const [code, ids] of succeeded)
      for (let i = 0; i < ids.length; i += 500)
        await trx('webhook_deliveries')
          .whereIn('id', ids.slice(i, i + 500))
          .update({
            status: 'succeeded',
            next_attempt_at: null,
            completed_at: completedAt,
            locked_until: null,
            last_status_code: code,
            last_error: null,
          });
  });
}

/** At start-up on SQLite no other process can hold a lease, so leases left by a crash are released at once. */
export async function releaseAllLeases(db: Knex): Promise<number> {
  return db('webhook_deliveries').where('status', 'pending').whereNotNull('locked_until').update({ locked_until: null });
}

/** Forgets finished deliveries (and, by cascade, their attempts) completed before `cutoff`. */
export async function pruneDeliveries(db: Knex, cutoff: string): Promise<number> {
  return db('webhook_deliveries').whereIn('status', ['succeeded', 'failed']).where('completed_at', '<', cutoff).delete();
}
