/** Reports (`/nc-api/v1/reports/…`). */
import { api, send } from './client.js';
import type { AiReport, SummaryReport } from './types.js';

/** How the AI agent did over a window (ISO days or instants; the server defaults to the last 30 days). */
export const aiReport = (window: { since?: string; until?: string }, signal?: AbortSignal): Promise<AiReport> =>
  send(api().GET('/nc-api/v1/reports/ai', { params: { query: window }, signal }));

/** The team's figures over whole UTC days (`YYYY-MM-DD`), for one website or all of them. */
export const summaryReport = (query: { since: string; until: string; domain_id?: number }, signal?: AbortSignal): Promise<SummaryReport> =>
  send(api().GET('/nc-api/v1/reports/summary', { params: { query }, signal }));
