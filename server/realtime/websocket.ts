import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { errorBody } from '../http/error-response.js';
import { audienceFor, stillAuthorised, type Audience } from './audience.js';
import { RealtimeHub } from './hub.js';

export const REALTIME_PATH = '/realtime';

/** A client whose unsent backlog grows past this is too slow to keep: it is closed and may resume. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;
/** Frames a client may send per window before it is closed (1008): a person typing sends about one a second. */
const MAX_CLIENT_FRAMES = 30;
const CLIENT_FRAME_WINDOW_MS = 10_000;

/** Close code of a console socket whose credential was revoked while it was open (app-defined range). */
export const CLOSE_REVOKED = 4401;

type LiveSocket = WebSocket & { alive?: boolean; audience?: Audience; checking?: boolean };

/** `?last_event_id=N` as a number, or null when absent or not a non-negative integer. */
export function parseLastEventId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** Answers a refused upgrade as plain HTTP, in the API's error shape (its status, code and headers, e.g. Retry-After). */
function reject(socket: Duplex, err: AppError): void {
  const body = JSON.stringify(errorBody(err));
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...err.headers,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\n${lines.join('')}\r\n${body}`);
}

/**
 * The WebSocket endpoint at /realtime on the app's own HTTP server: authenticates the upgrade and takes
 * a connection slot (refused as plain HTTP: 401, 403, 429), then streams events (resuming from
 * `last_event_id`), relays typing, and pings every heartbeat: a socket that has not answered the
 * previous ping is terminated, and a console socket whose credential no longer holds is closed with
 * 4401. A client flooding it with frames is closed with 1008.
 */
export class RealtimeSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, clientTracking: true });
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly deps: Deps,
    private readonly hub: RealtimeHub,
    private readonly server: Server,
  ) {
    server.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.beat(), deps.config.realtimeHeartbeatMs);
    this.heartbeat.unref();
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== REALTIME_PATH) return;
    socket.on('error', () => socket.destroy());
    const query = Object.fromEntries(url.searchParams);
    audienceFor(this.deps, query, req.headers.origin).then(
      (audience) => {
        let release: () => void;
        try {
          release = this.deps.realtime.caps.admit(audience, this.deps.clientOf(req).address);
        } catch (err) {
          return reject(socket, err as AppError);
        }
        // The slot is the TCP connection's: given back however it ends, upgraded or not.
        socket.once('close', release);
        this.wss.handleUpgrade(req, socket, head, (ws) =>
          this.onConnection(ws as LiveSocket, audience, parseLastEventId(query.last_event_id)),
        );
      },
      (err: unknown) => {
        if (err instanceof AppError) return reject(socket, err);
        this.deps.log.error({ err }, 'realtime upgrade failed');
        socket.destroy();
      },
    );
  };

  private onConnection(ws: LiveSocket, audience: Audience, lastEventId: number | null): void {
    ws.alive = true;
    ws.audience = audience;
    ws.on('pong', () => (ws.alive = true));
    ws.on('error', () => ws.terminate());
    let stop: (() => void) | undefined;
    let closed = false;
    let frames = { count: 0, since: Date.now() };
    // Where this socket last said "typing": a socket that goes away (closed tab, flood) stops typing there.
    const typingIn = new Map<unknown, { conversation_id: unknown; private: unknown }>();
    // One relay at a time, in the order the frames came: a console's relay looks the conversation up first,
    // and lookups finishing out of order would turn "typing, stopped" into "stopped, typing".
    let relaying = Promise.resolve();
    const relay = (message: { conversation_id?: unknown; typing?: unknown; private?: unknown }) =>
      (relaying = relaying
        .then(() => this.hub.relayTyping(audience, message))
        .catch((err: unknown) => this.deps.log.warn({ err }, 'typing relay failed')));
    ws.on('close', () => {
      closed = true;
      stop?.();
      for (const where of typingIn.values()) void relay({ ...where, typing: false });
    });
    ws.on('message', (raw, isBinary) => {
      if (ws.readyState !== ws.OPEN) return;
      const now = Date.now();
      if (now - frames.since > CLIENT_FRAME_WINDOW_MS) frames = { count: 0, since: now };
      if (++frames.count > MAX_CLIENT_FRAMES) return ws.close(1008, 'too many messages; slow down');
      if (isBinary) return;
      let message: { type?: unknown; conversation_id?: unknown; typing?: unknown; private?: unknown };
      try {
        message = JSON.parse(raw.toString());
      } catch {
        return;
      }
      if (message?.type === 'ping') ws.send('{"type":"pong"}');
      else if (message?.type === 'typing') {
        const where = { conversation_id: message.conversation_id, private: message.private };
        if (message.typing === true) typingIn.set(message.conversation_id, where);
        else typingIn.delete(message.conversation_id);
        void relay(message);
      }
    });
    const send = (_event: unknown, json: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return ws.close(1013, 'too slow; reconnect with last_event_id');
      ws.send(json);
    };
    this.hub.open(audience, lastEventId, send).then(
      (unsubscribe) => {
        if (closed) unsubscribe();
        else stop = unsubscribe;
      },
      (err: unknown) => {
        this.deps.log.error({ err }, 'realtime replay failed');
        ws.close(1011, 'replay failed');
      },
    );
  }

  private beat(): void {
    for (const client of this.wss.clients) {
      const ws = client as LiveSocket;
      if (!ws.alive) {
        ws.terminate();
        continue;
      }
      ws.alive = false;
      ws.ping();
      void this.recheck(ws);
    }
  }

  private async recheck(ws: LiveSocket): Promise<void> {
    if (ws.checking || ws.audience?.kind !== 'console') return;
    ws.checking = true;
    try {
      if (!(await stillAuthorised(this.deps, ws.audience))) ws.close(CLOSE_REVOKED, 'credentials revoked; sign in again');
    } catch (err) {
      this.deps.log.warn({ err }, 'realtime credential check failed');
    } finally {
      ws.checking = false;
    }
  }

  /** Closes every socket ("going away": clients reconnect and resume) and stops listening for upgrades. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.server.off('upgrade', this.onUpgrade);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    const deadline = Date.now() + 1000;
    while (this.wss.clients.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
