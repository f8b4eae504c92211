import type { Knex } from 'knex';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { isPostgres } from './db/knex.js';
import { tooManyRequests } from './errors.js';

/** The PostgreSQL table every throttle's counters live in (created by migration 011_rate_limits). */
export const RATE_LIMITS_TABLE = 'rate_limits';

/**
 * Where throttles keep their counters, built once per server (server/wiring.ts): in memory on SQLite (one
 * process serves the data), in PostgreSQL when `DATABASE_URL` is set, so every server process on that
 * database counts the same guesses, sign-ups and widget messages.
 */
export type ThrottleStore = {
  readonly kind: 'memory' | 'postgres';
  /** A counter of `points` per `windowSeconds` for each key; `name` keeps the keys of different counters apart. */
  limiter(name: string, points: number, windowSeconds: number): RateLimiterAbstract;
};

export function createThrottleStore(db: Knex): ThrottleStore {
  if (!isPostgres(db)) {
    return { kind: 'memory', limiter: (name, points, duration) => new RateLimiterMemory({ keyPrefix: name, points, duration }) };
  }
  let pruning = false;
  return {
    kind: 'postgres',
    limiter: (name, points, duration) => {
      // One limiter per store deletes expired rows now and then; they all share the table.
      const clearExpiredByTimeout = !pruning;
      pruning = true;
      return new RateLimiterPostgres({
        storeClient: db,
        storeType: 'knex',
        tableName: RATE_LIMITS_TABLE,
        tableCreated: true,
        clearExpiredByTimeout,
        keyPrefix: name,
        points,
        duration,
      });
    },
  };
}

/** Seconds until a rejected key may try again, for `Retry-After` (at least 1). */
export const retryAfterSeconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** What `take` answers: whether the event fit in the key's budget, and how many points the window holds now. */
export type Taken = { ok: true; consumed: number } | { ok: false; retryAfter: number };

/**
 * A fixed-window counter per key (address, e-mail, conversation…): `hit` counts one event and answers 429
 * with `Retry-After` once the key has used up its points in the window. Counting happens in one atomic
 * step in the store, so concurrent events count exactly like sequential ones.
 */
export class Throttle {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    store: ThrottleStore,
    name: string,
    readonly points: number,
    readonly windowSeconds: number,
    private readonly message = 'Too many requests; try again later.',
  ) {
    this.limiter = store.limiter(name, points, windowSeconds);
  }

  /** Counts one event for `key`; throws 429 when the key is over its limit. */
  async hit(key: string): Promise<void> {
    const taken = await this.take(key);
    if (!taken.ok) throw this.rejection(taken.retryAfter);
  }

  /** Counts one event for `key` and says whether it fit; `windowSeconds` sets the length of a window this event opens. */
  async take(key: string, windowSeconds?: number): Promise<Taken> {
    try {
      const res = await this.limiter.consume(key, 1, windowSeconds === undefined ? {} : { customDuration: windowSeconds });
      return { ok: true, consumed: res.consumedPoints };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { ok: false, retryAfter: retryAfterSeconds(res) };
      throw res;
    }
  }

  /** Gives back one event counted by `take` (a correct password is not a guess). */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  /** How many points `key` holds in its current window (0 when it has none). */
  async used(key: string): Promise<number> {
    return (await this.limiter.get(key))?.consumedPoints ?? 0;
  }

  /** Keeps `key` marked for `seconds` (a remembered fact, such as a sign-in that worked). */
  async mark(key: string, seconds: number): Promise<void> {
    await this.limiter.set(key, 1, seconds);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  /** The 429 this throttle answers with. */
  rejection(retryAfter: number) {
    return tooManyRequests(retryAfter, this.message);
  }
}
