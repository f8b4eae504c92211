import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { activeWebhooks, type SubscribedWebhook } from './repo.js';

/** One read of an account's webhooks, and its answer once it came (for `knownUnsubscribed`). */
type Read = { webhooks: Promise<SubscribedWebhook[]>; answer?: SubscribedWebhook[] };

/**
 * Which webhooks an account's events go to, asked by the outbox sink for every event recorded. Read once
 * per transaction and account (the message writer records hundreds of events at a time); on SQLite also
 * kept between transactions, as one process owns that database: the webhooks service calls `changed` after
 * each change it commits, and a read in flight then is dropped with it (the single connection ran it before
 * the change, and the next read runs after). On PostgreSQL another server may change them, so each
 * transaction reads them again.
 */
export class WebhookSubscriptions {
  private readonly byTransaction = new WeakMap<Knex.Transaction, Map<number, Read>>();
  private readonly byAccount: LRUCache<number, Read> | null;

  constructor(options: { oneProcess: boolean }) {
    this.byAccount = options.oneProcess ? new LRUCache({ max: 10_000 }) : null;
  }

  of(trx: Knex.Transaction, accountId: number): Promise<SubscribedWebhook[]> {
    const cache = this.byAccount ?? this.transactionCache(trx);
    let read = cache.get(accountId);
    if (!read) {
      const started: Read = { webhooks: activeWebhooks(trx, accountId) };
      cache.set(accountId, (read = started));
      // A failed read (its transaction aborted) is not an answer to keep.
      started.webhooks.then(
        (webhooks) => (started.answer = webhooks),
        () => cache.get(accountId) === started && cache.delete(accountId),
      );
    }
    return read.webhooks;
  }

  /** True when this process knows, without asking the database, that no webhook of the account takes `type`. */
  knownUnsubscribed(accountId: number, type: string): boolean {
    const answer = this.byAccount?.get(accountId)?.answer;
    return answer !== undefined && !answer.some((w) => w.events.includes(type));
  }

  /** The account's webhooks changed (and that change committed): a read in flight is dropped with its answer. */
  changed(accountId: number): void {
    this.byAccount?.delete(accountId);
  }

  private transactionCache(trx: Knex.Transaction): Map<number, Read> {
    let cache = this.byTransaction.get(trx);
    if (!cache) this.byTransaction.set(trx, (cache = new Map()));
    return cache;
  }
}
