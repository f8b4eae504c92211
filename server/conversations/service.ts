import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Deps } from '../deps.js';
import { findAgent } from '../agents/repo.js';
import { lockAccount, nowIso } from '../db/knex.js';
import type { DomainRow } from '../domains/repo.js';
import { recordEvent } from '../events/record.js';
import type { ChangedAttribute } from '../events/types.js';
import { notFound, validationFailed } from '../errors.js';
import {
  contactSenderName,
  presentConversation,
  presentConversationSummary,
  presentMessage,
  type PresentedConversation,
  type PresentedMessage,
} from './presenter.js';
import type { InTransaction } from './message-writer.js';
import * as repo from './repo.js';
import type { ContactRow, ConversationRow, ConversationStatus, NewMessage, Sender } from './repo.js';
import type { ContentAttributes } from './schemas.js';

export type ContactInput = { name?: string | null; email?: string | null };

export const CONVERSATION_TOKEN_PREFIX = 'ct_';
const newConversationToken = () => CONVERSATION_TOKEN_PREFIX + randomBytes(32).toString('base64url');

/** Message text past MESSAGE_MAX_LENGTH is a 422 naming the field. */
export function assertMessageLength(deps: Deps, content: string, field = 'content'): void {
  if (content.length > deps.config.messageMaxLength)
    throw validationFailed([{ field, message: `must be at most ${deps.config.messageMaxLength} characters` }]);
}

type FirstMessage = (contact: ContactRow) => NewMessage;

/**
 * Whose conversation it is: an existing contact by id (an agent's choice); the verified contact of an
 * e-mail someone vouches for (the website through identifier_hash, whose name for them then wins:
 * `rename`; or an agent typing it); or a new contact holding only what a visitor typed, vouched for by nobody.
 */
export type ContactChoice =
  | { existing: number }
  | { verified: { name: string | null; email: string | null }; rename: boolean }
  | { unverified: { name: string | null; email: string | null } };

async function contactFor(trx: Knex.Transaction, accountId: number, choice: ContactChoice, now: string): Promise<ContactRow> {
  if ('existing' in choice) {
    const contact = await repo.findContact(trx, accountId, choice.existing);
    if (!contact) throw notFound('Contact');
    return contact;
  }
  if ('unverified' in choice) return repo.createContact(trx, accountId, { ...choice.unverified, verified: false }, now);
  const { name, email } = choice.verified;
  // Someone vouching for a contact without an e-mail (an agent typing a name) makes a new one.
  if (!email) return repo.createContact(trx, accountId, { name, email, verified: true }, now);
  // Under the account lock, so two conversations of one new e-mail cannot make it two verified contacts.
  await lockAccount(trx, accountId);
  return repo.findOrCreateVerifiedContact(trx, accountId, { name, email }, now, { rename: choice.rename });
}

/**
 * One transaction: the contact (see `ContactChoice`), the conversation with a fresh token (only its hash
 * is stored), the first message, and their events.
 */
async function openConversation(
  deps: Deps,
  domain: DomainRow,
  contactChoice: ContactChoice,
  options: { botActive: boolean; assigneeAgentId?: number | null; locale?: string | null; firstMessage?: FirstMessage },
) {
  const token = newConversationToken();
  return deps.db.transaction(async (trx) => {
    const now = nowIso(deps.now());
    const contact = await contactFor(trx, domain.account_id, contactChoice, now);
    const id = await repo.insertConversation(trx, {
      account_id: domain.account_id,
      domain_id: domain.id,
      inbox_id: domain.inbox_id,
      contact_id: contact.id,
      status: 'open',
      bot_active: options.botActive,
      token_hash: repo.hashConversationToken(token),
      locale: options.locale ?? null,
      created_at: now,
    });
    if (options.assigneeAgentId) await repo.updateConversation(trx, id, { assignee_agent_id: options.assigneeAgentId });
    const first = options.firstMessage?.(contact);
    const message = first ? await repo.insertMessage(trx, repo.messageRow(domain.account_id, id, first, now)) : undefined;
    const conversation = presentConversation((await repo.findConversation(trx, domain.account_id, id))!);
    const event = { account_id: domain.account_id, conversation_id: id };
    await recordEvent(deps, trx, { ...event, type: 'conversation_created', payload: { conversation } });
    const messages = message ? [presentMessage(message)] : [];
    for (const m of messages) await recordEvent(deps, trx, { ...event, type: 'message_created', payload: { message: m, conversation } });
    return { conversation, conversationToken: token, messages };
  });
}

/**
 * A visitor starts a conversation from a website's widget; the domain's AI agent answers while one is
 * active, in the widget's language (`locale`) where it speaks it. `verified`: the website vouched for the
 * e-mail (a valid identifier_hash): the conversation joins that e-mail's verified contact. Otherwise it
 * gets a contact of its own, so nothing stored about an existing contact (name, history, even its id)
 * reaches whoever typed the e-mail.
 */
export function createConversation(
  deps: Deps,
  domain: DomainRow,
  input: { contact?: ContactInput; message: string; locale?: string },
  identity: { verified: boolean },
) {
  const given = { name: input.contact?.name || null, email: input.contact?.email || null };
  const choice: ContactChoice = identity.verified && given.email ? { verified: given, rename: true } : { unverified: given };
  return openConversation(deps, domain, choice, {
    botActive: domain.ai_active && domain.ai_agent_id !== null,
    locale: input.locale,
    firstMessage: (contact) => ({
      content: input.message,
      message_type: 'incoming',
      sender: { type: 'contact', id: contact.id, name: contactSenderName(contact) },
    }),
  });
}

/**
 * An agent starts a conversation with a contact on one of the account's websites; it is assigned to them.
 * An agent vouches for the contact they pick or type (the verified contact of that e-mail).
 */
export function startConversationAsAgent(
  deps: Deps,
  domain: DomainRow,
  input: { contact: ContactInput | { id: number }; message?: string },
  actor: Sender,
) {
  const { contact } = input;
  const choice: ContactChoice =
    'id' in contact ? { existing: contact.id } : { verified: { name: contact.name || null, email: contact.email || null }, rename: false };
  return openConversation(deps, domain, choice, {
    botActive: false,
    assigneeAgentId: actor.type === 'agent' ? actor.id : null,
    firstMessage: input.message ? () => ({ content: input.message!, message_type: 'outgoing', sender: actor }) : undefined,
  });
}

type Change = repo.ConversationChange;

/** Loads and locks a conversation of the account inside a transaction (404 when it is not the account's). */
export async function lockedConversation(trx: Knex.Transaction, accountId: number, id: number): Promise<ConversationRow> {
  await repo.lockConversation(trx, id);
  const conversation = await repo.findConversation(trx, accountId, id);
  if (!conversation) throw notFound('Conversation');
  return conversation;
}

async function insertMessageRow(trx: Knex.Transaction, conversation: ConversationRow, input: NewMessage, now: string) {
  return repo.insertMessage(trx, repo.messageRow(conversation.account_id, conversation.id, input, now));
}

/**
 * Adds a message and keeps the conversation in step: a public reply stamps the first reply and, from a
 * human, takes the conversation over from the bot; a contact writing into a resolved conversation reopens
 * it. Resolves once committed (messages arriving together share one transaction: see MessageWriter).
 */
export function addMessage(
  deps: Deps,
  accountId: number,
  conversationId: number,
  input: NewMessage,
  inTransaction?: InTransaction,
): Promise<PresentedMessage> {
  return deps.messages.add(accountId, conversationId, input, inTransaction);
}

/**
 * Changes a message's attributes (a visitor's feedback on an answer, the choice picked) with `change`,
 * which gets the current attributes and returns the new ones (the same object: no change, no event), and
 * announces it as `message_updated`.
 */
export async function updateMessageAttributes(
  deps: Deps,
  accountId: number,
  messageId: number,
  change: (attributes: ContentAttributes) => ContentAttributes,
): Promise<PresentedMessage> {
  return deps.db.transaction(async (trx) => {
    const current = await repo.findMessage(trx, accountId, messageId);
    if (!current) throw notFound('Message');
    const conversation = await lockedConversation(trx, accountId, current.conversation_id);
    // Re-read under the lock: a concurrent change made while this one waited is kept.
    const locked = (await repo.findMessage(trx, accountId, messageId))!;
    const attributes = change(locked.content_attributes);
    if (attributes === locked.content_attributes) return presentMessage(locked);
    const message = presentMessage(await repo.updateMessageAttributes(trx, messageId, attributes));
    await recordEvent(deps, trx, {
      account_id: accountId,
      conversation_id: conversation.id,
      type: 'message_updated',
      payload: { message, conversation: presentConversation(conversation) },
    });
    return message;
  });
}

/** The columns a change can touch, by the name events give them (`assignee` as the conversation presents it). */
const CHANGE_NAMES: [keyof Change, ChangedAttribute][] = [
  ['status', 'status'],
  ['bot_active', 'bot_active'],
  ['assignee_agent_id', 'assignee'],
  ['labels', 'labels'],
];

/**
 * Writes a change to a conversation (status, bot, assignee, labels) with its activity messages and events.
 * `privately`: the activity lines are for the team only (private, so the widget never shows them).
 */
export async function recordChange(
  deps: Deps,
  trx: Knex.Transaction,
  before: ConversationRow,
  changes: Change,
  activities: string[],
  actor: Sender,
  privately = false,
): Promise<PresentedConversation> {
  const now = changes.updated_at!;
  await repo.updateConversation(trx, before.id, changes);
  // A new assignee's name comes from the join, so that case re-reads the row.
  const after =
    changes.assignee_agent_id !== undefined ? (await repo.findConversation(trx, before.account_id, before.id))! : { ...before, ...changes };
  const conversation = presentConversation(after);
  const event = { account_id: before.account_id, conversation_id: before.id };
  for (const content of activities) {
    const message = await insertMessageRow(trx, before, { content, message_type: 'activity', private: privately, sender: actor }, now);
    await recordEvent(deps, trx, { ...event, type: 'message_created', payload: { message: presentMessage(message), conversation } });
  }
  const changed_attributes = CHANGE_NAMES.filter(
    ([column]) => changes[column] !== undefined && JSON.stringify(changes[column]) !== JSON.stringify(before[column]),
  ).map(([, name]) => name);
  await recordEvent(deps, trx, { ...event, type: 'conversation_updated', payload: { conversation, changed_attributes, sender: actor } });
  if (changes.status === 'resolved' && before.status !== 'resolved')
    await recordEvent(deps, trx, { ...event, type: 'conversation_resolved', payload: { conversation } });
  return conversation;
}

function statusActivity(actor: Sender, status: ConversationStatus): string {
  if (status === 'resolved') return `Conversation resolved by ${actor.name}`;
  if (status === 'pending')
    return actor.type === 'bot' ? `${actor.name} handed the conversation to a human agent` : `Conversation set to pending by ${actor.name}`;
  return `Conversation reopened by ${actor.name}`;
}

/**
 * Changes the status and, with `bot`, whether the AI agent answers ("hand back to the bot" is
 * `open` with `bot: true`). Without `bot`, `pending` (a hand-off to humans) turns the bot off.
 * Each change is recorded as an activity message; no change, no events.
 */
export async function setStatus(
  deps: Deps,
  accountId: number,
  conversationId: number,
  status: ConversationStatus,
  actor: Sender,
  options: { bot?: boolean } = {},
): Promise<PresentedConversation> {
  return deps.db.transaction(async (trx) => {
    const before = await lockedConversation(trx, accountId, conversationId);
    // A bot's hand-off that lands after a person resolved the conversation leaves it resolved.
    if (actor.type === 'bot' && before.status === 'resolved') return presentConversation(before);
    const botActive = options.bot ?? (status === 'pending' ? false : before.bot_active);
    if (status === before.status && botActive === before.bot_active) return presentConversation(before);
    const now = nowIso(deps.now());
    const changes: Change = { updated_at: now, status, bot_active: botActive };
    if (status !== before.status) changes.resolved_at = status === 'resolved' ? now : null;
    const activities: string[] = [];
    if (status !== before.status) activities.push(statusActivity(actor, status));
    const botHandOff = actor.type === 'bot' && status === 'pending';
    if (botActive !== before.bot_active && !botHandOff)
      activities.push(
        botActive ? `${actor.name} handed the conversation back to the bot` : `${actor.name} took the conversation over from the bot`,
      );
    return recordChange(deps, trx, before, changes, activities, actor);
  });
}

/** Assigns a human agent of the same account (or nobody, with `null`). */
export async function assign(
  deps: Deps,
  accountId: number,
  conversationId: number,
  agentId: number | null,
  actor: Sender,
): Promise<PresentedConversation> {
  return deps.db.transaction(async (trx) => {
    const before = await lockedConversation(trx, accountId, conversationId);
    const agent = agentId === null ? undefined : await findAgent(trx, accountId, agentId);
    if (agentId !== null && !agent) throw notFound('Agent');
    if (agent && agent.type !== 'human') throw validationFailed([{ field: 'agent_id', message: 'must be a human agent' }]);
    if (before.assignee_agent_id === agentId) return presentConversation(before);
    const changes: Change = { updated_at: nowIso(deps.now()), assignee_agent_id: agentId };
    const activity = !agent
      ? `Conversation unassigned by ${actor.name}`
      : actor.type === 'agent' && actor.id === agent.id
        ? `${actor.name} self-assigned the conversation`
        : `Assigned to ${agent.name} by ${actor.name}`;
    return recordChange(deps, trx, before, changes, [activity], actor);
  });
}

/** Conversations as lists show them: each with its newest message and how many contact messages await a reply. */
export async function conversationSummaries(db: Knex, rows: ConversationRow[]) {
  const ids = rows.map((r) => r.id);
  const [last, unanswered] = await Promise.all([repo.lastMessages(db, ids), repo.unansweredCounts(db, ids)]);
  return rows.map((r) => presentConversationSummary(r, last.get(r.id), unanswered.get(r.id) ?? 0));
}
