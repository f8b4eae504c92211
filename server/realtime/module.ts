import type { ServerModule } from '../http/server-module.js';
import { REALTIME_DOCS } from './docs.js';
import { sseRoutes } from './sse.js';

/** Realtime push: the SSE route here; the WebSocket at /realtime is attached to the HTTP server by server/wiring.ts. */
export const realtimeModule: ServerModule = { name: 'realtime', routes: sseRoutes, docs: REALTIME_DOCS };
