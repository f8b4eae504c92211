import { z } from 'zod';
import { itemSchema } from '../kb/schemas.js';

export const suggestionsQuery = z.object({
  k: z.coerce.number().int().min(1).max(10).default(3).describe('how many items (1–10)'),
});

export const suggestionsResponse = z.object({
  data: z.array(z.object({ item: itemSchema, score: z.number() })),
});

const count = (description: string) => z.number().int().describe(description);

export const aiReportSchema = z.object({
  questions: count('contact questions the AI agent took (greetings, thanks, requests for a person and choices picked aside)'),
  answered: count('of those, answered directly'),
  answered_via_choice: count('of those, offered choices and answered with the item the visitor picked'),
  handed_off: count(
    'of those, handed to a human: nothing close enough in the KB, "talk to a person" picked, or an answer marked unhelpful',
  ),
  handoff_requests: count('visitors who asked for a person in words (handed off at once; not among `questions`)'),
  helpful: count('answers the visitor said helped'),
  not_helpful: count('answers the visitor said did not help'),
  top_unanswered: z
    .array(z.object({ question: z.string(), count: z.number().int(), conversation_ids: z.array(z.number().int()) }))
    .describe(
      'the questions handed off or answered unhelpfully, near-duplicates grouped (embedding similarity), largest group first: the KB gaps',
    ),
  by_day: z
    .array(
      z.object({
        date: z.string().describe('UTC day'),
        questions: z.number().int(),
        answered: z.number().int(),
        answered_via_choice: z.number().int(),
        handed_off: z.number().int(),
      }),
    )
    .describe('the same counts per UTC day of the window, oldest first (days without questions included)'),
});
