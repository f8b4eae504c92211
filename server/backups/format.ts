import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type CipherGCM,
  type DecipherGCM,
  type Hash,
} from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The backup file format, version 1:
 *
 *   "NOVA-CHAT-BACKUP\n" · u32 BE header length · header (JSON, UTF-8) · body · trailer
 *
 * The body is a gzip'd tar (manifest.json, then the database); the header says what the file is, readable
 * without the passphrase (the console lists backups by it) and covered by the trailer like the body:
 * - unencrypted: the trailer is SHA-256 of everything before it (a truncated or damaged file is refused);
 * - encrypted: the body is AES-256-GCM under a key derived from the passphrase with scrypt (parameters and
 *   salt in the header), the header is the cipher's additional data, and the trailer is its 16-byte tag;
 *   `key_check` lets a wrong passphrase be told from a damaged file before anything is decrypted.
 */
const MAGIC = Buffer.from('NOVA-CHAT-BACKUP\n');
export const FORMAT_VERSION = 1;
const MAX_HEADER_BYTES = 64 * 1024;

export const BACKUP_KINDS = ['manual', 'scheduled', 'pre_upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** OWASP's scrypt floor (N=2^17, r=8, p=1): 128 MiB and a fraction of a second per guess. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 };

const encryptionSchema = z.object({
  cipher: z.literal('aes-256-gcm'),
  kdf: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(16),
  iv: z.string().min(16),
  key_check: z.string().min(16),
});

export const headerSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  kind: z.enum(BACKUP_KINDS),
  created_at: z.string(),
  /** The last migration the database had (a backup from a newer version is refused, not half-understood). */
  schema: z.string(),
  /** `sqlite`: the database is inside; `none`: the instance runs on PostgreSQL (back it up with pg_dump), secrets only. */
  database: z.enum(['sqlite', 'none']),
  encryption: encryptionSchema.nullable(),
});
export type BackupHeader = z.infer<typeof headerSchema>;
export type HeaderFields = Omit<BackupHeader, 'format' | 'encryption'>;

/** A backup that is not one, is damaged, or needs a passphrase it did not get: the CLI and the API say why. */
export class BackupFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_a_backup' | 'damaged' | 'passphrase_required' | 'wrong_passphrase' | 'unsupported',
  ) {
    super(message);
  }
}

function deriveKeys(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  return new Promise<{ key: Buffer; check: string }>((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 64, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (err, out) => {
      if (err) return reject(err);
      const check = createHmac('sha256', out.subarray(32)).update('nova-chat-backup key check').digest().subarray(0, 16);
      resolve({ key: out.subarray(0, 32), check: check.toString('base64url') });
    });
  });
}

const prefixOf = (header: BackupHeader) => {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
};

/** Seals the body as it is written: `update` per chunk, `trailer` once at the end. */
export type BodySealer = { header: BackupHeader; prefix: Buffer; update(chunk: Buffer): Buffer; finish(): Buffer[] };

export async function createSealer(fields: HeaderFields, passphrase: string | undefined): Promise<BodySealer> {
  if (!passphrase) {
    const header: BackupHeader = { format: FORMAT_VERSION, ...fields, encryption: null };
    const prefix = prefixOf(header);
    const hash = createHash('sha256').update(prefix);
    return {
      header,
      prefix,
      update: (chunk) => (hash.update(chunk), chunk),
      finish: () => [hash.digest()],
    };
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = await deriveKeys(passphrase, salt, SCRYPT);
  const header: BackupHeader = {
    format: FORMAT_VERSION,
    ...fields,
    encryption: {
      cipher: 'aes-256-gcm',
      kdf: 'scrypt',
      ...SCRYPT,
      salt: salt.toString('base64url'),
      iv: iv.toString('base64url'),
      key_check: check,
    },
  };
  const prefix = prefixOf(header);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(prefix);
  return {
    header,
    prefix,
    update: (chunk) => cipher.update(chunk),
    finish: () => [cipher.final(), cipher.getAuthTag()],
  };
}

/** Where the body lies in an opened backup, and how to check and open it. */
export type OpenedBackup = {
  header: BackupHeader;
  bodyStart: number;
  bodyEnd: number;
  /** Turns body bytes into the gzip'd tar (decrypting when encrypted); `verify` throws unless all of it arrived intact. */
  opener(): { update(chunk: Buffer): Buffer; verify(): Buffer };
};

/** Reads and checks the header (no passphrase needed): what the console lists. */
export async function readHeader(file: FileHandle): Promise<{ header: BackupHeader; prefix: Buffer; size: number }> {
  const { size } = await file.stat();
  const head = Buffer.alloc(Math.min(size, MAGIC.length + 4 + MAX_HEADER_BYTES));
  await file.read(head, 0, head.length, 0);
  if (head.length < MAGIC.length + 4 || !head.subarray(0, MAGIC.length).equals(MAGIC))
    throw new BackupFileError('This is not a Nova Chat backup file.', 'not_a_backup');
  const length = head.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER_BYTES || MAGIC.length + 4 + length > head.length)
    throw new BackupFileError('The backup file is damaged (its header is cut short).', 'damaged');
  const prefix = head.subarray(0, MAGIC.length + 4 + length);
  let json: unknown;
  try {
    json = JSON.parse(prefix.subarray(MAGIC.length + 4).toString('utf8'));
  } catch {
    throw new BackupFileError('The backup file is damaged (its header is not readable).', 'damaged');
  }
  if ((json as { format?: unknown })?.format !== FORMAT_VERSION)
    throw new BackupFileError(
      `This backup was written in format ${String((json as { format?: unknown })?.format)}; this version of Nova Chat reads format ${FORMAT_VERSION}.`,
      'unsupported',
    );
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) throw new BackupFileError('The backup file is damaged (its header is not valid).', 'damaged');
  return { header: parsed.data, prefix: Buffer.from(prefix), size };
}

/**
 * Opens a backup for reading its body: checks the header, the passphrase (when encrypted) and that the file
 * is long enough to hold a trailer. The body's integrity is known only once all of it went through `verify`.
 */
export async function openBackup(file: FileHandle, passphrase: string | undefined): Promise<OpenedBackup> {
  const { header, prefix, size } = await readHeader(file);
  const trailerLength = header.encryption ? 16 : 32;
  if (size < prefix.length + trailerLength) throw new BackupFileError('The backup file is damaged (it is cut short).', 'damaged');
  const trailer = Buffer.alloc(trailerLength);
  await file.read(trailer, 0, trailerLength, size - trailerLength);
  const base = { header, bodyStart: prefix.length, bodyEnd: size - trailerLength };
  const damaged = () => new BackupFileError('The backup file is damaged or was changed after it was written.', 'damaged');
  const { encryption } = header;
  if (!encryption) {
    return {
      ...base,
      opener: () => {
        const hash: Hash = createHash('sha256').update(prefix);
        return {
          update: (chunk) => (hash.update(chunk), chunk),
          verify: () => {
            if (!timingSafeEqual(hash.digest(), trailer)) throw damaged();
            return Buffer.alloc(0);
          },
        };
      },
    };
  }
  if (!passphrase)
    throw new BackupFileError('This backup is encrypted: give its passphrase (NOVA_BACKUP_PASSPHRASE).', 'passphrase_required');
  const { key, check } = await deriveKeys(passphrase, Buffer.from(encryption.salt, 'base64url'), encryption);
  if (!timingSafeEqual(Buffer.from(check), Buffer.from(encryption.key_check)))
    throw new BackupFileError('Wrong passphrase for this backup.', 'wrong_passphrase');
  return {
    ...base,
    opener: () => {
      const decipher: DecipherGCM = createDecipheriv('aes-256-gcm', key, Buffer.from(encryption.iv, 'base64url'));
      decipher.setAAD(prefix);
      decipher.setAuthTag(trailer);
      return {
        update: (chunk) => decipher.update(chunk),
        verify: () => {
          try {
            return decipher.final();
          } catch {
            throw damaged();
          }
        },
      };
    },
  };
}
