import type { WidgetApi } from './api.js';
import type { RealtimeEvent, Session } from './types.js';

type Mode = 'ws' | 'sse' | 'poll';

export type RealtimeOptions = {
  api: WidgetApi;
  session: Session;
  onEvent(event: RealtimeEvent): void;
  /** Called after every event with an id, so the caller can persist where to resume from. */
  onProgress(lastEventId: number): void;
  /** The last resort: fetch what is new over plain HTTP. */
  poll(): Promise<void>;
};

const EVENT_TYPES = [
  'message_created',
  'message_updated',
  'conversation_created',
  'conversation_updated',
  'conversation_resolved',
  'typing',
];
/** Attempts that never connect before moving down to the next transport. */
const ATTEMPTS_PER_MODE = 3;
const POLL_MS = 4000;

/**
 * Keeps the visitor connected: WebSocket first, SSE where sockets are blocked, HTTP polling where
 * both are. Reconnects with exponential backoff and resumes from the last event id it saw, so
 * nothing sent while it was away is lost.
 */
export class Realtime {
  private mode: Mode = 'WebSocket' in window ? 'ws' : 'EventSource' in window ? 'sse' : 'poll';
  private socket: WebSocket | null = null;
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private connectedOnce = false;
  private stopped = false;

  constructor(private readonly options: RealtimeOptions) {
    addEventListener('online', this.reconnectNow);
    this.connect();
  }

  /** Sends typing over the socket when one is open; false means "use HTTP instead". */
  sendTyping(typing: boolean): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify({ type: 'typing', conversation_id: this.options.session.conversation_id, typing }));
    return true;
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.reconnectNow);
    clearTimeout(this.timer);
    this.teardown();
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.mode === 'poll') return;
    this.teardown();
    clearTimeout(this.timer);
    this.failures = 0;
    this.connect();
  };

  private params() {
    const { session } = this.options;
    return { conversation_token: session.conversation_token, last_event_id: session.last_event_id };
  }

  private connect(): void {
    if (this.stopped) return;
    if (this.mode === 'ws') this.openSocket();
    else if (this.mode === 'sse') this.openEventSource();
    else void this.pollOnce();
  }

  private openSocket(): void {
    const socket = new WebSocket(this.options.api.url('/realtime', this.params()).replace(/^http/, 'ws'));
    this.socket = socket;
    socket.onopen = () => this.opened();
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.lost();
    };
  }

  private openEventSource(): void {
    // Reconnects are ours, not EventSource's, so each one carries the latest last_event_id.
    const source = new EventSource(this.options.api.url('/realtime/sse', this.params()));
    this.source = source;
    const listener = (message: MessageEvent) => this.receive(String(message.data));
    for (const type of EVENT_TYPES) source.addEventListener(type, listener);
    source.onmessage = listener;
    source.onopen = () => this.opened();
    source.onerror = () => {
      source.close();
      if (this.source !== source) return;
      this.source = null;
      this.lost();
    };
  }

  private async pollOnce(): Promise<void> {
    try {
      await this.options.poll();
      this.failures = 0;
    } catch {
      this.failures += 1;
    }
    if (!this.stopped) this.timer = setTimeout(() => this.connect(), this.failures ? this.backoff() : POLL_MS);
  }

  private opened(): void {
    this.connectedOnce = true;
    this.failures = 0;
  }

  private lost(): void {
    if (this.stopped) return;
    this.failures += 1;
    if (!this.connectedOnce && this.failures >= ATTEMPTS_PER_MODE) {
      this.mode = this.mode === 'ws' && 'EventSource' in window ? 'sse' : 'poll';
      this.failures = 0;
      this.connect();
      return;
    }
    this.timer = setTimeout(() => this.connect(), this.backoff());
  }

  /** 1 s, 2 s, 4 s … capped at 30 s, with jitter so a restarted server is not hit by every visitor at once. */
  private backoff(): number {
    return Math.min(30_000, 1000 * 2 ** Math.min(this.failures - 1, 5)) * (0.5 + Math.random() / 2);
  }

  private receive(raw: string): void {
    let event: RealtimeEvent;
    try {
      event = JSON.parse(raw) as RealtimeEvent;
    } catch {
      return;
    }
    const { session } = this.options;
    if (typeof event.id === 'number') {
      if (event.id <= session.last_event_id) return; // already seen before a reconnect
      session.last_event_id = event.id;
      this.options.onProgress(event.id);
    }
    this.options.onEvent(event);
  }

  private teardown(): void {
    const { socket, source } = this;
    this.socket = null;
    this.source = null;
    socket?.close();
    source?.close();
  }
}
