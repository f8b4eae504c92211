import { LRUCache } from 'lru-cache';
import type { Deps } from '../deps.js';
import type { NovaEvent } from '../events/types.js';
import type { ContentAttributes } from '../conversations/schemas.js';
import { findItem } from '../kb/repo.js';
import { answerText, decideReply, type Decision } from './answer.js';
import { detectIntent } from './intents.js';
import { learnFromPick } from './learning.js';
import { answer, handOff, HANDOFF_VALUE, itemIdOfChoice, offerChoices, say, stageOf, type Stage } from './moves.js';
import { findMessage, publicMessages } from '../conversations/repo.js';
import { isPostgres } from '../db/knex.js';
import { botHolds, isBotActive, loadAgentContext, unansweredBotConversations, type AgentContext } from './context.js';
import { abandonedMessages, dropAbandoned, ReplyClaim } from './reply-claims.js';
import { findAiReplyByMessage, insertAiReply, updateAiReply } from './repo.js';
import { handoffMessage, textsFor } from './texts.js';

/** What the bot says when nothing in the KB is close enough (in English; texts.ts has every language). */
export const HANDOFF_MESSAGE = handoffMessage('en', 'no_match', null);

/** After a restart, contact messages younger than this that the bot never answered still get their answer. */
const CATCH_UP_WINDOW_MS = 24 * 3600 * 1000;
const CATCH_UP_LIMIT = 500;
/** How often a server on PostgreSQL looks for messages another server stopped answering (./reply-claims.ts). */
const SWEEP_INTERVAL_MS = 5000;
const SWEEP_LIMIT = 100;
const HISTORY_MESSAGES = 10;

type AgentRef = NonNullable<AgentContext['agent']>;

/** A contact message as the agent reads it: a choice picked carries `submitted_value` and `in_reply_to`. */
type ContactMessage = { id: number; content: string; content_attributes: ContentAttributes };

/**
 * The AI agent: listens on the event bus and answers widget conversations of websites whose AI config is
 * active. Work is chained per conversation, so replies keep the order of the messages they answer. Each
 * contact message ends in one move (contract, "How the AI agent replies"): a greeting or thanks is answered
 * politely, a request for a person is handed off at once, a question gets the answer, choices or hand-off its
 * calibrated reply band calls for, and a choice picked gets that item's answer (or a hand-off).
 */
export class AiAgent {
  private readonly chains = new Map<number, Promise<unknown>>();
  /** Newest contact message answered per conversation, so a message is never answered twice. */
  private readonly answeredUpTo = new LRUCache<number, number>({ max: 10_000 });
  private unsubscribe: (() => void) | null = null;
  private catchingUp: Promise<void> = Promise.resolve();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly deps: Deps) {}

  start(): void {
    // Each message is answered by the server that recorded it; other servers on the database leave it alone.
    this.unsubscribe = this.deps.bus.subscribe((event, origin) => origin === 'local' && this.onEvent(event));
    this.catchingUp = this.catchUp();
    if (isPostgres(this.deps.db)) this.scheduleSweep();
  }

  /** Answers contact messages left waiting when the server last stopped (their events died with it). */
  private async catchUp(): Promise<void> {
    try {
      const since = this.catchUpSince();
      const waiting = await unansweredBotConversations(this.deps.db, since, CATCH_UP_LIMIT);
      const answered = await Promise.all(
        waiting.map(({ account_id, conversation_id, message }) =>
          this.enqueue(conversation_id, () => this.answerMessage(account_id, conversation_id, message)),
        ),
      );
      this.deps.log.info(
        { waiting: waiting.length, answered: answered.filter(Boolean).length },
        'AI agent caught up on messages left unanswered',
      );
    } catch (err) {
      this.deps.log.error({ err }, 'AI agent could not look for unanswered conversations');
    }
  }

  private catchUpSince(): string {
    return new Date(this.deps.now().getTime() - CATCH_UP_WINDOW_MS).toISOString();
  }

  /** Answers messages whose claim ran out because the server answering them stopped (several servers only). */
  private scheduleSweep(): void {
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweepAbandoned()
        .catch((err: unknown) => this.deps.log.error({ err }, 'AI agent could not look for abandoned messages'))
        .finally(() => this.unsubscribe && this.scheduleSweep());
    }, SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  private async sweepAbandoned(): Promise<void> {
    const since = this.catchUpSince();
    for (const claimed of await abandonedMessages(this.deps.db, SWEEP_LIMIT)) {
      const message = await findMessage(this.deps.db, claimed.accountId, claimed.messageId);
      // Gone, too old, or followed by a later message this server answered: nobody waits for it any more.
      const passed = (this.answeredUpTo.get(claimed.conversationId) ?? 0) >= claimed.messageId;
      if (!message || message.created_at < since || passed) await dropAbandoned(this.deps.db, claimed);
      else void this.enqueue(claimed.conversationId, () => this.answerMessage(claimed.accountId, claimed.conversationId, message));
    }
  }

  /** Stops listening and lets the replies in progress finish (the database closes after this). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    clearTimeout(this.sweepTimer);
    await this.catchingUp;
    await this.sweeping;
    await Promise.allSettled([...this.chains.values()]);
  }

  private onEvent(event: NovaEvent): void {
    const conversationId = event.conversation_id;
    if (conversationId === null) return;
    // The event carries the conversation as it stood right after it: one a human has (most of them, on a
    // busy install) costs the agent no read at all.
    if ((event.type === 'conversation_created' || event.type === 'message_created') && !botHolds(event.data.conversation)) return;
    if (event.type === 'conversation_created') {
      this.enqueue(conversationId, () => this.openConversation(event.account_id, conversationId));
    } else if (event.type === 'message_created') {
      const { message } = event.data;
      if (message.message_type === 'incoming' && message.sender.type === 'contact' && !message.private)
        void this.enqueue(conversationId, () => this.answerMessage(event.account_id, conversationId, message));
    }
  }

  /** Chains a task after the conversation's earlier ones; resolves to what it resolved to (undefined if it failed). */
  private enqueue<T>(conversationId: number, task: () => Promise<T>): Promise<T | undefined> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => {
      this.deps.log.error({ err, conversation_id: conversationId }, 'AI agent failed on a conversation');
      return undefined;
    });
    this.chains.set(conversationId, next);
    void next.finally(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    });
    return next;
  }

  /** Greets, then answers what the contact already wrote. */
  private async openConversation(accountId: number, conversationId: number): Promise<void> {
    const context = await loadAgentContext(this.deps.db, accountId, conversationId);
    // bot_active is set at creation for widget conversations of a website with an active AI config;
    // conversations an agent starts from the console stay with that agent.
    if (!context?.agent || !botHolds(context.conversation)) return;
    const greeting = context.agent.greeting_message?.trim();
    if (greeting) await say(this.deps, stageOf(context, context.agent), greeting);
    const waiting = (await publicMessages(this.deps.db, accountId, conversationId)).filter(
      (m) => m.message_type === 'incoming' && m.sender_type === 'contact',
    );
    for (const message of waiting) await this.answerMessage(accountId, conversationId, message);
  }

  /**
   * Answers one contact message if this server claims it (./reply-claims.ts); true when it did. A server
   * that dies between writing its reply and marking the claim done (moments) leaves it to be answered again.
   */
  private async answerMessage(accountId: number, conversationId: number, message: ContactMessage): Promise<boolean> {
    if ((this.answeredUpTo.get(conversationId) ?? 0) >= message.id) return false;
    const claim = await ReplyClaim.take(this.deps.db, { accountId, conversationId, messageId: message.id }, this.deps.config.llmTimeoutMs);
    if (!claim) return false;
    this.answeredUpTo.set(conversationId, message.id);
    try {
      return await this.answerClaimed(accountId, conversationId, message);
    } finally {
      await claim.done();
    }
  }

  private async answerClaimed(accountId: number, conversationId: number, message: ContactMessage): Promise<boolean> {
    const context = await loadAgentContext(this.deps.db, accountId, conversationId);
    if (!context?.agent || !botHolds(context.conversation)) return false;
    const agent = context.agent;
    const stage = stageOf(context, agent);

    this.typing(stage, true);
    try {
      const { submitted_value: picked, in_reply_to: choicesId } = message.content_attributes;
      if (picked !== undefined && choicesId !== undefined) await this.followChoice(stage, agent, message, picked, choicesId);
      else await this.reply(stage, agent, message);
      return true;
    } finally {
      this.typing(stage, false);
    }
  }

  /** A typed message: courtesy, a request for a person, or a question for the KB. */
  private async reply(stage: Stage, agent: AgentRef, message: ContactMessage): Promise<void> {
    const { deps } = this;
    const detected = detectIntent(message.content, stage.lang);
    // Courtesy and requests for a person are answered in the language they were written in.
    const spoken: Stage = { ...stage, lang: detected.lang ?? stage.lang };
    if (detected.intent === 'greeting' || detected.intent === 'thanks') {
      const t = textsFor(spoken.lang);
      if (await this.stillBots(stage)) await say(deps, spoken, detected.intent === 'greeting' ? t.greetingReply : t.thanksReply);
      return;
    }
    const asked = {
      account_id: stage.accountId,
      conversation_id: stage.conversationId,
      question_message_id: message.id,
      question: detected.question,
    };
    if (detected.intent === 'handoff') {
      if (!(await this.stillBots(stage))) return;
      deps.log.info({ conversation_id: stage.conversationId }, 'AI agent handed off: the visitor asked for a person');
      const reply = await handOff(deps, spoken, 'requested');
      await insertAiReply(
        deps.db,
        { ...asked, intent: 'handoff', move: 'handoff', reply_message_id: reply.id, kb_item_id: null, handed_off: true },
        deps.now(),
      );
      return;
    }

    let decision: Decision;
    try {
      decision = await decideReply(deps, stage.accountId, detected.question);
    } catch (err) {
      // A retrieval failure must not leave the contact unanswered: a human takes over.
      deps.log.error({ err, conversation_id: stage.conversationId }, 'retrieval failed; handing the conversation to a human');
      decision = { move: 'handoff', bestScore: null };
    }
    const question = { ...asked, intent: null, move: decision.move };
    if (decision.move === 'answer') {
      const { item } = decision.hit;
      const history = await publicMessages(deps.db, stage.accountId, stage.conversationId, { upToId: message.id, limit: HISTORY_MESSAGES });
      const related = decision.context.map((hit) => hit.item);
      const text = await answerText(deps, stage.accountId, agent, item, related, history);
      if (!(await this.stillBots(stage))) return;
      deps.log.debug(
        { conversation_id: stage.conversationId, item_id: item.id, score: decision.hit.score, via: text.via },
        'AI agent answered',
      );
      const reply = await answer(deps, stage, item.id, text.content);
      await insertAiReply(
        deps.db,
        { ...question, reply_message_id: reply.id, kb_item_id: item.id, answer_message_id: reply.id, handed_off: false },
        deps.now(),
      );
    } else if (decision.move === 'choices') {
      if (!(await this.stillBots(stage))) return;
      const items = decision.hits.map((hit) => hit.item);
      const reply = await offerChoices(deps, stage, items);
      await insertAiReply(deps.db, { ...question, reply_message_id: reply.id, kb_item_id: null, handed_off: false }, deps.now());
    } else {
      if (!(await this.stillBots(stage))) return;
      deps.log.info({ conversation_id: stage.conversationId, best_score: decision.bestScore }, 'AI agent handed off to a human');
      const reply = await handOff(deps, stage, 'no_match');
      await insertAiReply(deps.db, { ...question, reply_message_id: reply.id, kb_item_id: null, handed_off: true }, deps.now());
    }
  }

  /** The visitor picked one of the choices (checked against those offered when it was sent): that item's answer, or a person. */
  private async followChoice(stage: Stage, agent: AgentRef, message: ContactMessage, picked: string, choicesId: number): Promise<void> {
    const { deps } = this;
    const row = await findAiReplyByMessage(deps.db, stage.accountId, choicesId);
    if (!row || row.move !== 'choices') return;
    const itemId = itemIdOfChoice(picked);
    const item = itemId === null ? undefined : await findItem(deps.db, stage.accountId, itemId);
    if (picked === HANDOFF_VALUE || !item) {
      if (!(await this.stillBots(stage))) return;
      // An item deleted since it was offered cannot be answered with: a person can.
      await handOff(deps, stage, picked === HANDOFF_VALUE ? 'requested' : 'no_match');
      await updateAiReply(deps.db, row.id, { handed_off: true });
      return;
    }
    const history = await publicMessages(deps.db, stage.accountId, stage.conversationId, { upToId: message.id, limit: HISTORY_MESSAGES });
    const text = await answerText(deps, stage.accountId, agent, item, [], history);
    if (!(await this.stillBots(stage))) return;
    // Learned before the answer is shown, so a "not helpful" on it always finds what to take back.
    await learnFromPick(deps, stage.accountId, row, item.id);
    const reply = await answer(deps, stage, item.id, text.content);
    await updateAiReply(deps.db, row.id, { kb_item_id: item.id, answer_message_id: reply.id });
  }

  /** A human may have replied while the reply was being prepared: the conversation is theirs now. */
  private stillBots(stage: Stage): Promise<boolean> {
    return isBotActive(this.deps.db, stage.accountId, stage.conversationId);
  }

  /** Ephemeral "bot is typing" for the widget and the console while a reply is being prepared. */
  private typing(stage: Stage, typing: boolean): void {
    this.deps.bus.publish({
      id: null,
      type: 'typing',
      account_id: stage.accountId,
      conversation_id: stage.conversationId,
      data: { typing, sender: { type: 'bot', name: stage.bot.bot_name } },
      created_at: new Date().toISOString(),
    });
  }
}
