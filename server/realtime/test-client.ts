import WebSocket from 'ws';

export type ReceivedEvent = {
  id: number | null;
  type: string;
  account_id: number;
  conversation_id: number | null;
  data: Record<string, any>;
  created_at: string;
};

/**
 * A real `ws` client that records every event it receives, so a test can wait for the one it expects
 * (or check that one never came).
 */
export class RealtimeClient {
  readonly events: ReceivedEvent[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const parsed = JSON.parse(raw.toString());
      if (parsed.type !== 'pong') this.events.push(parsed);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Connects to `/realtime` with these query params; rejects with the HTTP status when the upgrade is refused. */
  static connect(baseUrl: string, params: Record<string, string | number>, options: WebSocket.ClientOptions = {}): Promise<RealtimeClient> {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/realtime?${query}`, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RealtimeClient(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, headers: res.headers })),
      );
      socket.once('error', reject);
    });
  }

  /** The first recorded event matching `predicate`, waiting up to `ms` for it. */
  async waitFor(predicate: (e: ReceivedEvent) => boolean, ms = 5000): Promise<ReceivedEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) before the event arrived`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForClose(ms = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closed;
  }

  send(message: unknown) {
    this.socket.send(JSON.stringify(message));
  }

  close() {
    this.socket.close();
  }
}

export const messageEvent = (content: string) => (e: ReceivedEvent) => e.type === 'message_created' && e.data.message.content === content;
