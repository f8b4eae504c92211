import type { Knex } from 'knex';
import { dropExpiredLease, expiredLeaseNames, LeaderLease } from '../db/leader-lease.js';

const PREFIX = 'ai-reply:';
/** How long an answered message's claim is kept: past the catch-up window, so no server answers it again. */
const KEEP_DONE_MS = 48 * 3600 * 1000;
/** What answering takes beyond the LLM call (retrieval, the writes), with a wide margin. */
const ANSWER_MARGIN_MS = 10_000;

type ClaimedMessage = { accountId: number; conversationId: number; messageId: number };

const claimName = (m: ClaimedMessage) => `${PREFIX}${m.accountId}:${m.conversationId}:${m.messageId}`;

/**
 * Which server answers a contact message when several run on one PostgreSQL: the one holding its claim (a
 * lease named after the message). A server answers only what it claimed, so a server that starts while
 * another is still answering (a rolling restart) does not answer again; an answered message keeps its
 * claim, so no catch-up answers it later; a claim whose server died runs out, and another server's sweep
 * answers the message then. On SQLite one process owns the database and every claim is its own.
 */
export class ReplyClaim {
  private constructor(private readonly lease: LeaderLease) {}

  /** The message's claim for this server, or null when another server holds it or answered it. */
  static async take(db: Knex, message: ClaimedMessage, llmTimeoutMs: number): Promise<ReplyClaim | null> {
    const lease = new LeaderLease(db, claimName(message), llmTimeoutMs + ANSWER_MARGIN_MS);
    return (await lease.tryHold()) ? new ReplyClaim(lease) : null;
  }

  /** The message is dealt with (answered, or left to a human): no server takes it up again. */
  async done(): Promise<void> {
    await this.lease.tryHold(KEEP_DONE_MS);
  }
}

/**
 * Messages whose claim ran out: their server stopped while answering them, or (long after) they were answered
 * and their kept claim ran out too, which the caller tells apart by the message's age.
 */
export async function abandonedMessages(db: Knex, limit: number): Promise<ClaimedMessage[]> {
  const messages: ClaimedMessage[] = [];
  for (const name of await expiredLeaseNames(db, PREFIX, limit)) {
    const [accountId, conversationId, messageId] = name.slice(PREFIX.length).split(':').map(Number);
    if (accountId && conversationId && messageId) messages.push({ accountId, conversationId, messageId });
    else await dropExpiredLease(db, name);
  }
  return messages;
}

/** Forgets a claim that ran out and whose message needs no answer any more (deleted, or too old to answer). */
export async function dropAbandoned(db: Knex, message: ClaimedMessage): Promise<void> {
  await dropExpiredLease(db, claimName(message));
}
