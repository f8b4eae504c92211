import { createHash, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { countOf, isPostgres } from '../db/knex.js';
import type { Pagination } from '../db/pagination.js';
import { conversationsLabelled } from '../labels/repo.js';
import type { AttachmentMeta } from '../attachments/repo.js';
import type { PreparedAttachment } from '../attachments/prepare.js';
import type { ContentAttributes, ContentType } from './schemas.js';

export type ConversationStatus = 'open' | 'pending' | 'resolved';
export type MessageType = 'incoming' | 'outgoing' | 'activity';
export type SenderType = 'contact' | 'bot' | 'agent';

/** Who wrote a message or made a change. */
export type Sender = { type: SenderType; id: number | null; name: string };

/** `verified`: the website vouched for this contact's e-mail (a valid identifier_hash) or an agent chose it. */
export type ContactRow = {
  id: number;
  account_id: number;
  name: string | null;
  email: string | null;
  verified: boolean;
  /** What the team wrote about them (agents only). */
  notes: string | null;
  created_at: string;
};

/** A conversation with its contact and its assignee's name joined in. */
export type ConversationRow = {
  id: number;
  account_id: number;
  domain_id: number;
  inbox_id: number;
  contact_id: number;
  status: ConversationStatus;
  assignee_agent_id: number | null;
  bot_active: boolean;
  created_at: string;
  updated_at: string;
  first_reply_at: string | null;
  resolved_at: string | null;
  last_message_at: string | null;
  /** The widget's language (a BCP 47 tag) when it said; the AI agent speaks it where it can. */
  locale: string | null;
  /** Its label titles, sorted (kept with the conversation by the labels folder). */
  labels: string[];
  /** SHA-256 of the conversation token; never presented. */
  token_hash: string;
  contact_name: string | null;
  contact_email: string | null;
  contact_verified: boolean;
  assignee_name: string | null;
};

export type MessageRow = {
  id: number;
  account_id: number;
  conversation_id: number;
  content: string;
  message_type: MessageType;
  private: boolean;
  sender_type: SenderType;
  sender_id: number | null;
  sender_name: string | null;
  content_type: ContentType;
  content_attributes: ContentAttributes;
  attachments: AttachmentMeta[];
  created_at: string;
};

/** What a new message is made of, as both the single and the batched writers take it. */
export type NewMessage = {
  content: string;
  message_type: MessageType;
  private?: boolean;
  sender: Sender;
  content_type?: ContentType;
  content_attributes?: ContentAttributes;
  /** Files checked by attachments/prepare.ts, stored in the message's transaction. */
  attachments?: PreparedAttachment[];
};

/** Conversation tokens carry 256 random bits: a plain SHA-256 is enough to make a leaked table useless. */
export const hashConversationToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const toConversation = (row: Record<string, unknown> | undefined): ConversationRow | undefined =>
  row
    ? ({
        ...row,
        bot_active: Boolean(row.bot_active),
        contact_verified: Boolean(row.contact_verified),
        labels: row.labels ? (JSON.parse(String(row.labels)) as string[]) : [],
      } as ConversationRow)
    : undefined;

export const toMessage = (row: Record<string, unknown>): MessageRow =>
  ({
    ...row,
    private: Boolean(row.private),
    content_type: row.content_type ?? 'text',
    content_attributes: row.content_attributes ? JSON.parse(String(row.content_attributes)) : {},
    attachments: row.attachments ? JSON.parse(String(row.attachments)) : [],
  }) as MessageRow;

/** The stored form of a message's attributes: JSON, or null when there are none. */
const storedAttributes = (attributes: ContentAttributes | undefined) =>
  attributes && Object.keys(attributes).length ? JSON.stringify(attributes) : null;

export type StoredMessage = Omit<MessageRow, 'id' | 'content_attributes' | 'attachments'> & {
  content_attributes: string | null;
  attachments: string | null;
};

export const conversationColumns = [
  'c.id',
  'c.account_id',
  'c.domain_id',
  'c.inbox_id',
  'c.contact_id',
  'c.status',
  'c.assignee_agent_id',
  'c.bot_active',
  'c.created_at',
  'c.updated_at',
  'c.first_reply_at',
  'c.resolved_at',
  'c.last_message_at',
  'c.locale',
  'c.labels',
  'c.token_hash',
  'ct.name as contact_name',
  'ct.email as contact_email',
  'ct.verified as contact_verified',
  'u.name as assignee_name',
];

function conversationsQuery(db: Knex, accountId: number) {
  return db('conversations as c')
    .join('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('agents as a', 'a.id', 'c.assignee_agent_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .where('c.account_id', accountId)
    .select(conversationColumns);
}

export async function findConversation(db: Knex, accountId: number, id: number): Promise<ConversationRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return toConversation(await conversationsQuery(db, accountId).where('c.id', id).first());
}

/** The conversation a conversation token opens, if it belongs to that domain (a widget socket knows no id). */
export async function findConversationByToken(db: Knex, domainId: number, token: string): Promise<ConversationRow | undefined> {
  const row = await db('conversations')
    .where({ token_hash: hashConversationToken(token), domain_id: domainId })
    .first('id', 'account_id');
  return row ? findConversation(db, row.account_id, row.id) : undefined;
}

export function tokenOpens(conversation: ConversationRow, token: string): boolean {
  const given = Buffer.from(hashConversationToken(token), 'hex');
  const stored = Buffer.from(conversation.token_hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Holds the row until the transaction ends (PostgreSQL); SQLite's single connection already serialises writers. */
export async function lockConversation(trx: Knex.Transaction, id: number): Promise<void> {
  if (isPostgres(trx)) await trx('conversations').where({ id }).forUpdate().first('id');
}

/** The batch form of `lockConversation`, in id order so two writers never wait on each other in a cycle. */
export async function lockConversations(trx: Knex.Transaction, ids: number[]): Promise<void> {
  if (isPostgres(trx) && ids.length)
    await trx('conversations')
      .whereIn(
        'id',
        [...ids].sort((a, b) => a - b),
      )
      .orderBy('id')
      .forUpdate()
      .select('id');
}

/**
 * The account's conversations with ids above `afterId`, in id order, started within the window if one is
 * given: a stable way through every conversation, one batch at a time (exports).
 */
export async function conversationsAfter(
  db: Knex,
  accountId: number,
  afterId: number,
  limit: number,
  window: { since?: string; until?: string } = {},
): Promise<ConversationRow[]> {
  const query = conversationsQuery(db, accountId).where('c.id', '>', afterId).orderBy('c.id').limit(limit);
  if (window.since) query.where('c.created_at', '>=', window.since);
  if (window.until) query.where('c.created_at', '<', window.until);
  return (await query).map((row) => toConversation(row)!);
}

/** Every message of these conversations of the account, by conversation then in order. */
export async function messagesOfConversations(db: Knex, accountId: number, conversationIds: number[]): Promise<MessageRow[]> {
  if (!conversationIds.length) return [];
  const rows = await db('messages')
    .where('account_id', accountId)
    .whereIn('conversation_id', conversationIds)
    .orderBy([{ column: 'conversation_id' }, { column: 'id' }]);
  return rows.map(toMessage);
}

/** Several conversations at once, each named with its account. */
export async function findConversations(db: Knex, pairs: (readonly [accountId: number, id: number])[]): Promise<ConversationRow[]> {
  if (!pairs.length) return [];
  const rows = await db('conversations as c')
    .join('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('agents as a', 'a.id', 'c.assignee_agent_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .whereIn(
      ['c.account_id', 'c.id'],
      pairs.map(([accountId, id]) => [accountId, id]),
    )
    .select(conversationColumns);
  return rows.map((r: Record<string, unknown>) => toConversation(r)!);
}

/** Which of these conversations already have a message from their contact. */
export async function conversationsWithIncoming(db: Knex, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows: { conversation_id: number }[] = await db('messages')
    .whereIn('conversation_id', ids)
    .where('message_type', 'incoming')
    .distinct('conversation_id');
  return new Set(rows.map((r) => Number(r.conversation_id)));
}

/** The row of a new message, as both the single and the batched writers store it (with its attachments already stored). */
export function messageRow(
  accountId: number,
  conversationId: number,
  input: NewMessage,
  createdAt: string,
  attachments: AttachmentMeta[] = [],
): StoredMessage {
  return {
    account_id: accountId,
    conversation_id: conversationId,
    content: input.content,
    message_type: input.message_type,
    private: input.private ?? false,
    sender_type: input.sender.type,
    sender_id: input.sender.id,
    sender_name: input.sender.name,
    content_type: input.content_type ?? 'text',
    content_attributes: storedAttributes(input.content_attributes),
    attachments: attachments.length ? JSON.stringify(attachments) : null,
    created_at: createdAt,
  };
}

/** One multi-row insert; the rows come back in insertion (id) order. */
export async function insertMessages(trx: Knex.Transaction, values: StoredMessage[]): Promise<MessageRow[]> {
  if (!values.length) return [];
  const rows = await trx('messages').insert(values).returning('*');
  return rows.map(toMessage).sort((a: MessageRow, b: MessageRow) => a.id - b.id);
}

/** Applies each conversation's changes, one UPDATE per distinct set of changes. */
export async function updateConversationsInGroups(trx: Knex.Transaction, changes: Map<number, Record<string, unknown>>): Promise<void> {
  for (const { change, ids } of groupedChanges(changes)) await trx('conversations').whereIn('id', ids).update(change);
}

/** Conversations with the same changes, together: one UPDATE each. */
export function groupedChanges(changes: Map<number, Record<string, unknown>>): { change: Record<string, unknown>; ids: number[] }[] {
  const groups = new Map<string, { change: Record<string, unknown>; ids: number[] }>();
  for (const [id, change] of changes) {
    const key = JSON.stringify(change);
    const group = groups.get(key) ?? groups.set(key, { change, ids: [] }).get(key)!;
    group.ids.push(id);
  }
  return [...groups.values()];
}

export type ConversationFilters = {
  /** any of these */
  status?: ConversationStatus[];
  domain_id?: number;
  /** an agent id, or null for unassigned */
  assignee?: number | null;
  contact_id?: number;
  /** conversations of every contact with this (lower-cased) e-mail, verified or not */
  contact_email?: string;
  /** a label title */
  label?: string;
};

export async function listConversations(
  db: Knex,
  accountId: number,
  filters: ConversationFilters,
  page: Pagination,
): Promise<{ rows: ConversationRow[]; total: number }> {
  const apply = (q: Knex.QueryBuilder) => {
    if (filters.status) q.whereIn('c.status', filters.status);
    if (filters.domain_id !== undefined) q.where('c.domain_id', filters.domain_id);
    if (filters.contact_id !== undefined) q.where('c.contact_id', filters.contact_id);
    if (filters.contact_email !== undefined)
      q.whereIn('c.contact_id', db('contacts').where({ account_id: accountId, email: filters.contact_email }).select('id'));
    if (filters.label !== undefined) q.whereIn('c.id', conversationsLabelled(db, accountId, filters.label));
    if (filters.assignee === null) q.whereNull('c.assignee_agent_id');
    else if (filters.assignee !== undefined) q.where('c.assignee_agent_id', filters.assignee);
    return q;
  };
  const [rows, total] = await Promise.all([
    apply(conversationsQuery(db, accountId))
      .orderBy([
        { column: 'c.last_message_at', order: 'desc' },
        { column: 'c.id', order: 'desc' },
      ])
      .offset((page.page - 1) * page.per_page)
      .limit(page.per_page),
    apply(db('conversations as c').where('c.account_id', accountId)).count('* as n').first(),
  ]);
  return { rows: rows.map((r: Record<string, unknown>) => toConversation(r)!), total: countOf(total) };
}

/** The newest incoming/outgoing message of each conversation (private notes included: this is for the console). */
export async function lastMessages(db: Knex, conversationIds: number[]): Promise<Map<number, MessageRow>> {
  if (!conversationIds.length) return new Map();
  const rows = await db('messages').whereIn(
    'id',
    db('messages').whereIn('conversation_id', conversationIds).whereNot('message_type', 'activity').groupBy('conversation_id').max('id'),
  );
  return new Map(rows.map((r: Record<string, unknown>) => [Number(r.conversation_id), toMessage(r)]));
}

/** How many contact messages came in since the last reply, per conversation. */
export async function unansweredCounts(db: Knex, conversationIds: number[]): Promise<Map<number, number>> {
  if (!conversationIds.length) return new Map();
  const rows: { conversation_id: number; n: number | string }[] = await db('messages as m')
    .whereIn('m.conversation_id', conversationIds)
    .where('m.message_type', 'incoming')
    .where(
      'm.id',
      '>',
      db.raw(
        `coalesce((select max(o.id) from messages o where o.conversation_id = m.conversation_id and o.message_type = 'outgoing' and o."private" = ?), 0)`,
        [false],
      ),
    )
    .groupBy('m.conversation_id')
    .select('m.conversation_id')
    .count('* as n');
  return new Map(rows.map((r) => [Number(r.conversation_id), Number(r.n)]));
}

export async function insertConversation(
  trx: Knex.Transaction,
  values: {
    account_id: number;
    domain_id: number;
    inbox_id: number;
    contact_id: number;
    status: ConversationStatus;
    bot_active: boolean;
    token_hash: string;
    locale: string | null;
    created_at: string;
  },
): Promise<number> {
  const [row] = await trx('conversations')
    .insert({ ...values, updated_at: values.created_at, last_message_at: values.created_at })
    .returning('id');
  return (row as { id: number }).id;
}

export type ConversationChange = Partial<
  Pick<
    ConversationRow,
    'status' | 'assignee_agent_id' | 'bot_active' | 'updated_at' | 'first_reply_at' | 'resolved_at' | 'last_message_at' | 'labels'
  >
>;

export async function updateConversation(trx: Knex.Transaction, id: number, changes: ConversationChange): Promise<void> {
  const { labels, ...rest } = changes;
  await trx('conversations')
    .where({ id })
    .update({ ...rest, ...(labels ? { labels: labels.length ? JSON.stringify(labels) : null } : {}) });
}

export async function insertMessage(trx: Knex.Transaction, values: StoredMessage): Promise<MessageRow> {
  const [row] = await trx('messages').insert(values).returning('*');
  return toMessage(row);
}

export async function findMessage(db: Knex, accountId: number, id: number): Promise<MessageRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const row = await db('messages').where({ account_id: accountId, id }).first();
  return row ? toMessage(row) : undefined;
}

/** Several of the account's messages at once, by id. */
export async function findMessages(db: Knex, accountId: number, ids: number[]): Promise<MessageRow[]> {
  if (!ids.length) return [];
  return (await db('messages').where('account_id', accountId).whereIn('id', ids)).map(toMessage);
}

/** Replaces a message's attributes (the caller holds the conversation's lock). */
export async function updateMessageAttributes(trx: Knex.Transaction, id: number, attributes: ContentAttributes): Promise<MessageRow> {
  const [row] = await trx('messages')
    .where({ id })
    .update({ content_attributes: storedAttributes(attributes) })
    .returning('*');
  return toMessage(row);
}

/** Messages of one conversation in chat order; `publicOnly` leaves out private notes (what the visitor may see). */
export async function listMessages(
  db: Knex,
  conversationId: number,
  options: { after?: number; before?: number; publicOnly: boolean },
  page: Pagination,
): Promise<{ rows: MessageRow[]; total: number }> {
  const apply = (q: Knex.QueryBuilder) => {
    q.where('conversation_id', conversationId);
    if (options.after !== undefined) q.where('id', '>', options.after);
    if (options.before !== undefined) q.where('id', '<', options.before);
    if (options.publicOnly) q.where('private', false);
    return q;
  };
  // Scrolling back pages from the newest end; polling forward from the oldest.
  const backwards = options.before !== undefined;
  const [rows, total] = await Promise.all([
    apply(db('messages'))
      .orderBy('id', backwards ? 'desc' : 'asc')
      .offset((page.page - 1) * page.per_page)
      .limit(page.per_page),
    apply(db('messages')).count('* as n').first(),
  ]);
  const messages = rows.map(toMessage);
  return { rows: backwards ? messages.reverse() : messages, total: countOf(total) };
}

/** The newest `limit` messages of a conversation in chat order, and whether older ones exist. */
export async function recentMessages(
  db: Knex,
  conversationId: number,
  limit: number,
): Promise<{ messages: MessageRow[]; hasEarlier: boolean }> {
  const rows = await db('messages')
    .where({ conversation_id: conversationId })
    .orderBy('id', 'desc')
    .limit(limit + 1);
  return { messages: rows.slice(0, limit).map(toMessage).reverse(), hasEarlier: rows.length > limit };
}

/** A conversation's public messages (private notes left out), oldest first; `limit` keeps the newest ones up to `upToId`. */
export async function publicMessages(
  db: Knex,
  accountId: number,
  conversationId: number,
  options: { upToId?: number; limit?: number } = {},
): Promise<MessageRow[]> {
  const query = db('messages')
    .where({ account_id: accountId, conversation_id: conversationId })
    .whereNot('private', true)
    .orderBy('id', 'desc');
  if (options.upToId !== undefined) query.where('id', '<=', options.upToId);
  if (options.limit !== undefined) query.limit(options.limit);
  return (await query).map(toMessage).reverse();
}

/** Conversations the AI agent still holds that had a message since `since`, newest first. */
export async function botConversationsSince(db: Knex, since: string, limit: number): Promise<{ id: number; account_id: number }[]> {
  return db('conversations')
    .where('bot_active', true)
    .where('last_message_at', '>=', since)
    .orderBy('last_message_at', 'desc')
    .limit(limit)
    .select('id', 'account_id');
}

const toContact = (row: Record<string, unknown> | undefined): ContactRow | undefined =>
  row ? ({ ...row, verified: Boolean(row.verified) } as ContactRow) : undefined;

export async function findContact(db: Knex, accountId: number, id: number): Promise<ContactRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return toContact(await db('contacts').where({ account_id: accountId, id }).first());
}

/** A new contact holding what was given (emails are stored lower-cased). */
export async function createContact(
  trx: Knex.Transaction,
  accountId: number,
  input: { name: string | null; email: string | null; verified: boolean },
  createdAt: string,
): Promise<ContactRow> {
  const email = input.email?.trim().toLowerCase() || null;
  const [row] = await trx('contacts')
    .insert({ account_id: accountId, name: input.name, email, verified: input.verified, created_at: createdAt })
    .returning('*');
  return toContact(row)!;
}

/**
 * The account's verified contact with this email (compared lower-cased), or a new verified one. Only a
 * contact someone vouched for is ever reused: unverified ones hold what anybody typed. `rename` (the
 * website vouching through identifier_hash) replaces a stored name; otherwise a name is only filled in.
 */
export async function findOrCreateVerifiedContact(
  trx: Knex.Transaction,
  accountId: number,
  input: { name: string | null; email: string },
  createdAt: string,
  options: { rename: boolean },
): Promise<ContactRow> {
  const email = input.email.trim().toLowerCase();
  const existing = toContact(await trx('contacts').where({ account_id: accountId, email, verified: true }).orderBy('id').first());
  if (!existing) return createContact(trx, accountId, { ...input, verified: true }, createdAt);
  if (input.name && input.name !== existing.name && (options.rename || !existing.name)) {
    await trx('contacts').where({ id: existing.id }).update({ name: input.name });
    return { ...existing, name: input.name };
  }
  return existing;
}

/** An open or pending conversation with the message times its SLA clocks run from. */
export type OpenConversationTimes = {
  id: number;
  account_id: number;
  status: 'open' | 'pending';
  created_at: string;
  first_incoming_at: string | null;
  first_response_at: string | null;
};

const OPEN = ['open', 'pending'];

/** A conversation's first message from its contact (`c`, the outer query's row): one seek in `messages_by_type`. */
const firstIncoming = (column: 'id' | 'created_at') =>
  `(select fi.${column} from messages fi where fi.conversation_id = c.id and fi.message_type = 'incoming' order by fi.id limit 1)`;

/** The first public reply by an agent or the bot after that message (ids follow time). */
const firstResponse = `(select fr.created_at from messages fr where fr.conversation_id = c.id and fr.message_type = 'outgoing'
  and fr.private = ? and fr.sender_type in ('agent', 'bot') and fr.id > ${firstIncoming('id')} order by fr.id limit 1)`;

/**
 * Open/pending conversations (of one account, or all) with the time of the contact's first message and
 * of the first public reply by an agent or bot after it. Each is a seek per conversation (026's index), not a
 * pass over every message: the SLA sweep runs this every half minute.
 */
export async function openConversationTimes(db: Knex, accountId?: number): Promise<OpenConversationTimes[]> {
  const query = db('conversations as c')
    .whereIn('c.status', OPEN)
    .select(
      'c.id',
      'c.account_id',
      'c.status',
      'c.created_at',
      db.raw(`${firstIncoming('created_at')} as first_incoming_at`),
      db.raw(`${firstResponse} as first_response_at`, [false]),
    )
    .orderBy('c.id');
  if (accountId !== undefined) query.where('c.account_id', accountId);
  return (await query) as OpenConversationTimes[];
}
