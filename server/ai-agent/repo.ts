import type { Knex } from 'knex';
import type { ContentAttributes } from '../conversations/schemas.js';
import { nowIso } from '../db/knex.js';

/** What the agent needs to know about a conversation before it speaks in it. */
export type AgentContext = {
  conversation: {
    id: number;
    account_id: number;
    domain_id: number;
    status: string;
    bot_active: boolean;
    /** The widget's language, else the website's configured one (either may be missing). */
    locale: string | null;
    site_locale: string | null;
    contact_email: string | null;
  };
  /** The AI agent attached to the conversation's website, if its AI config is active. */
  agent: { id: number; bot_name: string; greeting_message: string | null; system_prompt: string | null } | null;
};

export type TranscriptMessage = {
  id: number;
  content: string;
  content_attributes: ContentAttributes;
  message_type: 'incoming' | 'outgoing' | 'activity';
  sender_type: 'contact' | 'bot' | 'agent';
  sender_id: number | null;
  sender_name: string | null;
  created_at: string;
};

export async function loadAgentContext(db: Knex, accountId: number, conversationId: number): Promise<AgentContext | undefined> {
  const row = await db('conversations')
    .join('domains', 'domains.id', 'conversations.domain_id')
    .join('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('agents', function joinActiveAgent() {
      this.on('agents.id', '=', 'domains.ai_agent_id').andOn('agents.account_id', '=', 'domains.account_id');
    })
    .where({ 'conversations.account_id': accountId, 'conversations.id': conversationId })
    .first(
      'conversations.id',
      'conversations.account_id',
      'conversations.domain_id',
      'conversations.status',
      'conversations.bot_active',
      'conversations.locale',
      'contacts.email as contact_email',
      'domains.widget_settings',
      'domains.ai_active',
      'agents.id as agent_id',
      'agents.type as agent_type',
      'agents.bot_name',
      'agents.greeting_message',
      'agents.system_prompt',
    );
  if (!row) return undefined;
  const active = Boolean(row.ai_active) && row.agent_id != null && row.agent_type === 'ai';
  return {
    conversation: {
      id: row.id,
      account_id: row.account_id,
      domain_id: row.domain_id,
      status: row.status,
      bot_active: Boolean(row.bot_active),
      locale: row.locale ?? null,
      site_locale: (row.widget_settings ? (JSON.parse(String(row.widget_settings)) as { locale?: string }).locale : null) ?? null,
      contact_email: row.contact_email ?? null,
    },
    agent: active
      ? { id: row.agent_id, bot_name: row.bot_name, greeting_message: row.greeting_message, system_prompt: row.system_prompt }
      : null,
  };
}

/** Whether the agent still has the conversation (a human reply or a hand-off turns it off). */
export async function isBotActive(db: Knex, accountId: number, conversationId: number): Promise<boolean> {
  const row = await db('conversations').where({ account_id: accountId, id: conversationId }).first('bot_active');
  return Boolean(row?.bot_active);
}

/** Public (non-private) messages of a conversation, oldest first; `limit` keeps the newest ones. */
export async function transcript(
  db: Knex,
  accountId: number,
  conversationId: number,
  options: { upToId?: number; limit?: number } = {},
): Promise<TranscriptMessage[]> {
  const query = db('messages')
    .where({ account_id: accountId, conversation_id: conversationId })
    .whereNot('private', true)
    .orderBy('id', 'desc')
    .select('id', 'content', 'content_attributes', 'message_type', 'sender_type', 'sender_id', 'sender_name', 'created_at');
  if (options.upToId !== undefined) query.where('id', '<=', options.upToId);
  if (options.limit !== undefined) query.limit(options.limit);
  const rows: Record<string, unknown>[] = await query;
  return rows
    .map(
      (row) =>
        ({ ...row, content_attributes: row.content_attributes ? JSON.parse(String(row.content_attributes)) : {} }) as TranscriptMessage,
    )
    .reverse();
}

/**
 * Conversations the bot still holds whose newest public message (activity aside) is the contact's and
 * was written after `since`: what was left unanswered when the server stopped.
 */
export async function unansweredBotConversations(
  db: Knex,
  since: string,
  limit: number,
): Promise<{ account_id: number; conversation_id: number; message: TranscriptMessage }[]> {
  const conversations: { id: number; account_id: number }[] = await db('conversations')
    .where('bot_active', true)
    .where('last_message_at', '>=', since)
    .orderBy('last_message_at', 'desc')
    .limit(limit)
    .select('id', 'account_id');
  const waiting = [];
  for (const c of conversations) {
    const last = (await transcript(db, c.account_id, c.id, { limit: 5 })).filter((m) => m.message_type !== 'activity').at(-1);
    if (last?.message_type === 'incoming' && last.sender_type === 'contact')
      waiting.push({ account_id: c.account_id, conversation_id: c.id, message: last });
  }
  return waiting;
}

/** One contact message the bot took (a question, or a request for a person) and how it ended. */
export type AiReplyRow = {
  id: number;
  account_id: number;
  conversation_id: number;
  question_message_id: number;
  question: string;
  intent: 'handoff' | null;
  move: 'answer' | 'choices' | 'handoff';
  reply_message_id: number | null;
  kb_item_id: number | null;
  picked_value: string | null;
  answer_message_id: number | null;
  handed_off: boolean;
  helpful: boolean | null;
  learned_question_id: number | null;
  created_at: string;
};

export type AiReplyChange = Partial<
  Pick<AiReplyRow, 'kb_item_id' | 'picked_value' | 'answer_message_id' | 'handed_off' | 'helpful' | 'learned_question_id'>
>;

const toReply = (row: Record<string, unknown> | undefined): AiReplyRow | undefined =>
  row
    ? ({
        ...row,
        handed_off: Boolean(row.handed_off),
        helpful: row.helpful === null || row.helpful === undefined ? null : Boolean(row.helpful),
      } as AiReplyRow)
    : undefined;

export async function insertAiReply(
  db: Knex,
  values: Omit<AiReplyRow, 'id' | 'created_at' | 'picked_value' | 'answer_message_id' | 'helpful' | 'learned_question_id'> &
    Partial<Pick<AiReplyRow, 'answer_message_id'>>,
  now: Date,
): Promise<number> {
  const [row] = await db('ai_replies')
    .insert({ ...values, created_at: nowIso(now) })
    .returning('id');
  return (row as { id: number }).id;
}

/** The reply whose bot message (choices, answer or hand-off) is `messageId`. */
export async function findAiReplyByMessage(db: Knex, accountId: number, messageId: number): Promise<AiReplyRow | undefined> {
  return toReply(await db('ai_replies').where({ account_id: accountId, reply_message_id: messageId }).first());
}

/** The reply whose answer (given directly, or after a pick) is `messageId`. */
export async function findAiReplyByAnswer(db: Knex, accountId: number, messageId: number): Promise<AiReplyRow | undefined> {
  return toReply(await db('ai_replies').where({ account_id: accountId, answer_message_id: messageId }).first());
}

export async function updateAiReply(db: Knex, id: number, changes: AiReplyChange): Promise<void> {
  if (Object.keys(changes).length) await db('ai_replies').where({ id }).update(changes);
}
