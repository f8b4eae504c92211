import { z } from 'zod';
import { windowTime } from '../reports/window.js';

export const exportQuery = z.object({
  format: z.enum(['csv', 'json']).default('csv').describe('`csv` (one row per message) or `json` (each conversation with its messages)'),
  since: windowTime.optional().describe('only conversations started from then (default: from the first)'),
  until: windowTime.optional().describe('only conversations started before then; a day counts whole (default: up to now)'),
});
