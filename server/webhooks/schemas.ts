import { z } from 'zod';
import { paginationQuery } from '../validation.js';

export const WEBHOOK_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_resolved',
  'message_created',
  'message_updated',
  'sla_breached',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * An http(s) URL without credentials; LAN addresses are fine (this is a LAN product), the destination
 * rules are checked by the service. Raw control characters and spaces are refused rather than stored:
 * the URL parser would drop a CR/LF silently, so what is stored would not be what is requested.
 */
const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => !/\s/.test(value) && ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    'must not contain spaces or control characters (CR, LF, tab…); percent-encode them',
  )
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, e.g. http://192.168.1.20:3000/hooks/nova');

const eventList = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'subscribe to at least one event')
  .transform((events) => [...new Set(events)]);

const secret = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const createWebhookBody = z
  .object({ url: webhookUrl, events: eventList, secret: secret.optional(), active: z.boolean().optional() })
  .strict();

export const updateWebhookBody = z
  .object({ url: webhookUrl.optional(), events: eventList.optional(), secret: secret.optional(), active: z.boolean().optional() })
  .strict();

export const webhookSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe('Signing secret; shown only in this response.'),
});

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveriesQuery = paginationQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() });

export const attemptSchema = z.object({
  attempt: z.number().int(),
  status_code: z.number().int().nullable(),
  duration_ms: z.number().int(),
  error: z.string().nullable(),
  next_retry_at: z.string().nullable().describe('When the next attempt is due; null after success or the last attempt.'),
  created_at: z.string(),
});

export const deliverySchema = z.object({
  id: z.number().int(),
  delivery_id: z.string().describe('The X-Nova-Delivery header: the same on every attempt of this delivery.'),
  webhook_id: z.number().int(),
  event: z.enum(WEBHOOK_EVENTS),
  event_id: z.number().int().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempt_count: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  attempts: z.array(attemptSchema),
});

export const deliveryDetailSchema = deliverySchema.extend({
  payload: z.record(z.string(), z.unknown()).describe('The JSON body sent (and signed) on every attempt.'),
});
