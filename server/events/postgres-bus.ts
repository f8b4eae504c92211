import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { MAX_NOTIFY_PAYLOAD_BYTES, type PostgresNotifications } from '../db/notifications.js';
import { allEventsAfter, latestEventId } from './record.js';
import type { EventBus, EventListener, EventOrigin, NovaEvent, StoredEvent } from './types.js';

/** The channel every server of a database LISTENs on for events. */
export const EVENTS_CHANNEL = 'nova_events';
const READ_BATCH = 500;
const RETRY_READ_MS = 1000;

/**
 * What travels in a notification. A stored event is announced by its id and account (`e`, `a`): listeners
 * read the rows, so they get every event once, in id order, whichever server wrote it. An ephemeral one
 * (typing) has no row and travels whole (`t`), tagged with the server that sent it (`n`).
 */
type Announcement = { a: number; e: number } | { n: string; t: NovaEvent };

/**
 * The event bus of several servers on one PostgreSQL. Recording an event NOTIFYs inside its transaction
 * (so the notification commits with it); every server, this one included, then reads the events after the
 * last one it relayed and hands them to its listeners in id order (ids commit in order: ./record.ts). A
 * dropped LISTEN connection is replaced, and on reconnecting the server reads what was committed meanwhile,
 * so nothing is lost or repeated. Typing travels in the notification itself, within its size limit.
 */
export class PostgresEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();
  /** This server, as named in its typing notifications (it ignores its own). */
  private readonly serverId = randomUUID();
  /** The last event id relayed; undefined until the first connection listens. */
  private cursor: number | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Ids recorded by this process whose events are not relayed yet: they are `local` when they are. */
  private readonly recordedHere = new Set<number>();
  private closed = false;

  constructor(
    private readonly db: Knex,
    notifications: PostgresNotifications,
    private readonly log: Logger,
  ) {
    notifications.listen(EVENTS_CHANNEL, {
      onNotification: (payload) => this.onNotification(payload),
      onListening: () => this.onListening(),
    });
  }

  async announce(trx: Knex.Transaction, events: readonly StoredEvent[]): Promise<void> {
    const newest = new Map<number, number>();
    for (const event of events) {
      this.recordedHere.add(event.id);
      newest.set(event.account_id, Math.max(newest.get(event.account_id) ?? 0, event.id));
    }
    trx.executionPromise.catch(() => events.forEach((event) => this.recordedHere.delete(event.id)));
    const payloads = [...newest].map(([a, e]) => JSON.stringify({ a, e } satisfies Announcement));
    await trx.raw(
      `select ${payloads.map(() => 'pg_notify(?, ?)').join(', ')}`,
      payloads.flatMap((p) => [EVENTS_CHANNEL, p]),
    );
  }

  publish(event: NovaEvent): void {
    if (event.id !== null) {
      // Committed: relayed from the rows, after whatever committed before it.
      this.readNew();
      return;
    }
    this.deliver(event, 'local');
    const payload = JSON.stringify({ n: this.serverId, t: event } satisfies Announcement);
    if (Buffer.byteLength(payload) > MAX_NOTIFY_PAYLOAD_BYTES) {
      this.log.warn({ event_type: event.type, bytes: Buffer.byteLength(payload) }, 'event too large to relay to other servers');
      return;
    }
    this.db.raw('select pg_notify(?, ?)', [EVENTS_CHANNEL, payload]).catch((err: unknown) => {
      this.log.warn({ err, event_type: event.type }, 'relaying an ephemeral event to other servers failed');
    });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops relaying; waits for a read in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.reading;
  }

  private onNotification(payload: string): void {
    let announcement: Announcement;
    try {
      announcement = JSON.parse(payload) as Announcement;
    } catch {
      this.log.warn({ payload: payload.slice(0, 200) }, 'unreadable event notification');
      return;
    }
    if ('t' in announcement) {
      if (announcement.n !== this.serverId) this.deliver(announcement.t, 'remote');
    } else if (this.cursor === undefined || announcement.e > this.cursor) {
      this.readNew();
    }
  }

  /**
   * First connection: relaying starts after the newest event (read after LISTEN took effect, so a later
   * commit is notified). Later ones: whatever committed while nobody listened is read now.
   */
  private async onListening(): Promise<void> {
    if (this.cursor === undefined) this.cursor = await latestEventId(this.db);
    else this.readNew();
  }

  /** Reads and relays events after the cursor; calls while a read runs make it read once more after. */
  private readNew(): void {
    if (this.closed || this.cursor === undefined) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.relayFromRows()
      .catch((err: unknown) => {
        this.log.error({ err }, 'reading events to relay failed; retrying');
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.readNew(), RETRY_READ_MS);
        this.retryTimer.unref();
      })
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.readNew();
        }
      });
  }

  private async relayFromRows(): Promise<void> {
    for (;;) {
      const batch = await allEventsAfter(this.db, this.cursor!, READ_BATCH);
      for (const event of batch) {
        this.cursor = event.id;
        this.deliver(event, this.recordedHere.delete(event.id) ? 'local' : 'remote');
      }
      if (batch.length < READ_BATCH || this.closed) return;
    }
  }

  private deliver(event: NovaEvent, origin: EventOrigin): void {
    for (const listener of this.listeners) {
      try {
        listener(event, origin);
      } catch (err) {
        // One failing listener must not keep the event from the others.
        this.log.error({ err, event_type: event.type }, 'event listener failed');
      }
    }
  }
}
