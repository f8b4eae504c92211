import type { Knex } from 'knex';

export type IdempotencyRow = {
  id: number;
  account_id: number;
  scope: string;
  key: string;
  fingerprint: string;
  state: 'started' | 'completed';
  owner: string;
  lease_until: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
  expires_at: string;
};

export type KeyRef = { account_id: number; scope: string; key: string };

export async function findKey(db: Knex, ref: KeyRef): Promise<IdempotencyRow | undefined> {
  return db('idempotency_keys').where(ref).first();
}

/** Inserts a started reservation; undefined when the key is already taken (the unique index decides, across processes). */
export async function insertKey(
  db: Knex,
  row: KeyRef & Pick<IdempotencyRow, 'fingerprint' | 'owner' | 'lease_until' | 'created_at' | 'expires_at'>,
): Promise<IdempotencyRow | undefined> {
  await db('idempotency_keys')
    .insert({ ...row, state: 'started' })
    .onConflict(['account_id', 'scope', 'key'])
    .ignore();
  // What an ignored insert answers differs between the databases; whose owner id is stored does not.
  const stored = await findKey(db, { account_id: row.account_id, scope: row.scope, key: row.key });
  return stored?.owner === row.owner ? stored : undefined;
}

/** Hands a started key whose lease ran out (its request died before its write committed) to a new owner. */
export async function takeOverKey(db: Knex, id: number, expiredLease: string, owner: string, leaseUntil: string): Promise<boolean> {
  const changed = await db('idempotency_keys')
    .where({ id, state: 'started', lease_until: expiredLease })
    .update({ owner, lease_until: leaseUntil });
  return changed === 1;
}

/** Records the answer, inside the write's own transaction: true only while `owner` still holds the key. */
export async function completeKey(trx: Knex, id: number, owner: string, statusCode: number, body: string): Promise<boolean> {
  const changed = await trx('idempotency_keys')
    .where({ id, owner, state: 'started' })
    .update({ state: 'completed', status_code: statusCode, response_body: body });
  return changed === 1;
}

/** Gives a key back after its request failed (nothing was written), so a corrected retry may use it. */
export async function releaseKey(db: Knex, id: number, owner: string): Promise<void> {
  await db('idempotency_keys').where({ id, owner, state: 'started' }).delete();
}

export async function deleteKey(db: Knex, id: number): Promise<void> {
  await db('idempotency_keys').where({ id }).delete();
}

/** At start-up on SQLite no other process can be running a request, so every started key was interrupted. */
export async function releaseStartedKeys(db: Knex): Promise<number> {
  return db('idempotency_keys').where({ state: 'started' }).delete();
}

export async function pruneKeys(db: Knex, now: string): Promise<number> {
  return db('idempotency_keys').where('expires_at', '<', now).delete();
}
