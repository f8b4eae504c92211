import { LRUCache } from 'lru-cache';
import type { Deps } from '../deps.js';
import type { NovaEvent } from '../events/types.js';
import { addMessage, setStatus } from '../conversations/service.js';
import { decideReply } from './answer.js';
import { isBotActive, loadAgentContext, transcript, unansweredBotConversations, type AgentContext } from './repo.js';

export const HANDOFF_MESSAGE =
  "I couldn't find an answer to that in our help articles, so I'm passing you to a member of our team. They will reply here as soon as they can.";

/** After a restart, contact messages younger than this that the bot never answered still get their answer. */
const CATCH_UP_WINDOW_MS = 24 * 3600 * 1000;
const CATCH_UP_LIMIT = 500;

type AgentRef = NonNullable<AgentContext['agent']>;

/**
 * The AI agent: listens on the event bus and answers widget conversations of websites whose AI config is
 * active. Work is chained per conversation, so replies keep the order of the messages they answer.
 */
export class AiAgent {
  private readonly chains = new Map<number, Promise<void>>();
  /** Newest contact message answered per conversation, so a message is never answered twice. */
  private readonly answeredUpTo = new LRUCache<number, number>({ max: 10_000 });
  private unsubscribe: (() => void) | null = null;
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(private readonly deps: Deps) {}

  start(): void {
    this.unsubscribe = this.deps.bus.subscribe((event) => this.onEvent(event));
    this.catchingUp = this.catchUp();
  }

  /** Answers contact messages left waiting when the server last stopped (their events died with it). */
  private async catchUp(): Promise<void> {
    try {
      const since = new Date(this.deps.now().getTime() - CATCH_UP_WINDOW_MS).toISOString();
      for (const { account_id, conversation_id, message } of await unansweredBotConversations(this.deps.db, since, CATCH_UP_LIMIT))
        this.enqueue(conversation_id, () => this.answerMessage(account_id, conversation_id, message.id, message.content));
    } catch (err) {
      this.deps.log.error({ err }, 'AI agent could not look for unanswered conversations');
    }
  }

  /** Stops listening and lets the replies in progress finish (the database closes after this). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.catchingUp;
    await Promise.allSettled([...this.chains.values()]);
  }

  private onEvent(event: NovaEvent): void {
    const conversationId = event.conversation_id;
    if (conversationId === null) return;
    if (event.type === 'conversation_created') {
      this.enqueue(conversationId, () => this.openConversation(event.account_id, conversationId));
    } else if (event.type === 'message_created') {
      const { message } = event.data;
      if (message.message_type === 'incoming' && message.sender.type === 'contact' && !message.private)
        this.enqueue(conversationId, () => this.answerMessage(event.account_id, conversationId, message.id, message.content));
    }
  }

  private enqueue(conversationId: number, task: () => Promise<void>): void {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(task)
      .catch((err: unknown) => this.deps.log.error({ err, conversation_id: conversationId }, 'AI agent failed on a conversation'));
    this.chains.set(conversationId, next);
    void next.finally(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    });
  }

  /** Greets, then answers what the contact already wrote. */
  private async openConversation(accountId: number, conversationId: number): Promise<void> {
    const context = await loadAgentContext(this.deps.db, accountId, conversationId);
    // bot_active is set at creation for widget conversations of a website with an active AI config;
    // conversations an agent starts from the console stay with that agent.
    if (!context?.agent || !context.conversation.bot_active) return;
    const agent = context.agent;
    if (agent.greeting_message?.trim()) await this.say(accountId, conversationId, agent, agent.greeting_message.trim());
    const waiting = (await transcript(this.deps.db, accountId, conversationId)).filter(
      (m) => m.message_type === 'incoming' && m.sender_type === 'contact',
    );
    for (const message of waiting) await this.answerMessage(accountId, conversationId, message.id, message.content);
  }

  private async answerMessage(accountId: number, conversationId: number, messageId: number, question: string): Promise<void> {
    if ((this.answeredUpTo.get(conversationId) ?? 0) >= messageId) return;
    this.answeredUpTo.set(conversationId, messageId);
    const context = await loadAgentContext(this.deps.db, accountId, conversationId);
    if (!context?.agent || !context.conversation.bot_active) return;
    const agent = context.agent;

    this.typing(accountId, conversationId, agent, true);
    try {
      const history = await transcript(this.deps.db, accountId, conversationId, { upToId: messageId, limit: 10 });
      let decision;
      try {
        decision = await decideReply(this.deps, accountId, agent, question, history);
      } catch (err) {
        // A retrieval failure must not leave the contact unanswered: a human takes over.
        this.deps.log.error({ err, conversation_id: conversationId }, 'retrieval failed; handing the conversation to a human');
        decision = { kind: 'handoff' as const, bestScore: null };
      }
      // A human may have replied while the reply was being written: the conversation is theirs now.
      if (!(await isBotActive(this.deps.db, accountId, conversationId))) return;
      if (decision.kind === 'answer') {
        this.deps.log.debug(
          { conversation_id: conversationId, item_id: decision.itemId, score: decision.score, via: decision.via },
          'AI agent answered',
        );
        await this.say(accountId, conversationId, agent, decision.content);
      } else {
        this.deps.log.info({ conversation_id: conversationId, best_score: decision.bestScore }, 'AI agent handed off to a human');
        // Pending first (it turns bot_active off): once the contact reads the hand-off, a human has the conversation.
        await setStatus(this.deps, accountId, conversationId, 'pending', { type: 'bot', id: agent.id, name: agent.bot_name });
        await this.say(accountId, conversationId, agent, HANDOFF_MESSAGE);
      }
    } finally {
      this.typing(accountId, conversationId, agent, false);
    }
  }

  private async say(accountId: number, conversationId: number, agent: AgentRef, content: string): Promise<void> {
    await addMessage(this.deps, accountId, conversationId, {
      content,
      message_type: 'outgoing',
      sender: { type: 'bot', id: agent.id, name: agent.bot_name },
    });
  }

  /** Ephemeral "bot is typing" for the widget and the console while a reply is being prepared. */
  private typing(accountId: number, conversationId: number, agent: AgentRef, typing: boolean): void {
    this.deps.bus.publish({
      id: null,
      type: 'typing',
      account_id: accountId,
      conversation_id: conversationId,
      data: { typing, sender: { type: 'bot', name: agent.bot_name } },
      created_at: new Date().toISOString(),
    });
  }
}
