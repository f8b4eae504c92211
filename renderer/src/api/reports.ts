/** Reports (`/nc-api/v1/reports/…`). */
import { api, send } from './client.js';
import type { AiReport } from './types.js';

/** How the AI agent did over a window (ISO days or instants; the server defaults to the last 30 days). */
export const aiReport = (window: { since?: string; until?: string }, signal?: AbortSignal): Promise<AiReport> =>
  send(api().GET('/nc-api/v1/reports/ai', { params: { query: window }, signal }));
