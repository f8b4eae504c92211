import pg from 'pg';
import type { Logger } from 'pino';

/** What a channel's subscriber is told: each notification, and each time the connection is (re)established. */
export type ChannelHandler = {
  onNotification(payload: string): void;
  /**
   * After LISTEN took effect on a new connection (the first one included): whatever was committed while no
   * connection listened was never notified, so this is where a subscriber reads what it missed.
   */
  onListening(): void | Promise<void>;
};

export type NotificationOptions = {
  /** Waits between reconnection attempts, doubling from the first to the last. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How often the idle connection is checked with a query (a half-open TCP connection would otherwise go unnoticed). */
  pingMs?: number;
};

/** NOTIFY payloads are capped by PostgreSQL at 8000 bytes (less one); larger ones are refused. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7999;

/**
 * The PostgreSQL connection a server LISTENs on: its own client, never one of knex's pool (a pooled
 * connection runs other queries and its LISTEN would end when the pool drops it). A dropped connection —
 * the database restarted, the backend terminated, the network cut — is noticed by the error it raises or
 * by the next ping, and replaced with growing waits between attempts; once the new connection listens,
 * each channel's `onListening` catches up. Payloads are sent by anyone with `pg_notify` (see `notify`).
 */
export class PostgresNotifications {
  private readonly channels = new Map<string, ChannelHandler>();
  private client: pg.Client | undefined;
  private pid: number | undefined;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly settings: Required<NotificationOptions>;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    options: NotificationOptions = {},
  ) {
    this.settings = { retryMinMs: 100, retryMaxMs: 5000, pingMs: 10_000, ...options };
    this.retryMs = this.settings.retryMinMs;
  }

  /** Subscribes to a channel (before `start`). One handler per channel: the event bus, the index sync. */
  listen(channel: string, handler: ChannelHandler): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Unusable channel name: ${channel}`);
    if (this.channels.has(channel)) throw new Error(`Channel ${channel} already has a subscriber`);
    this.channels.set(channel, handler);
  }

  /** Connects and listens; the first connection must succeed (the database just answered the migrations). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The server process of the listening connection (what `pg_terminate_backend` takes), while connected. */
  get backendPid(): number | undefined {
    return this.pid;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: 'nova-chat listener' });
    // Errors on an idle client arrive as events; without a listener they would crash the process.
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      const handler = this.channels.get(message.channel);
      if (!handler) return;
      try {
        handler.onNotification(message.payload ?? '');
      } catch (err) {
        this.log.error({ err, channel: message.channel }, 'notification handler failed');
      }
    });
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.pid = rows[0]!.pid;
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    this.retryMs = this.settings.retryMinMs;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => void this.ping(client), this.settings.pingMs);
    this.pingTimer.unref();
    for (const [channel, handler] of this.channels) {
      try {
        await handler.onListening();
      } catch (err) {
        this.log.error({ err, channel }, 'catching up after (re)connecting failed');
      }
    }
  }

  private async ping(client: pg.Client): Promise<void> {
    try {
      await client.query('select 1');
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  /** The current connection failed (each failure is reported once, however many events it raises). */
  private lost(client: pg.Client, err: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    this.pid = undefined;
    clearInterval(this.pingTimer);
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.log.warn({ err }, 'the LISTEN connection to PostgreSQL dropped; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.settings.retryMaxMs, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => this.log.info('listening to PostgreSQL again'),
        (err: unknown) => {
          this.log.warn({ err, retry_in_ms: this.retryMs }, 'reconnecting to PostgreSQL failed');
          this.scheduleReconnect();
        },
      );
    }, wait);
    this.retryTimer.unref();
  }
}
