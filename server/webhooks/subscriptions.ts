import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { activeWebhooks, type SubscribedWebhook } from './repo.js';

/**
 * Which webhooks an account's events go to, asked by the outbox sink for every event recorded. Read once
 * per transaction and account (the message writer records hundreds of events at a time); on SQLite also
 * kept between transactions, as one process owns that database: the webhooks service calls `changed` after
 * each change it commits, and a read in flight then is dropped with it (the single connection ran it before
 * the change, and the next read runs after). On PostgreSQL another server may change them, so each
 * transaction reads them again.
 */
export class WebhookSubscriptions {
  private readonly byTransaction = new WeakMap<Knex.Transaction, Map<number, Promise<SubscribedWebhook[]>>>();
  private readonly byAccount: LRUCache<number, Promise<SubscribedWebhook[]>> | null;
  /** The reads of `byAccount` that have answered, for a look without a transaction (`knownUnsubscribed`). */
  private readonly answered: LRUCache<number, SubscribedWebhook[]> | null;

  constructor(options: { oneProcess: boolean }) {
    this.byAccount = options.oneProcess ? new LRUCache({ max: 10_000 }) : null;
    this.answered = options.oneProcess ? new LRUCache({ max: 10_000 }) : null;
  }

  of(trx: Knex.Transaction, accountId: number): Promise<SubscribedWebhook[]> {
    const cache = this.byAccount ?? this.transactionCache(trx);
    let subscriptions = cache.get(accountId);
    if (!subscriptions) {
      subscriptions = activeWebhooks(trx, accountId);
      cache.set(accountId, subscriptions);
      // A failed read (its transaction aborted) is not an answer to keep; nor one `changed` dropped meanwhile.
      subscriptions.then(
        (webhooks) => cache === this.byAccount && cache.get(accountId) === subscriptions && this.answered?.set(accountId, webhooks),
        () => cache.get(accountId) === subscriptions && cache.delete(accountId),
      );
    }
    return subscriptions;
  }

  /** True when this process knows, without asking the database, that no webhook of the account takes `type`. */
  knownUnsubscribed(accountId: number, type: string): boolean {
    const webhooks = this.answered?.get(accountId);
    return webhooks !== undefined && !webhooks.some((w) => w.events.includes(type));
  }

  /** The account's webhooks changed (and that change committed). */
  changed(accountId: number): void {
    this.byAccount?.delete(accountId);
    this.answered?.delete(accountId);
  }

  private transactionCache(trx: Knex.Transaction): Map<number, Promise<SubscribedWebhook[]>> {
    let cache = this.byTransaction.get(trx);
    if (!cache) this.byTransaction.set(trx, (cache = new Map()));
    return cache;
  }
}
