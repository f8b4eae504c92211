import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { nowIso } from '../db/knex.js';
import { seal, unseal } from './seal.js';
import type { SecretBackend } from './backend.js';

const TABLE = 'instance_secrets';
/** The row holding the salt of the key derivation (not a secret). */
const SALT_ROW = 'kek-salt';
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: object) => Promise<Buffer>;

/** The secrets every server of one database must share: tokens one signs, the others verify; webhook secrets one seals, the others open. */
export const INSTANCE_SECRETS = ['jwt-secret', 'webhook-master-key'] as const;

const aad = (name: string) => `nova-instance-secret:${name}`;

/** Stores a row unless one of that name exists: several servers may start at once, the first write wins. */
async function insertIfAbsent(db: Knex, name: string, value: string): Promise<void> {
  await db(TABLE).insert({ name, value, created_at: nowIso() }).onConflict('name').ignore();
}

/**
 * The key-encryption key: NOVA_SECRET_KEY stretched by scrypt with this database's own salt, so a guessable
 * passphrase still costs whoever holds a copy of the database 16 MiB and tens of milliseconds per guess.
 */
async function keyEncryptionKey(db: Knex, secretKey: string): Promise<Buffer> {
  await insertIfAbsent(db, SALT_ROW, randomBytes(16).toString('base64url'));
  const row: { value: string } = await db(TABLE).where({ name: SALT_ROW }).first('value');
  return scryptAsync(secretKey, Buffer.from(row.value, 'base64url'), 32, { N: 16_384, r: 8, p: 1 });
}

/**
 * Secrets in the database, each sealed (AES-256-GCM) with the key derived from NOVA_SECRET_KEY. `set`
 * keeps the first value written, so two servers generating a secret at once end up with the same one
 * (getOrCreateSecret reads it back).
 */
export async function databaseBackend(db: Knex, secretKey: string): Promise<SecretBackend> {
  const kek = await keyEncryptionKey(db, secretKey);
  return {
    name: 'database',
    get: async (name) => {
      const row: { value: string } | undefined = await db(TABLE).where({ name }).first('value');
      if (!row) return null;
      try {
        return unseal(kek, aad(name), row.value);
      } catch {
        throw new Error(
          `The instance secrets in the database were sealed with another NOVA_SECRET_KEY: set the same NOVA_SECRET_KEY on every server of this database`,
        );
      }
    },
    set: (name, value) => insertIfAbsent(db, name, seal(kek, aad(name), value)),
  };
}

/** Whether a server with NOVA_SECRET_KEY has sealed the instance secrets here (then every server needs the key). */
export async function hasSealedSecrets(db: Knex): Promise<boolean> {
  return Boolean(await db(TABLE).whereIn('name', INSTANCE_SECRETS).first('name'));
}
