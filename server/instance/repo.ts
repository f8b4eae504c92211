import type { Knex } from 'knex';
import { nowIso } from '../db/knex.js';

/** `signup`: the owner's sign-up switch; `public_url`: the owner's base URL for visitors (NOVA_PUBLIC_URL wins). */
export type InstanceSettingKey = 'signup' | 'public_url';

export async function readSetting(db: Knex, key: InstanceSettingKey): Promise<string | undefined> {
  const row = await db('instance_settings').where({ key }).first('value');
  return row?.value;
}

export async function writeSetting(db: Knex, key: InstanceSettingKey, value: string): Promise<void> {
  await db('instance_settings').insert({ key, value, updated_at: nowIso() }).onConflict('key').merge(['value', 'updated_at']);
}

export async function deleteSetting(db: Knex, key: InstanceSettingKey): Promise<void> {
  await db('instance_settings').where({ key }).delete();
}

/** Whether no account exists yet: the first one can always be created (it owns the instance). */
export async function instanceIsEmpty(db: Knex): Promise<boolean> {
  return !(await db('accounts').first('id'));
}
