import type { Knex } from 'knex';
import { insertAttachments, linkAttachments, type AttachmentMeta } from '../attachments/repo.js';
import { directWriteTransaction, hasDirectTransactions } from '../db/direct-transaction.js';
import { nowIso } from '../db/knex.js';
import { recordEvents, recordEventsDirect, sinksIdleFor } from '../events/record.js';
import type { EventContext, EventInput } from '../events/types.js';
import { notFound } from '../errors.js';
import { presentConversation, presentMessage, type PresentedMessage } from './presenter.js';
import {
  conversationsWithIncomingDirect,
  findConversationsDirect,
  insertMessagesDirect,
  updateConversationsDirect,
} from './direct-repo.js';
import * as repo from './repo.js';
import type { ConversationRow, MessageRow, NewMessage } from './repo.js';

/** Runs inside the transaction that writes the message (an idempotent request records its answer there). */
export type InTransaction = (trx: Knex.Transaction, message: PresentedMessage) => Promise<void>;

type Pending = {
  accountId: number;
  conversationId: number;
  input: NewMessage;
  inTransaction?: InTransaction;
  resolve(message: PresentedMessage): void;
  reject(err: unknown): void;
};

type Change = Partial<Pick<ConversationRow, 'status' | 'bot_active' | 'updated_at' | 'first_reply_at' | 'resolved_at' | 'last_message_at'>>;

/** Messages written per transaction at most. */
const MAX_BATCH = 256;

/**
 * Group commit for messages. One transaction per message costs a commit and half a dozen round trips
 * through the single SQLite connection each; under load that caps the server at a few hundred messages
 * a second. Messages that arrive while a transaction is running wait and are written together in the
 * next one (one lock, one read, one multi-row insert, one update per kind of change, then each event).
 * Every caller still gets its message only after its transaction committed, so nothing changes for them.
 * One per running server (built with the other services), so batches never mix databases.
 */
export class MessageWriter {
  private queue: Pending[] = [];
  private draining = false;

  constructor(private readonly deps: { db: Knex } & EventContext) {}

  add(accountId: number, conversationId: number, input: NewMessage, inTransaction?: InTransaction): Promise<PresentedMessage> {
    return new Promise((resolve, reject) => {
      this.queue.push({ accountId, conversationId, input, inTransaction, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the requests already parsed in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.write(batch);
      } catch (err) {
        // An unexpected failure must not take the others down with it: retry each alone.
        if (batch.length === 1) batch[0]!.reject(err);
        else for (const item of batch) await this.write([item]).catch((e: unknown) => item.reject(e));
      }
    }
    this.draining = false;
  }

  private async write(batch: Pending[]): Promise<void> {
    // Each message is a message_created event: a sink with work for those (a webhook) needs the knex path, known
    // before reading anything; whether a conversation_updated comes too is known inside (writeDirect).
    const direct =
      hasDirectTransactions(this.deps.db) &&
      batch.every((item) => !item.input.attachments?.length && !item.inTransaction) &&
      sinksIdleFor(
        this.deps,
        batch.map((item) => ({ account_id: item.accountId, type: 'message_created' })),
      );
    const outcomes =
      (direct && (await this.writeDirect(batch))) || (await this.deps.db.transaction((trx) => this.writeInTransaction(trx, batch)));
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) item.reject(outcome);
      else item.resolve(outcome);
    });
  }

  /**
   * A batch of plain messages on SQLite: one direct transaction, without knex's transaction and query objects
   * (most messages; at a human pace each is a transaction of its own). Null, with nothing written, when a
   * sink has work for its events (webhooks to enqueue): that needs a knex transaction.
   */
  private async writeDirect(batch: Pending[]): Promise<(PresentedMessage | Error)[] | null> {
    const written = await directWriteTransaction(this.deps.db, (sql) => {
      const now = nowIso(this.deps.now());
      const { state, accepted, needsFirstReplyCheck } = this.accept(batch, findConversationsDirect(sql, pairsOf(batch)));
      const step = moveAlong(accepted, state, conversationsWithIncomingDirect(sql, needsFirstReplyCheck), now);
      if (!sinksIdleFor(this.deps, step.kinds)) return null;
      const inserted = insertMessagesDirect(
        sql,
        accepted.map(({ conversationId, input, accountId }) => repo.messageRow(accountId, conversationId, input, now)),
      );
      updateConversationsDirect(sql, step.changes);
      const { messages, events } = step.finish(inserted);
      return { messages, events: recordEventsDirect(this.deps, sql, events) };
    });
    if (!written) return null;
    written.events.forEach((event) => this.deps.bus.publish(event));
    return batch.map((item) => written.messages.get(item) ?? notFound('Conversation'));
  }

  private async writeInTransaction(trx: Knex.Transaction, batch: Pending[]): Promise<(PresentedMessage | Error)[]> {
    const pairs = pairsOf(batch);
    await repo.lockConversations(
      trx,
      pairs.map(([, id]) => id),
    );
    const { state, accepted, needsFirstReplyCheck } = this.accept(batch, await repo.findConversations(trx, pairs));
    const now = nowIso(this.deps.now());
    const step = moveAlong(accepted, state, await repo.conversationsWithIncoming(trx, needsFirstReplyCheck), now);
    // Files first, to learn their ids for the messages' lists; linked to their messages once those exist.
    const files: AttachmentMeta[][] = [];
    for (const { accountId, conversationId, input } of accepted)
      files.push(input.attachments?.length ? await insertAttachments(trx, { accountId, conversationId }, input.attachments, now) : []);
    const inserted = await repo.insertMessages(
      trx,
      accepted.map(({ conversationId, input, accountId }, i) => repo.messageRow(accountId, conversationId, input, now, files[i])),
    );
    for (const [i, message] of inserted.entries())
      await linkAttachments(
        trx,
        files[i]!.map((f) => f.id),
        message.id,
      );
    const { messages, events } = step.finish(inserted);
    await repo.updateConversationsInGroups(trx, step.changes);
    for (const item of accepted) await item.inTransaction?.(trx, messages.get(item)!);
    await recordEvents(this.deps, trx, events);
    return batch.map((item) => messages.get(item) ?? notFound('Conversation'));
  }

  /** The batch's messages whose conversation exists in their account, and the conversations' state. */
  private accept(batch: Pending[], conversations: ConversationRow[]) {
    const state = new Map(conversations.map((c) => [c.id, c]));
    const accepted = batch.filter((item) => state.get(item.conversationId)?.account_id === item.accountId);
    // Whether the contact wrote before only matters to a public reply into a conversation not yet replied to.
    const repliedInto = new Set(accepted.filter((item) => isPublicReply(item.input)).map((item) => item.conversationId));
    const needsFirstReplyCheck = [...state.values()].filter((c) => !c.first_reply_at && repliedInto.has(c.id)).map((c) => c.id);
    return { state, accepted, needsFirstReplyCheck };
  }
}

const pairsOf = (batch: Pending[]) => [
  ...new Map(batch.map((i) => [`${i.accountId}:${i.conversationId}`, [i.accountId, i.conversationId] as const])).values(),
];

/**
 * Each message moves its conversation along in order; each event carries the state right after it. The
 * changes (and the kinds of events) are known before the messages are stored; `finish` makes the answers
 * and the events from the stored messages.
 */
function moveAlong(accepted: Pending[], state: Map<number, ConversationRow>, hasIncoming: Set<number>, now: string) {
  const changes = new Map<number, Change>();
  const steps = accepted.map((item) => {
    const conversation = state.get(item.conversationId)!;
    const change = nextChange(conversation, item.input, now, hasIncoming.has(conversation.id));
    if (item.input.message_type === 'incoming') hasIncoming.add(conversation.id);
    Object.assign(conversation, change);
    changes.set(conversation.id, { ...changes.get(conversation.id), ...change });
    const changed = change.status !== undefined || change.bot_active !== undefined;
    return { item, conversation: presentConversation(conversation), changed };
  });
  const kinds = steps.flatMap(({ item, changed }) => [
    { account_id: item.accountId, type: 'message_created' as const },
    ...(changed ? [{ account_id: item.accountId, type: 'conversation_updated' as const }] : []),
  ]);
  const finish = (inserted: MessageRow[]) => {
    const messages = new Map<Pending, PresentedMessage>();
    const events = steps.flatMap(({ item, conversation, changed }, i): EventInput[] => {
      const message = presentMessage(inserted[i]!);
      messages.set(item, message);
      const event = { account_id: item.accountId, conversation_id: item.conversationId };
      return [
        { ...event, type: 'message_created', payload: { message, conversation } },
        ...(changed ? [{ ...event, type: 'conversation_updated' as const, payload: { conversation } }] : []),
      ];
    });
    return { messages, events };
  };
  return { changes, kinds, finish };
}

const isPublicReply = (input: NewMessage) => input.message_type === 'outgoing' && !input.private;

/**
 * How one message changes its conversation: activity only touches `updated_at`; a public reply stamps
 * the first reply (if the contact wrote before) and, from a human, takes over from the bot; a contact
 * writing into a resolved conversation reopens it.
 */
function nextChange(conversation: ConversationRow, input: NewMessage, now: string, contactWroteBefore: boolean): Change {
  const change: Change = { updated_at: now };
  const publicReply = isPublicReply(input);
  if (input.message_type !== 'activity') change.last_message_at = now;
  if (publicReply && !conversation.first_reply_at && contactWroteBefore) change.first_reply_at = now;
  if (publicReply && input.sender.type === 'agent' && conversation.bot_active) change.bot_active = false;
  if (input.message_type === 'incoming' && conversation.status === 'resolved') {
    change.status = 'open';
    change.resolved_at = null;
  }
  return change;
}
