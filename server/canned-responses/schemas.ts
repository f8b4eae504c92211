import { z } from 'zod';
import { listResponse, settingsListQuery, text } from '../validation.js';

/** What follows "/" in the composer: one word, compared lower-cased. */
const shortCode = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'must be one word: letters, digits, "-" and "_"')
  .transform((code) => code.toLowerCase())
  .describe('what the agent types after "/" to insert it, e.g. `refund` (one word, stored lower-cased, unique in the account)');

const content = text(10_000).describe('the text it expands to');

export const createCannedResponseBody = z.object({ short_code: shortCode, content });
export const updateCannedResponseBody = z.object({ short_code: shortCode.optional(), content: content.optional() });

export const cannedResponsesQuery = settingsListQuery.extend({
  q: z.string().max(200).optional().describe('only responses whose short code or content contains this text (case-insensitive)'),
});

export const cannedResponseSchema = z.object({
  id: z.number().int(),
  short_code: z.string(),
  content: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const cannedResponseList = listResponse(cannedResponseSchema);
