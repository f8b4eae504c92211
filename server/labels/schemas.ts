import { z } from 'zod';
import { listResponse, settingsListQuery } from '../validation.js';

/** One word, as Chatwoot's labels: letters, digits, "-" and "_", stored lower-cased. */
export const labelTitle = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'must be one word: letters, digits, "-" and "_"')
  .transform((title) => title.toLowerCase());

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #1f93ff')
  .transform((c) => c.toLowerCase())
  .describe('`#rrggbb`; without one a colour is picked from the title');

export const createLabelBody = z.object({ title: labelTitle.describe('e.g. `billing` (unique in the account)'), color: color.optional() });
export const updateLabelBody = z.object({ title: labelTitle.optional(), color: color.optional() });

export const setConversationLabelsBody = z.object({
  labels: z
    .array(z.string().max(50))
    .max(50)
    .describe("the conversation's labels from now on (titles of existing labels; `[]` removes them all)"),
});

export const labelSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  color: z.string(),
  conversations_count: z.number().int().describe('open, pending and resolved conversations that carry it'),
  created_at: z.string(),
});

export const labelsQuery = settingsListQuery;
export const labelList = listResponse(labelSchema);
