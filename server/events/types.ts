import type { Knex } from 'knex';
import type { PresentedConversation, PresentedMessage } from '../conversations/presenter.js';
import type { Sender, SenderType } from '../conversations/repo.js';
import type { SlaPolicy } from '../sla/repo.js';

/** Who is typing (the AI agent's indicator names the bot only). */
export type TypingSender = { type: SenderType; id?: number | null; name: string };

/** An SLA target missed: which one, when it was due and noticed, under which policy. */
export type SlaBreach = {
  kind: 'first_response' | 'resolution';
  due_at: string;
  detected_at: string;
  first_response_at: string | null;
  policy: Omit<SlaPolicy, 'updated_at'>;
};

/** The attributes of a conversation a `conversation_updated` names as changed. */
export type ChangedAttribute = 'status' | 'bot_active' | 'assignee' | 'labels';

/** What each kind of event carries: the conversation (and message) exactly as the API presents them. */
export type EventData = {
  conversation_created: { conversation: PresentedConversation };
  /**
   * `changed_attributes` (`status`, `bot_active`, `assignee`, `labels`) and `sender` (who changed them) where a person or the
   * bot changed the conversation; absent when a message moved it (a visitor writing reopens it).
   */
  conversation_updated: { conversation: PresentedConversation; changed_attributes?: ChangedAttribute[]; sender?: Sender };
  conversation_resolved: { conversation: PresentedConversation };
  message_created: { message: PresentedMessage; conversation: PresentedConversation };
  /** A message's attributes changed: feedback on an answer, the choice picked. */
  message_updated: { message: PresentedMessage; conversation: PresentedConversation };
  sla_breached: { conversation: PresentedConversation; sla: SlaBreach };
  typing: { typing: boolean; sender: TypingSender; private?: true };
};

export type EventType = keyof EventData;
/** The kinds that are stored (and so have an id a client can resume from); typing is ephemeral. */
export type StoredEventType = Exclude<EventType, 'typing'>;

type EventOf<T extends EventType> = {
  id: T extends StoredEventType ? number : null;
  type: T;
  account_id: number;
  conversation_id: number | null;
  data: EventData[T];
  created_at: string;
};

/** What sockets, SSE streams and webhook workers see, told apart by `type`. Ephemeral events (typing) have `id: null`. */
export type NovaEvent = { [T in EventType]: EventOf<T> }[EventType];

/** A stored event: it has an id a client can resume from. */
export type StoredEvent = { [T in StoredEventType]: EventOf<T> }[StoredEventType];

/** What to record: a stored event before it has an id and a time. */
export type EventInput = {
  [T in StoredEventType]: { account_id: number; conversation_id: number | null; type: T; payload: EventData[T] };
}[StoredEventType];

/**
 * Whether an event happened in this process (`local`) or in another server on the same database (`remote`).
 * Realtime fan-out takes both; work that must happen once (the AI agent's replies) reacts to local ones only.
 */
export type EventOrigin = 'local' | 'remote';

export type EventListener = (event: NovaEvent, origin: EventOrigin) => void;

/**
 * Fan-out of committed events to this process's listeners (sockets, the AI agent…): in one process, or,
 * on PostgreSQL, to the listeners of every server of the database (./postgres-bus.ts). Each listener gets
 * the stored events in id order, once.
 */
export interface EventBus {
  /**
   * Inside the transaction recording `events`, before it commits: a bus spanning processes announces them
   * there, so the announcement commits (or rolls back) with them.
   */
  announce(trx: Knex.Transaction, events: readonly StoredEvent[]): Promise<void>;
  /** A stored event once its transaction committed; an ephemeral one (typing) at once. */
  publish(event: NovaEvent): void;
  subscribe(listener: EventListener): () => void;
}

/** Work that must commit or roll back with the change that caused the event (the webhook outbox). */
export interface EventSink {
  inTransaction(trx: Knex.Transaction, event: StoredEvent): Promise<void>;
  /** True only when the sink knows it has nothing to write for such an event (its kind, or an account without webhooks for it). */
  idleFor(event: Pick<EventInput, 'account_id' | 'type'>): boolean;
}

/** What recording and publishing events needs: the bus, the transactional sinks and the clock. */
export type EventContext = { bus: EventBus; eventSinks: readonly EventSink[]; now: () => Date };
