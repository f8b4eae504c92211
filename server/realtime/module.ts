import type { Deps } from '../deps.js';
import { DOCS_NOTES } from '../app.js';
import type { ServerModule } from '../modules.js';
import { REALTIME_DOCS } from './docs.js';
import { RealtimeHub } from './hub.js';
import { sseRoutes, type OpenStreams } from './sse.js';
import { RealtimeSockets } from './websocket.js';

if (!DOCS_NOTES.includes(REALTIME_DOCS)) DOCS_NOTES.push(REALTIME_DOCS);

/** Realtime push: the WebSocket at /realtime (attached to the HTTP server) and its SSE fallback route. */
export function realtimeModule(): ServerModule {
  let hub: RealtimeHub | undefined;
  const streams: OpenStreams = new Set();
  const hubFor = (deps: Deps) => (hub ??= new RealtimeHub(deps));
  return {
    name: 'realtime',
    routes: (deps) => sseRoutes(hubFor(deps), streams),
    attach: (server, deps) => {
      const sockets = new RealtimeSockets(deps, hubFor(deps), server);
      return {
        close: async () => {
          for (const stream of streams) stream.end();
          await sockets.close();
          hub?.close();
        },
      };
    },
  };
}
