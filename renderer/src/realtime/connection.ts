import type { RealtimeEvent } from '../api/types.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

type Options = {
  /** Built on every attempt, so a renewed token is used; null means "signed out, don't connect". */
  url: () => string | null;
  onEvent: (event: RealtimeEvent) => void;
  onState: (state: ConnectionState) => void;
  /** The server closed the socket because its token was revoked (password or role change, removal). */
  onRevoked: () => void;
};

const MAX_BACKOFF_MS = 15_000;
/** The close code the server uses for a revoked credential. */
const CLOSE_REVOKED = 4401;

/**
 * A WebSocket that reconnects with capped exponential backoff and resumes from the last event id
 * it saw (`&last_event_id=N`), so nothing pushed during a drop-out is lost. Replayed events that
 * were already seen are skipped.
 */
export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private lastEventId: number | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: Options) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  send(data: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(data));
  }

  private connect(): void {
    const base = this.options.url();
    if (!base) {
      this.options.onState('closed');
      this.retry();
      return;
    }
    this.options.onState('connecting');
    const url = this.lastEventId !== null ? `${base}&last_event_id=${this.lastEventId}` : base;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.options.onState('open');
    };
    socket.onmessage = (msg) => {
      let event: RealtimeEvent;
      try {
        event = JSON.parse(String(msg.data)) as RealtimeEvent;
      } catch {
        return;
      }
      if (typeof event.id === 'number') {
        if (this.lastEventId !== null && event.id <= this.lastEventId) return;
        this.lastEventId = event.id;
      }
      this.options.onEvent(event);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onState('closed');
      // Reconnecting with a revoked token would only be refused: the session is over.
      if (event.code === CLOSE_REVOKED) return this.options.onRevoked();
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
