import { api } from '../../api/client.js';
import type { List, Webhook, WebhookDelivery } from '../../api/types.js';

export const WEBHOOK_EVENTS = ['conversation_created', 'conversation_updated', 'conversation_resolved', 'message_created', 'sla_breached'];

export const listWebhooks = (signal?: AbortSignal) => api.get<List<Webhook>>('/nc-api/v1/webhooks', undefined, signal);

/** The secret comes back once, at creation: at the top level or inside the webhook. */
export async function createWebhook(body: {
  url: string;
  events: string[];
  secret?: string;
}): Promise<{ webhook: Webhook; secret: string | null }> {
  const res = await api.post<Webhook & { secret?: string; webhook?: Webhook & { secret?: string } }>('/nc-api/v1/webhooks', body);
  const webhook = res.webhook ?? res;
  return { webhook, secret: res.secret ?? res.webhook?.secret ?? body.secret ?? null };
}

export const setWebhookActive = (id: number, active: boolean) => api.put<Webhook>(`/nc-api/v1/webhooks/${id}`, { active });
export const deleteWebhook = (id: number) => api.del(`/nc-api/v1/webhooks/${id}`);
export const listDeliveries = (id: number, signal?: AbortSignal) =>
  api.get<List<WebhookDelivery>>(`/nc-api/v1/webhooks/${id}/deliveries`, { per_page: 50 }, signal);
export const resendDelivery = (id: number, deliveryId: number) => api.post(`/nc-api/v1/webhooks/${id}/deliveries/${deliveryId}/resend`);
