import { randomUUID } from 'node:crypto';
import { nowIso } from '../db/knex.js';
import type { EventSink } from '../events/types.js';
import { webhookPayload } from './payload.js';
import { insertDeliveries } from './repo.js';
import type { WebhookSubscriptions } from './subscriptions.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from './schemas.js';

const deliverable = new Set<string>(WEBHOOK_EVENTS);

/**
 * Writes one delivery per subscribed webhook inside the event's own transaction: if the change
 * commits, its deliveries exist; if it rolls back, none do. `onEnqueued` runs after the commit.
 */
export function outboxSink(subscriptions: WebhookSubscriptions, onEnqueued: () => void): EventSink {
  return {
    async inTransaction(trx, event) {
      if (!deliverable.has(event.type)) return;
      const webhookIds = (await subscriptions.of(trx, event.account_id)).filter((w) => w.events.includes(event.type)).map((w) => w.id);
      if (!webhookIds.length) return;
      const payload = JSON.stringify(await webhookPayload(trx, event));
      // Outbox times are wall-clock: they schedule real network attempts, whatever clock the product logic runs on.
      const createdAt = nowIso();
      await insertDeliveries(
        trx,
        webhookIds.map((webhookId) => ({
          account_id: event.account_id,
          webhook_id: webhookId,
          event_id: event.id,
          event_type: event.type as WebhookEvent,
          uid: randomUUID(),
          payload,
          created_at: createdAt,
        })),
      );
      trx.executionPromise.then(onEnqueued, () => undefined);
    },
    idleFor: (event) => !deliverable.has(event.type) || subscriptions.knownUnsubscribed(event.account_id, event.type),
  };
}
