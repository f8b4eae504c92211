import type { z } from 'zod';
import type { AttemptRow, DeliveryRow, WebhookRow } from './repo.js';
import type { attemptSchema, deliveryDetailSchema, deliverySchema, webhookSchema } from './schemas.js';

export const presentWebhook = (w: WebhookRow): z.infer<typeof webhookSchema> => ({
  id: w.id,
  url: w.url,
  events: w.events,
  active: w.active,
  created_at: w.created_at,
  updated_at: w.updated_at,
});

const presentAttempt = (a: AttemptRow): z.infer<typeof attemptSchema> => ({
  attempt: a.attempt,
  status_code: a.status_code,
  duration_ms: a.duration_ms,
  error: a.error,
  next_retry_at: a.next_retry_at,
  created_at: a.created_at,
});

export const presentDelivery = (d: DeliveryRow, attempts: AttemptRow[]): z.infer<typeof deliverySchema> => ({
  id: d.id,
  delivery_id: d.uid,
  webhook_id: d.webhook_id,
  event: d.event_type,
  event_id: d.event_id,
  status: d.status,
  attempt_count: d.attempts,
  next_attempt_at: d.status === 'pending' ? d.next_attempt_at : null,
  last_status_code: d.last_status_code,
  last_error: d.last_error,
  created_at: d.created_at,
  completed_at: d.completed_at,
  attempts: attempts.filter((a) => a.delivery_id === d.id).map(presentAttempt),
});

export const presentDeliveryDetail = (d: DeliveryRow, attempts: AttemptRow[]): z.infer<typeof deliveryDetailSchema> => ({
  ...presentDelivery(d, attempts),
  payload: JSON.parse(d.payload) as Record<string, unknown>,
});
