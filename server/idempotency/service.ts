// Idempotency keys (`Idempotency-Key`, as Stripe has them): a retried write answers its first result instead of writing again.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { isPostgres, nowIso } from '../db/knex.js';
import { AppError } from '../errors.js';
import * as repo from './repo.js';

/** How long a key answers with its first result. */
export const KEY_TTL_MS = 24 * 3_600_000;
/** How long a started key is held before another request may take it over (its holder is then presumed dead). */
const LEASE_MS = 60_000;
const PRUNE_EVERY_MS = 3_600_000;

export type IdempotentCall = { accountId: number; scope: string; key: string; fingerprint: string; status: number };

/** Records the answer inside the transaction of the write it answers, so the two commit (or vanish) together. */
export type CommitAnswer = (trx: Knex.Transaction, answer: unknown) => Promise<void>;

export type Outcome<T> = { replayed: false; answer: T } | { replayed: true; answer: unknown; status: number };

const reused = () =>
  new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key.', [
    { field: 'Idempotency-Key', message: 'already used with a different request' },
  ]);
const inProgress = () =>
  new AppError(
    409,
    'idempotency_key_in_progress',
    'A request with this Idempotency-Key is still being processed; retry shortly.',
    undefined,
    {
      'Retry-After': '1',
    },
  );

/**
 * The keys live in the database (every server sharing it sees them), one per account, route and key, for
 * KEY_TTL_MS. A key is reserved before the work runs and completed, with the answer, in the work's own
 * transaction: a server killed after that commit still replays the answer, and one killed before it left
 * nothing written, so its key is handed to the next attempt once the lease has run out (at once on SQLite,
 * where no other process can hold it). A request that fails gives its key back.
 */
export class IdempotencyKeys {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    if (!isPostgres(this.db)) await repo.releaseStartedKeys(this.db);
    await this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async prune(): Promise<void> {
    try {
      const pruned = await repo.pruneKeys(this.db, nowIso(this.now()));
      if (pruned) this.log.info({ pruned }, 'expired idempotency keys removed');
    } catch (err) {
      this.log.error({ err }, 'pruning idempotency keys failed');
    }
  }

  async run<T>(call: IdempotentCall, work: (commit: CommitAnswer) => Promise<T>): Promise<Outcome<T>> {
    const owner = randomUUID();
    const reservation = await this.reserve(call, owner);
    if ('replay' in reservation) return { replayed: true, answer: reservation.replay.answer, status: reservation.replay.status };
    const { id } = reservation;
    const commit: CommitAnswer = async (trx, answer) => {
      // Another request took the key over (this one outlived its lease): its write must not commit as well.
      if (!(await repo.completeKey(trx, id, owner, call.status, JSON.stringify(answer)))) throw inProgress();
    };
    try {
      const answer = await work(commit);
      // A no-op when the work completed the key in its transaction, as every idempotent route does.
      await repo.completeKey(this.db, id, owner, call.status, JSON.stringify(answer));
      return { replayed: false, answer };
    } catch (err) {
      // Nothing was written (writes are atomic), or the answer is already recorded: only a started key is given back.
      await repo.releaseKey(this.db, id, owner).catch((e: unknown) => this.log.error({ err: e }, 'releasing an idempotency key failed'));
      throw err;
    }
  }

  private async reserve(call: IdempotentCall, owner: string): Promise<{ id: number } | { replay: { answer: unknown; status: number } }> {
    const ref = { account_id: call.accountId, scope: call.scope, key: call.key };
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      const leaseUntil = nowIso(new Date(now.getTime() + LEASE_MS));
      const created = await repo.insertKey(this.db, {
        ...ref,
        fingerprint: call.fingerprint,
        owner,
        lease_until: leaseUntil,
        created_at: nowIso(now),
        expires_at: nowIso(new Date(now.getTime() + KEY_TTL_MS)),
      });
      if (created) return { id: created.id };
      const row = await repo.findKey(this.db, ref);
      if (!row) continue; // given back meanwhile
      if (row.expires_at <= nowIso(now)) {
        await repo.deleteKey(this.db, row.id);
        continue;
      }
      if (row.fingerprint !== call.fingerprint) throw reused();
      if (row.state === 'completed') return { replay: { answer: JSON.parse(row.response_body!) as unknown, status: row.status_code! } };
      if (row.lease_until > nowIso(now)) throw inProgress();
      if (await repo.takeOverKey(this.db, row.id, row.lease_until, owner, leaseUntil)) return { id: row.id };
    }
    throw inProgress();
  }
}
