import type { ServerModule } from '../modules.js';
import { REALTIME_DOCS } from './docs.js';
import { sseRoutes } from './sse.js';
import { RealtimeSockets } from './websocket.js';

/** Realtime push: the WebSocket at /realtime (attached to the HTTP server) and its SSE fallback route. */
export const realtimeModule: ServerModule = {
  name: 'realtime',
  routes: sseRoutes,
  docs: REALTIME_DOCS,
  attach: (server, deps) => {
    const { hub, streams } = deps.realtime;
    const sockets = new RealtimeSockets(deps, hub, server);
    return {
      close: async () => {
        for (const stream of streams) stream.end();
        await sockets.close();
        hub.close();
      },
    };
  },
};
