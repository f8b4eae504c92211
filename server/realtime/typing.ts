import { publishTyping } from '../events/typing.js';
import type { EventContext, TypingSender } from '../events/types.js';

type Conversation = { account_id: number; id: number };
type Update = { conversation: Conversation; typing: boolean; sender: TypingSender; isPrivate: boolean };

const stateOf = (u: Update) => `${u.typing}:${u.isPrivate}`;

/**
 * Typing indicators on their way out, from visitors and agents alike (sockets and the HTTP route): at
 * most one event per sender and conversation every `intervalMs`. A change arriving sooner is not
 * dropped but held, the latest one winning, and sent when the interval ends if it differs from what
 * was last sent — so a flood of alternating frames costs two events, and the final "stopped typing"
 * always arrives.
 */
export class TypingRelay {
  private readonly recent = new Map<string, { sent: string; timer: NodeJS.Timeout; held?: Update }>();

  constructor(
    private readonly events: Pick<EventContext, 'bus' | 'now'>,
    private readonly intervalMs: number,
  ) {}

  relay(conversation: Conversation, typing: boolean, sender: TypingSender, isPrivate = false): void {
    const key = `${conversation.id}:${sender.type}:${sender.id ?? sender.name}`;
    const update = { conversation, typing, sender, isPrivate };
    const entry = this.recent.get(key);
    if (entry) entry.held = update;
    else this.send(key, update);
  }

  private send(key: string, update: Update): void {
    publishTyping(this.events, update.conversation, update.typing, update.sender, update.isPrivate);
    const timer = setTimeout(() => this.intervalEnded(key), this.intervalMs);
    timer.unref();
    this.recent.set(key, { sent: stateOf(update), timer });
  }

  private intervalEnded(key: string): void {
    const entry = this.recent.get(key);
    this.recent.delete(key);
    if (entry?.held && stateOf(entry.held) !== entry.sent) this.send(key, entry.held);
  }

  close(): void {
    for (const entry of this.recent.values()) clearTimeout(entry.timer);
    this.recent.clear();
  }
}
