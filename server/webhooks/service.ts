import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { nowIso } from '../db/knex.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import { encryptSecret, generateWebhookSecret } from './crypto.js';
import {
  countWebhooks,
  deleteWebhook,
  findDelivery,
  findDeliveryByUid,
  findWebhook,
  insertDeliveries,
  insertWebhook,
  updateWebhook,
  type DeliveryRow,
  type WebhookRow,
} from './repo.js';
import type { WebhookEvent } from './schemas.js';

export const MAX_WEBHOOKS_PER_ACCOUNT = 20;

/** A 422 on `url` when its host is (or resolves to) an address webhooks may not reach: see destinations.ts. */
async function assertDestination(deps: Deps, url: string): Promise<void> {
  const refused = await deps.webhooks.destinations.refusalOfUrl(new URL(url));
  if (refused) throw validationFailed([{ field: 'url', message: `destination refused: ${refused}` }]);
}

/** Creates a webhook; the returned secret (given or generated) is the only time it leaves the server in clear. */
export async function createWebhook(
  deps: Deps,
  accountId: number,
  input: { url: string; events: WebhookEvent[]; secret?: string; active?: boolean },
): Promise<{ webhook: WebhookRow; secret: string }> {
  if ((await countWebhooks(deps.db, accountId)) >= MAX_WEBHOOKS_PER_ACCOUNT)
    throw forbidden('webhook_limit_reached', `An account can have at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks.`, {
      limit: 'webhooks',
      max: MAX_WEBHOOKS_PER_ACCOUNT,
    });
  await assertDestination(deps, input.url);
  const secret = input.secret ?? generateWebhookSecret();
  const webhook = await insertWebhook(deps.db, {
    account_id: accountId,
    url: input.url,
    events: input.events,
    secret_encrypted: encryptSecret(deps.webhooks.masterKey, accountId, secret),
    active: input.active ?? true,
    created_at: nowIso(),
  });
  deps.webhooks.subscriptions.changed(accountId);
  return { webhook, secret };
}

export async function changeWebhook(
  deps: Deps,
  accountId: number,
  id: number,
  input: { url?: string; events?: WebhookEvent[]; secret?: string; active?: boolean },
): Promise<WebhookRow> {
  if (!(await findWebhook(deps.db, accountId, id))) throw notFound('Webhook');
  if (input.url !== undefined) await assertDestination(deps, input.url);
  const { secret, ...rest } = input;
  const updated = await updateWebhook(deps.db, accountId, id, {
    ...rest,
    ...(secret !== undefined ? { secret_encrypted: encryptSecret(deps.webhooks.masterKey, accountId, secret) } : {}),
    updated_at: nowIso(),
  });
  deps.webhooks.subscriptions.changed(accountId);
  return updated!;
}

/** Deletes a webhook and its delivery log; false when the account has no such webhook. */
export async function removeWebhook(deps: Deps, accountId: number, id: number): Promise<boolean> {
  const deleted = await deleteWebhook(deps.db, accountId, id);
  deps.webhooks.subscriptions.changed(accountId);
  return deleted;
}

/** Sends a past delivery's exact payload again as a new delivery (new X-Nova-Delivery id, fresh attempts). */
export async function resendDelivery(deps: Deps, accountId: number, webhookId: number, deliveryId: number): Promise<DeliveryRow> {
  if (!(await findWebhook(deps.db, accountId, webhookId))) throw notFound('Webhook');
  const original = await findDelivery(deps.db, accountId, webhookId, deliveryId);
  if (!original) throw notFound('Delivery');
  const uid = randomUUID();
  // Read back inside the transaction: once it commits, the worker may attempt the delivery before we answer.
  return deps.db.transaction(async (trx) => {
    await insertDeliveries(trx, [
      {
        account_id: accountId,
        webhook_id: webhookId,
        event_id: original.event_id,
        event_type: original.event_type,
        uid,
        payload: original.payload,
        created_at: nowIso(),
      },
    ]);
    return (await findDeliveryByUid(trx, accountId, uid))!;
  });
}
