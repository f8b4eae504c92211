import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { isPostgres } from '../db/knex.js';
import type { EventBus } from '../events/types.js';
import { indexNewMessages } from './repo.js';

/** Messages indexed per transaction: how long one batch may hold SQLite's connection (and so the event loop). */
const BATCH = 500;
/** How long a written message waits to be indexed when no search asks for it first. */
const DELAY_MS = 1000;

/**
 * Keeps SQLite's message search index up to date in batches (migration 027): a second after messages are written,
 * at once when a batch's worth waits, and before every search, so a search finds every message written before it.
 * One FTS5 segment per batch instead of one per message's commit (issue 13). PostgreSQL indexes each message as it
 * is written (a generated column): there is nothing to do.
 */
export class MessageSearchIndexer {
  private readonly active: boolean;
  private waiting = 0;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly db: Knex,
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {
    this.active = !isPostgres(db);
  }

  /** Indexes what the last run left unindexed (a crash between a message and its batch), then follows new messages. */
  start(): void {
    if (!this.active) return;
    this.unsubscribe = this.bus.subscribe((event) => {
      if (event.type !== 'message_created') return;
      this.waiting += 1;
      if (this.waiting >= BATCH) this.schedule(0);
      else if (!this.timer) this.schedule(DELAY_MS);
    });
    this.schedule(0);
  }

  /** Indexes every message written so far. */
  async catchUp(): Promise<void> {
    if (!this.active) return;
    this.waiting = 0;
    while ((await indexNewMessages(this.db, BATCH)) === BATCH);
  }

  /** Stops following messages, leaving the index complete. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.catchUp().catch((err) => this.log.error({ err }, 'message search index: catching up at stop failed'));
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failure (a full disk) leaves the messages to the next batch, or to the next search's catch-up.
      this.catchUp().catch((err) => this.log.warn({ err }, 'message search index: batch failed'));
    }, ms);
    this.timer.unref();
  }
}
