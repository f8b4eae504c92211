/** Signed webhooks and their deliveries (`/nc-api/v1/webhooks`). */
import { api, pathId, send } from './client.js';
import type { Webhook, WebhookDelivery, WebhookEvent } from './types.js';

/** Every event a webhook can subscribe to (a Record, so an event added to the API must be listed here). */
const EVENTS: Record<WebhookEvent, true> = {
  conversation_created: true,
  conversation_updated: true,
  conversation_resolved: true,
  message_created: true,
  message_updated: true,
  sla_breached: true,
};
export const WEBHOOK_EVENTS = Object.keys(EVENTS) as WebhookEvent[];

export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  return (await send(api().GET('/nc-api/v1/webhooks', { signal }))).data;
}

/** The answer carries the signing secret, shown only this once. */
export const createWebhook = (url: string, events: WebhookEvent[]) => send(api().POST('/nc-api/v1/webhooks', { body: { url, events } }));

export const setWebhookActive = (id: number, active: boolean): Promise<Webhook> =>
  send(api().PUT('/nc-api/v1/webhooks/{id}', { params: { path: pathId(id) }, body: { active } }));

export async function deleteWebhook(id: number): Promise<void> {
  await send(api().DELETE('/nc-api/v1/webhooks/{id}', { params: { path: pathId(id) } }));
}

export async function listDeliveries(id: number, signal?: AbortSignal): Promise<WebhookDelivery[]> {
  return (await send(api().GET('/nc-api/v1/webhooks/{id}/deliveries', { params: { path: pathId(id), query: { per_page: 50 } }, signal })))
    .data;
}

export const resendDelivery = (id: number, deliveryId: number) =>
  send(
    api().POST('/nc-api/v1/webhooks/{id}/deliveries/{deliveryId}/resend', {
      params: { path: { id: String(id), deliveryId: String(deliveryId) } },
    }),
  );
