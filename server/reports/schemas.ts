import { z } from 'zod';
import { reportQuery } from './window.js';

export const summaryQuery = reportQuery.extend({
  domain_id: z.coerce.number().int().positive().optional().describe("only this website's conversations"),
});

const count = (description: string) => z.number().int().describe(description);
const seconds = (description: string) => z.number().nullable().describe(`${description} (null when there is none)`);

export const summarySchema = z.object({
  conversations: count('conversations started in the window'),
  resolved: count('conversations resolved in the window (and still resolved)'),
  bot_resolved: count('of those, resolved without any human reply: the AI agent handled them alone'),
  handed_off: count('conversations started in the window that the AI agent handed to a human'),
  first_response_seconds_median: seconds(
    "median seconds from the contact's first message to the first public reply by a human agent, over the conversations started in the window that got one",
  ),
  resolution_seconds_median: seconds('median seconds from start to resolution, over the conversations resolved in the window'),
  csat: z.object({
    count: count('ratings given in the window'),
    average: z.number().nullable().describe('their mean, 1–5 (null without any)'),
  }),
  by_day: z
    .array(z.object({ date: z.string(), conversations: z.number().int(), resolved: z.number().int(), bot_resolved: z.number().int() }))
    .describe('every UTC day of the window, oldest first'),
});
