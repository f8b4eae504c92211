import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres } from './knex.js';

/** Now on the database's clock, in milliseconds since the epoch. */
const dbNowMs = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * A leader lease: of all the servers on one database, at most one holds a given name at a time, for
 * background work that must not run on several at once (the SLA scan, the background re-embedding, and
 * any scheduled job such as backups). Use:
 *
 *   const lease = new LeaderLease(db, 'backups', 5 * 60_000);
 *   // on each tick of the schedule:
 *   await lease.runIfHeld(() => runBackup());   // runs here only if this server holds (or just took) the lease
 *   // on shutdown:
 *   await lease.release();                       // another server takes over at its next tick
 *
 * Each call renews the lease for `ttlMs`, so a holder that keeps ticking keeps it; a server that crashed
 * stops renewing, and the lease goes to whoever asks once `ttlMs` has passed. Make `ttlMs` a few times the
 * tick interval. Time is the database's clock, so servers with skewed clocks agree on when a lease ran out.
 * The lease says who starts work, not that it is alone to the end: work that can outlive `ttlMs` must
 * stay safe to run twice (the SLA scan is: a breach is recorded once by a unique key). On SQLite one
 * process owns the database, so the lease is always its own (even just after a crash, when a lease of the
 * process before would otherwise hold things up until it ran out).
 */
export class LeaderLease {
  /** This server, as the lease names its holder. */
  readonly holder = randomUUID();

  constructor(
    private readonly db: Knex,
    readonly name: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * Takes the lease if it is free or ran out, renews it if this server holds it (for `ttlMs`, by default the
   * lease's own); true when this server holds it now.
   */
  async tryHold(ttlMs = this.ttlMs): Promise<boolean> {
    if (!isPostgres(this.db)) return true;
    await this.db.raw(
      `insert into leases (name, holder, expires_at) values (?, ?, ${dbNowMs} + ?)
       on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
       where leases.holder = excluded.holder or leases.expires_at <= ${dbNowMs}`,
      [this.name, this.holder, ttlMs],
    );
    const row: { holder: string } | undefined = await this.db('leases').where({ name: this.name }).first('holder');
    return row?.holder === this.holder;
  }

  /** Runs `work` when this server holds the lease (taking or renewing it first); undefined when another server does. */
  async runIfHeld<T>(work: () => Promise<T>): Promise<T | undefined> {
    return (await this.tryHold()) ? work() : undefined;
  }

  /** Gives the lease up (on shutdown), so another server need not wait for it to run out. */
  async release(): Promise<void> {
    if (isPostgres(this.db)) await this.db('leases').where({ name: this.name, holder: this.holder }).delete();
  }
}

/** The names starting with `prefix` of leases that ran out: work whose server stopped before finishing it. */
export async function expiredLeaseNames(db: Knex, prefix: string, limit: number): Promise<string[]> {
  if (!isPostgres(db)) return [];
  const rows: { name: string }[] = await db('leases')
    .where('name', 'like', `${prefix}%`)
    .where('expires_at', '<=', db.raw(dbNowMs))
    .orderBy('expires_at')
    .limit(limit)
    .select('name');
  return rows.map((row) => row.name);
}

/** Removes a lease that ran out (its work needs no one any more); a lease held again meanwhile stays. */
export async function dropExpiredLease(db: Knex, name: string): Promise<void> {
  if (isPostgres(db)) await db('leases').where({ name }).where('expires_at', '<=', db.raw(dbNowMs)).delete();
}
