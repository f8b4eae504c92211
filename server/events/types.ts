import type { Knex } from 'knex';

export type EventType =
  'conversation_created' | 'conversation_updated' | 'conversation_resolved' | 'message_created' | 'sla_breached' | 'typing';

/** What sockets, SSE streams and webhook workers see. Ephemeral events (typing) have `id: null`. */
export type NovaEvent = {
  id: number | null;
  type: EventType;
  account_id: number;
  conversation_id: number | null;
  data: Record<string, unknown>;
  created_at: string;
};

/** A stored event: it has an id a client can resume from. */
export type StoredEvent = NovaEvent & { id: number };

/** Fan-out of committed events to this process's listeners (sockets, the AI agent, SLA…). */
export interface EventBus {
  publish(event: NovaEvent): void;
  subscribe(listener: (event: NovaEvent) => void): () => void;
}

/** Work that must commit or roll back with the change that caused the event (the webhook outbox). */
export interface EventSink {
  inTransaction(trx: Knex.Transaction, event: StoredEvent): Promise<void>;
}

/** What recording and publishing events needs: the bus, the transactional sinks and the clock. */
export type EventContext = { bus: EventBus; eventSinks: readonly EventSink[]; now: () => Date };
