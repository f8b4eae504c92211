import type { Knex } from 'knex';
import type { Role } from '../auth/principal.js';
import { nowIso } from '../db/knex.js';

export type AccountRow = { id: number; name: string; plan: string; trial_ends_at: string | null; created_at: string };
export type UserRow = {
  id: number;
  account_id: number;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  is_instance_admin: boolean;
  /** Bumped by a password or role change: tokens issued at an older version are refused. */
  token_version: number;
  created_at: string;
};

const toUser = (row: Record<string, unknown> | undefined): UserRow | undefined =>
  row ? ({ ...row, is_instance_admin: Boolean(row.is_instance_admin), token_version: Number(row.token_version) } as UserRow) : undefined;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function findAccount(db: Knex, id: number): Promise<AccountRow | undefined> {
  return db<AccountRow>('accounts').where({ id }).first();
}

export async function listAccounts(db: Knex, offset: number, limit: number): Promise<{ rows: AccountRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    db<AccountRow>('accounts').orderBy('id').offset(offset).limit(limit),
    db('accounts').count('* as n').first(),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function findUserById(db: Knex, id: number): Promise<UserRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return toUser(await db('users').where({ id }).first());
}

export async function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return toUser(
    await db('users')
      .where({ email: normalizeEmail(email) })
      .first(),
  );
}

export async function insertAccount(
  trx: Knex.Transaction,
  values: { name: string; plan: string; trial_ends_at: string | null },
): Promise<AccountRow> {
  const [row] = await trx('accounts')
    .insert({ ...values, created_at: nowIso() })
    .returning('*');
  return row as AccountRow;
}

export async function insertUser(
  trx: Knex.Transaction,
  values: { account_id: number; email: string; name: string; password_hash: string; role: Role; is_instance_admin: boolean },
): Promise<UserRow> {
  const [row] = await trx('users')
    .insert({ ...values, email: normalizeEmail(values.email), created_at: nowIso() })
    .returning('*');
  return toUser(row)!;
}

export async function updateAccountPlan(db: Knex, id: number, plan: string, trialEndsAt: string | null): Promise<void> {
  await db('accounts').where({ id }).update({ plan, trial_ends_at: trialEndsAt });
}

/**
 * Changes a user of the account; a new password or role also revokes every token issued to them before
 * (the token version goes up in the same statement).
 */
export async function updateUser(
  db: Knex,
  accountId: number,
  id: number,
  changes: { name?: string; role?: Role; password_hash?: string },
): Promise<void> {
  const values = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(values).length === 0) return;
  const revokes = 'role' in values || 'password_hash' in values;
  await db('users')
    .where({ id, account_id: accountId })
    .update({ ...values, ...(revokes ? { token_version: db.raw('token_version + 1') } : {}) });
}

export async function deleteUser(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('users').where({ id }).delete();
}
