import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { isPostgres, nowIso } from '../db/knex.js';
import { decryptSecret } from './crypto.js';
import {
  claimDueDeliveries,
  pruneDeliveries,
  recordAttempts,
  releaseAllLeases,
  type AttemptOutcome,
  type ClaimedDelivery,
} from './repo.js';
import type { DestinationPolicy } from './destinations.js';
import { WebhookClient, type SendResult } from './send.js';

export type OutboxSettings = {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  concurrency: number;
  pollMs: number;
};

export const outboxSettings = (config: Config): OutboxSettings => ({
  timeoutMs: config.webhookTimeoutMs,
  maxAttempts: config.webhookMaxAttempts,
  retryBaseMs: config.webhookRetryBaseMs,
  retryMaxMs: config.webhookRetryMaxMs,
  concurrency: config.webhookConcurrency,
  pollMs: config.webhookPollMs,
});

/** The delivery log keeps finished deliveries this long. */
export const DELIVERY_RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;

/** Exponential backoff (base × 2^(attempt-1), capped) with jitter in [½, 1] of it, so failed receivers are not hit in lockstep. */
export function retryDelayMs(settings: Pick<OutboxSettings, 'retryBaseMs' | 'retryMaxMs'>, attempt: number, random = Math.random): number {
  const exponential = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential * (0.5 + random() * 0.5));
}

/**
 * Delivers the outbox: leases due rows, sends them (at most `concurrency` at once), logs each attempt
 * and schedules retries. Woken after every commit that enqueued deliveries, and polled besides (for
 * retries coming due and for rows other processes enqueued). At-least-once: a delivery is marked done
 * only after its receiver answered 2xx.
 */
export class OutboxWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly client: WebhookClient;
  private readonly log: AttemptLog;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> = Promise.resolve();
  private claiming = false;
  private claimAgain = false;
  private stopping = false;

  constructor(
    private readonly db: Knex,
    /** Decrypts each webhook's signing secret. */
    private readonly masterKey: Buffer,
    /** Checked as each delivery connects. */
    destinations: DestinationPolicy,
    private readonly settings: OutboxSettings,
    private readonly logger: Logger,
  ) {
    this.log = new AttemptLog(db);
    this.client = new WebhookClient(destinations);
  }

  /** A lease outlives the longest attempt, so only a crashed worker's lease ever runs out. */
  private get leaseMs(): number {
    return this.settings.timeoutMs * 2 + 1000;
  }

  async start(): Promise<void> {
    if (!isPostgres(this.db)) {
      const released = await releaseAllLeases(this.db);
      if (released) this.logger.info({ released }, 'webhook deliveries interrupted by the last shutdown are retried now');
    }
    this.timer = setInterval(() => this.wake(), this.settings.pollMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => (this.pruning = this.prune()), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.pruning = this.prune();
    this.wake();
  }

  private async prune(): Promise<void> {
    const cutoff = nowIso(new Date(Date.now() - DELIVERY_RETENTION_DAYS * 86_400_000));
    try {
      const pruned = await pruneDeliveries(this.db, cutoff);
      if (pruned) this.logger.info({ pruned }, `webhook deliveries older than ${DELIVERY_RETENTION_DAYS} days removed`);
    } catch (err) {
      this.logger.error({ err }, 'pruning webhook deliveries failed');
    }
  }

  /** Stops claiming and waits for the attempts in flight to finish and be logged. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.pruning;
    while (this.inFlight.size || this.claiming) await Promise.allSettled([...this.inFlight, new Promise((r) => setTimeout(r, 5))]);
    this.client.close();
  }

  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    void this.claim().finally(() => {
      this.claiming = false;
      if (this.claimAgain) {
        this.claimAgain = false;
        this.wake();
      }
    });
  }

  private async claim(): Promise<void> {
    const free = this.settings.concurrency - this.inFlight.size;
    // Claim in batches (a quarter of the slots at least) rather than one row per finished attempt.
    const batch = Math.ceil(this.settings.concurrency / 4);
    if (this.stopping || free <= 0 || (this.inFlight.size > 0 && free < batch)) return;
    let claimed: ClaimedDelivery[];
    try {
      const now = new Date();
      claimed = await claimDueDeliveries(this.db, nowIso(now), nowIso(new Date(now.getTime() + this.leaseMs)), free);
    } catch (err) {
      this.logger.error({ err }, 'claiming webhook deliveries failed');
      return;
    }
    for (const delivery of claimed) {
      const task = this.attempt(delivery).finally(() => {
        this.inFlight.delete(task);
        this.wake(); // a free slot: take the next due row
      });
      this.inFlight.add(task);
    }
    // A full batch means more may be waiting.
    if (claimed.length === free) this.claimAgain = true;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    let result: SendResult;
    try {
      const secret = decryptSecret(this.masterKey, delivery.account_id, delivery.secret_encrypted);
      result = await this.client.send(
        {
          url: delivery.url,
          secret,
          event: delivery.event_type,
          deliveryId: delivery.uid,
          attempt: delivery.attempts,
          body: delivery.payload,
        },
        this.settings.timeoutMs,
      );
    } catch (err) {
      result = { statusCode: null, error: `could not sign the delivery: ${(err as Error).message}`, durationMs: 0 };
    }
    const finishedAt = new Date();
    const succeeded = result.error === null;
    const givingUp = !succeeded && delivery.attempts >= this.settings.maxAttempts;
    const nextAttemptAt =
      succeeded || givingUp ? null : nowIso(new Date(finishedAt.getTime() + retryDelayMs(this.settings, delivery.attempts)));
    try {
      await this.log.write({
        attempt: {
          delivery_id: delivery.id,
          attempt: delivery.attempts,
          status_code: result.statusCode,
          duration_ms: result.durationMs,
          error: result.error,
          next_retry_at: nextAttemptAt,
          created_at: nowIso(finishedAt),
        },
        status: succeeded ? 'succeeded' : givingUp ? 'failed' : 'pending',
        next_attempt_at: nextAttemptAt,
      });
    } catch (err) {
      // The lease runs out and the delivery is tried again: at-least-once, never lost.
      this.logger.error({ err, delivery_id: delivery.uid }, 'logging a webhook attempt failed');
    }
    if (givingUp) this.logger.warn({ delivery_id: delivery.uid, url: delivery.url, error: result.error }, 'webhook delivery given up');
  }
}

/**
 * Writes finished attempts in batches: whatever finished while the previous batch was being written
 * goes into the next transaction. `write` resolves once its attempt is committed.
 */
class AttemptLog {
  private queue: { outcome: AttemptOutcome; done: () => void; failed: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly db: Knex) {}

  write(outcome: AttemptOutcome): Promise<void> {
    return new Promise((done, failed) => {
      this.queue.push({ outcome, done, failed });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, 1000);
        try {
          await recordAttempts(
            this.db,
            batch.map((b) => b.outcome),
            nowIso(),
          );
          for (const b of batch) b.done();
        } catch (err) {
          for (const b of batch) b.failed(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
