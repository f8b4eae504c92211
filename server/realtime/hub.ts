import type { Knex } from 'knex';
import { findConversation } from '../conversations/repo.js';
import { eventsAfter, latestEventId } from '../events/record.js';
import type { EventContext, NovaEvent } from '../events/types.js';
import { eventJsonFor, visibleTo, type Audience } from './audience.js';
import type { TypingRelay } from './typing.js';

/** One connected socket or SSE stream. `send` gets the event and its JSON, serialised once per event for all listeners. */
type Listener = { audience: Audience; send(event: NovaEvent, json: string): void };

const REPLAY_BATCH = 500;

/** Open SSE responses, ended on shutdown so the server can drain. */
export type OpenStreams = Set<{ end(): void }>;

/**
 * The fan-out: one subscription on `deps.bus` (so a LISTEN/NOTIFY bus can replace the in-memory one).
 * Console listeners are indexed by account, widget listeners by conversation, so an event only visits
 * the listeners that could see it (thousands of idle visitors cost nothing per event); each is then
 * filtered by what its audience may see.
 */
export class RealtimeHub {
  private readonly consoles = new Map<number, Set<Listener>>();
  private readonly widgets = new Map<number, Set<Listener>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: { db: Knex; typing: TypingRelay } & Pick<EventContext, 'bus'>) {
    this.unsubscribe = deps.bus.subscribe((event) => this.fanOut(event));
  }

  private fanOut(event: NovaEvent): void {
    // One serialisation per kind of audience, however many listen.
    const deliver = (listeners: Set<Listener> | undefined) => {
      let json: string | undefined;
      for (const listener of listeners ?? []) {
        if (!visibleTo(listener.audience, event)) continue;
        json ??= eventJsonFor(listener.audience, event);
        listener.send(event, json);
      }
    };
    deliver(this.consoles.get(event.account_id));
    if (event.conversation_id !== null) deliver(this.widgets.get(event.conversation_id));
  }

  /**
   * Starts a listener: with `lastEventId`, first every stored event after it that the audience may see,
   * then live ones; without, only events committed after it opened. Live events that arrive during the
   * replay wait, and those the replay already covered are not sent twice — even when the bus relays them
   * after the replay ended, as a bus spanning servers may (ids commit in order, so the replay covered every
   * id up to the last it read). That bus may also relay an event committed before a listener opened, which
   * the newest id read at opening keeps out. Returns the function that stops the listener.
   */
  async open(audience: Audience, lastEventId: number | null, send: Listener['send']): Promise<() => void> {
    let queued: NovaEvent[] | null = [];
    let replayedUpTo = 0;
    const listener: Listener = {
      audience,
      send: (event, json) => {
        if (queued) queued.push(event);
        else if (event.id === null || event.id > replayedUpTo) send(event, json);
      },
    };
    const index = audience.kind === 'widget' ? this.widgets : this.consoles;
    const key = audience.kind === 'widget' ? audience.conversationId : audience.accountId;
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(listener);
    const stop = () => {
      set.delete(listener);
      if (!set.size && index.get(key) === set) index.delete(key);
    };
    try {
      const scope =
        audience.kind === 'widget'
          ? { account_id: audience.accountId, conversation_id: audience.conversationId }
          : { account_id: audience.accountId };
      replayedUpTo = lastEventId ?? (await latestEventId(this.deps.db));
      for (let after = replayedUpTo; ;) {
        const batch = await eventsAfter(this.deps.db, scope, after, REPLAY_BATCH);
        for (const event of batch) {
          after = replayedUpTo = event.id;
          if (visibleTo(audience, event)) send(event, eventJsonFor(audience, event));
        }
        if (batch.length < REPLAY_BATCH) break;
      }
    } catch (err) {
      stop();
      throw err;
    }
    const waiting = queued!;
    queued = null;
    for (const event of waiting) if (event.id === null || event.id > replayedUpTo) send(event, eventJsonFor(audience, event));
    return stop;
  }

  /**
   * A typing indicator sent by a client: a widget types in its own conversation; a console agent in
   * any conversation of its account (privately while writing a note). Unknown conversations are ignored;
   * the rest go out through the rate-limiting relay.
   */
  async relayTyping(audience: Audience, message: { conversation_id?: unknown; typing?: unknown; private?: unknown }): Promise<void> {
    if (typeof message.typing !== 'boolean') return;
    if (audience.kind === 'widget') {
      if (message.conversation_id !== undefined && message.conversation_id !== audience.conversationId) return;
      this.deps.typing.relay({ account_id: audience.accountId, id: audience.conversationId }, message.typing, audience.sender);
      return;
    }
    const id = Number(message.conversation_id);
    if (!Number.isSafeInteger(id) || !(await findConversation(this.deps.db, audience.accountId, id))) return;
    this.deps.typing.relay({ account_id: audience.accountId, id }, message.typing, audience.sender, message.private === true);
  }

  close(): void {
    this.unsubscribe();
    this.consoles.clear();
    this.widgets.clear();
  }
}
