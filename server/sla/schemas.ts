import { z } from 'zod';
import { isValidTimezone } from './business-hours.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 09:00');

export const businessHoursSchema = z
  .object({
    timezone: z.string().refine(isValidTimezone, 'must be an IANA time zone like Europe/Berlin'),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'name at least one day (1 = Monday … 7 = Sunday)')
      .max(7)
      .transform((days) => [...new Set(days)].sort((a, b) => a - b))
      .describe('ISO weekdays: 1 = Monday … 7 = Sunday'),
    start: clockTime,
    end: clockTime,
  })
  .strict()
  .refine((h) => h.start < h.end, { path: ['end'], message: 'must be later than start' });

const minutes = (max: number) => z.number().int().min(1).max(max);

export const policyBody = z
  .object({
    first_response_minutes: minutes(43_200),
    resolution_minutes: minutes(129_600),
    business_hours: businessHoursSchema.nullable().optional().describe('Omit or null: the clocks run around the clock.'),
  })
  .strict()
  .refine((p) => p.resolution_minutes >= p.first_response_minutes, {
    path: ['resolution_minutes'],
    message: 'must be at least first_response_minutes',
  });

export const policySchema = z.object({
  first_response_minutes: z.number().int(),
  resolution_minutes: z.number().int(),
  business_hours: z.object({ timezone: z.string(), days: z.array(z.number().int()), start: z.string(), end: z.string() }).nullable(),
  updated_at: z.string().nullable().describe('null while the account uses the defaults'),
});

export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const conversationSlaSchema = z.object({
  id: z.number().int(),
  status: z.enum(['open', 'pending']),
  first_response_due_at: z.string().nullable().describe('null when the contact has not written yet'),
  first_response_at: z.string().nullable(),
  resolution_due_at: z.string(),
  state: z.enum(SLA_STATES),
  breached: z.array(z.enum(['first_response', 'resolution'])).describe('Which targets are missed'),
});

export const slaStatusSchema = z.object({
  policy: policySchema,
  counts: z.object({ ok: z.number().int(), at_risk: z.number().int(), breached: z.number().int() }),
  conversations: z.array(conversationSlaSchema),
});
