import { z } from 'zod';
import { conversationSchema, messageSchema } from '../conversations/schemas.js';
import { paginationQuery } from '../validation.js';

export const searchQuery = paginationQuery.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/[\p{L}\p{N}]/u, 'must contain a letter or a digit')
    .describe('words to find (each as the start of a word, all of them, case aside), or part of a contact’s name or e-mail'),
});

export const snippetSchema = z
  .array(z.object({ text: z.string(), match: z.boolean().describe('a word the search found') }))
  .describe('the best message around its first match, as plain-text pieces (no markup: show `match` pieces highlighted)');

export const searchResults = z.object({
  data: z.array(
    z.object({
      conversation: conversationSchema,
      message: messageSchema.nullable().describe('the best matching message (private notes included); null when only the contact matched'),
      snippet: snippetSchema.nullable(),
    }),
  ),
  meta: z.object({ total: z.number().int(), page: z.number().int(), per_page: z.number().int() }),
});
