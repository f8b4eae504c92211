import type { Logger } from 'pino';
import type { EventBus, EventListener, NovaEvent } from './types.js';

/**
 * The single-process bus (SQLite): events go to this process's listeners as they are published, in
 * commit order (one connection commits one transaction at a time). On PostgreSQL, ./postgres-bus.ts
 * relays through LISTEN/NOTIFY instead; nothing else changes, since everyone goes through `EventBus`.
 */
export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  async announce(): Promise<void> {}

  publish(event: NovaEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event, 'local');
      } catch (err) {
        // One failing listener must not keep the event from the others.
        this.log.error({ err, event_type: event.type }, 'event listener failed');
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
