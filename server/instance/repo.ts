import type { Knex } from 'knex';
import { nowIso } from '../db/knex.js';

export type InstanceSettingKey = 'signup';

export async function readSetting(db: Knex, key: InstanceSettingKey): Promise<string | undefined> {
  const row = await db('instance_settings').where({ key }).first('value');
  return row?.value;
}

export async function writeSetting(db: Knex, key: InstanceSettingKey, value: string): Promise<void> {
  await db('instance_settings').insert({ key, value, updated_at: nowIso() }).onConflict('key').merge(['value', 'updated_at']);
}

/** Whether no account exists yet: the first one can always be created (it owns the instance). */
export async function instanceIsEmpty(db: Knex): Promise<boolean> {
  return !(await db('accounts').first('id'));
}
