import { z } from 'zod';
import { bearerFrom } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import type { NovaEvent } from '../events/types.js';
import { audienceFor, stillAuthorised } from './audience.js';
import { parseLastEventId } from './websocket.js';

const DESCRIPTION =
  'Server-sent events, for networks that block WebSocket. Same credentials as the WebSocket at `/realtime`: `access_token` (console JWT or API key; ' +
  'an `Authorization` header also works), or `website_token` + `conversation_token` (widget). Resume with `?last_event_id=` or the ' +
  '`Last-Event-ID` header. A widget stream opened from a page of another origin than the bound website is a 403; past a connection cap (see the realtime section of the introduction) a 429 `too_many_connections`. Each event is `id:` (absent for typing), `event:` (its type) and `data:` (the event JSON). ' +
  'A comment line every heartbeat keeps proxies from closing the stream; a console stream whose credential has been revoked since (password or role change, removed user, revoked key) ends at the next heartbeat.';

/** One SSE frame; typing indicators are ephemeral, so they carry no id a client could resume from. */
export const sseFrame = (event: NovaEvent, json: string) =>
  `${event.id === null ? '' : `id: ${event.id}\n`}event: ${event.type}\ndata: ${json}\n\n`;

export const sseRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/realtime/sse',
    tag: 'Realtime',
    summary: 'Event stream (SSE fallback of the /realtime WebSocket)',
    description: DESCRIPTION,
    access: 'realtime',
    query: z.object({
      access_token: z.string().optional(),
      conversation_token: z.string().optional(),
      last_event_id: z.string().regex(/^\d+$/).optional(),
    }),
    responses: { 200: { description: 'text/event-stream' }, 401: { description: 'No valid credentials' } },
    handler: async (ctx, { query }) => {
      const audience = await audienceFor(
        ctx.deps,
        {
          access_token: query.access_token ?? bearerFrom(ctx) ?? undefined,
          website_token: typeof ctx.query.website_token === 'string' ? ctx.query.website_token : undefined,
          conversation_token: query.conversation_token ?? (ctx.get('x-conversation-token') || undefined),
        },
        ctx.get('origin') || undefined,
      );
      const lastEventId = parseLastEventId(query.last_event_id ?? ctx.get('last-event-id'));
      const { hub, streams, caps } = ctx.deps.realtime;
      // Past a cap this is a 429 with Retry-After, answered before the stream starts.
      const release = caps.admit(audience, ctx.ip);
      // The stream is written straight to the socket: Koa's own response handling stays out of it.
      ctx.respond = false;
      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      const res = ctx.res;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const stream = { end: () => res.end() };
      streams.add(stream);
      let stop: (() => void) | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      const end = () => {
        clearInterval(heartbeat);
        stop?.();
        streams.delete(stream);
        release();
        if (!res.writableEnded) res.end();
      };
      res.once('close', end);
      stop = await hub.open(audience, lastEventId, (event, json) => res.write(sseFrame(event, json)));
      // Each heartbeat also checks the credential again: a revoked one ends the stream.
      heartbeat = setInterval(() => {
        res.write(': ping\n\n');
        stillAuthorised(ctx.deps, audience).then(
          (ok) => ok || end(),
          (err: unknown) => ctx.deps.log.warn({ err }, 'realtime credential check failed'),
        );
      }, ctx.deps.config.realtimeHeartbeatMs);
      if (res.destroyed || res.writableEnded) end();
    },
  }),
];
