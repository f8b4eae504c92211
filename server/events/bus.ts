import type { Logger } from 'pino';
import type { EventBus, NovaEvent } from './types.js';

/**
 * The single-process bus. A multi-process PostgreSQL deployment swaps in one that relays through
 * LISTEN/NOTIFY; nothing else changes, since every publisher and listener goes through `EventBus`.
 */
export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Set<(event: NovaEvent) => void>();

  constructor(private readonly log: Logger) {}

  publish(event: NovaEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // One failing listener must not keep the event from the others.
        this.log.error({ err, event_type: event.type }, 'event listener failed');
      }
    }
  }

  subscribe(listener: (event: NovaEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
