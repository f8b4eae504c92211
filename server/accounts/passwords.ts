import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * scrypt runs on libuv's thread pool, which SQLite queries, file reads and DNS lookups share: a flood of
 * sign-ins or sign-ups must not take every thread, so at most all but one hash at once, process-wide (the
 * pool is the process's: UV_THREADPOOL_SIZE, default 4). The rest wait their turn in order.
 */
const THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;
export const PASSWORD_HASH_CONCURRENCY = Math.max(1, THREAD_POOL_SIZE - 1);
const hashing = pLimit(PASSWORD_HASH_CONCURRENCY);

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  hashing(
    () =>
      new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)))),
  );

// scrypt with N=2^15, r=8, p=1 (≈ 50 ms here): slow enough for a leaked file, fast enough for a login.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: parameters stored with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

let unknownEmailHash: Promise<string> | undefined;

/**
 * A hash to verify against when the email is unknown, so timing does not reveal which emails exist. Made on
 * the first such sign-in, not when the module loads (a CLI or a test importing this file pays no scrypt).
 */
export const hashForUnknownEmail = (): Promise<string> => (unknownEmailHash ??= hashPassword(randomBytes(12).toString('hex')));
