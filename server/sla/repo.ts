import type { Knex } from 'knex';
import type { BusinessHours } from './business-hours.js';

export type SlaPolicy = {
  first_response_minutes: number;
  resolution_minutes: number;
  business_hours: BusinessHours | null;
  updated_at: string | null;
};

/** Until an account sets its own: one hour to the first reply, a day to resolve, around the clock. */
export const DEFAULT_POLICY: SlaPolicy = { first_response_minutes: 60, resolution_minutes: 1440, business_hours: null, updated_at: null };

const toPolicy = (row: Record<string, unknown>): SlaPolicy => ({
  first_response_minutes: Number(row.first_response_minutes),
  resolution_minutes: Number(row.resolution_minutes),
  business_hours: row.business_hours ? (JSON.parse(String(row.business_hours)) as BusinessHours) : null,
  updated_at: String(row.updated_at),
});

export async function findPolicy(db: Knex, accountId: number): Promise<SlaPolicy> {
  const row = await db('sla_policies').where({ account_id: accountId }).first();
  return row ? toPolicy(row) : DEFAULT_POLICY;
}

export async function savePolicy(
  db: Knex,
  accountId: number,
  policy: Omit<SlaPolicy, 'updated_at'>,
  updatedAt: string,
): Promise<SlaPolicy> {
  const values = {
    first_response_minutes: policy.first_response_minutes,
    resolution_minutes: policy.resolution_minutes,
    business_hours: policy.business_hours ? JSON.stringify(policy.business_hours) : null,
    updated_at: updatedAt,
  };
  await db('sla_policies')
    .insert({ account_id: accountId, ...values })
    .onConflict('account_id')
    .merge(values);
  return findPolicy(db, accountId);
}

/** Records a breach unless it was already recorded; true when this call recorded it. */
export async function insertBreach(
  trx: Knex.Transaction,
  values: { account_id: number; conversation_id: number; kind: 'first_response' | 'resolution'; due_at: string; detected_at: string },
): Promise<boolean> {
  const rows = await trx('sla_breaches').insert(values).onConflict(['conversation_id', 'kind']).ignore().returning('id');
  return rows.length > 0;
}

/** Breaches already announced for the given conversations, as `<conversation_id>:<kind>`. */
export async function recordedBreaches(db: Knex, conversationIds: number[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows: { conversation_id: number; kind: string }[] = await db('sla_breaches')
      .whereIn('conversation_id', conversationIds.slice(i, i + 500))
      .select('conversation_id', 'kind');
    for (const r of rows) found.add(`${r.conversation_id}:${r.kind}`);
  }
  return found;
}
