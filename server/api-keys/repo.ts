import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Permission } from '../auth/principal.js';
import { countOf, nowIso } from '../db/knex.js';

export const API_KEY_PREFIX = 'nc_live_';

export type ApiKeyRow = {
  id: number;
  account_id: number;
  name: string;
  prefix: string;
  permissions: Permission[];
  created_at: string;
  last_used_at: string | null;
};

/** Keys carry 256 random bits, so a fast unsalted SHA-256 is enough to make a leaked table useless. */
export const hashKey = (fullKey: string) => createHash('sha256').update(fullKey).digest('hex');

const toKey = (row: Record<string, unknown>): ApiKeyRow => {
  const { key_hash: _hash, ...rest } = row;
  return { ...rest, permissions: String(row.permissions).split(',') as Permission[] } as ApiKeyRow;
};

export async function findActiveKey(db: Knex, fullKey: string): Promise<ApiKeyRow | undefined> {
  const row = await db('api_keys')
    .where({ key_hash: hashKey(fullKey) })
    .first();
  return row ? toKey(row) : undefined;
}

/** Stamps a key's last use; a failure here must not fail the request that used it. */
export function stampKeyUsed(db: Knex, id: number): void {
  db('api_keys')
    .where({ id })
    .update({ last_used_at: nowIso() })
    .catch(() => undefined);
}

export async function listKeys(
  db: Knex,
  accountId: number,
  range: { offset: number; limit: number },
): Promise<{ rows: ApiKeyRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    db('api_keys').where({ account_id: accountId }).orderBy('id').offset(range.offset).limit(range.limit),
    db('api_keys').where({ account_id: accountId }).count('* as n').first(),
  ]);
  return { rows: rows.map(toKey), total: countOf(total) };
}

export async function insertKey(
  db: Knex,
  values: { account_id: number; name: string; prefix: string; key_hash: string; permissions: Permission[] },
): Promise<ApiKeyRow> {
  const [row] = await db('api_keys')
    .insert({ ...values, permissions: values.permissions.join(','), created_at: nowIso() })
    .returning('*');
  return toKey(row);
}

export async function deleteKey(db: Knex, accountId: number, id: number): Promise<boolean> {
  return (await db('api_keys').where({ account_id: accountId, id }).delete()) > 0;
}
