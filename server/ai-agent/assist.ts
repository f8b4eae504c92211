import type { Deps } from '../deps.js';
import { findConversation, publicMessages, type MessageRow } from '../conversations/repo.js';
import { notFound } from '../errors.js';
import { searchItems, type ScoredItem } from '../kb/service.js';
import { detectIntent } from './intents.js';

/** How far back the conversation is read for the contact's open questions. */
const READ_BACK = 50;
/** Questions joined into one search at most (the newest). */
const QUESTIONS_SEARCHED = 3;

/** A reply to the contact's questions: a human agent's public message, or an answer of the AI agent. */
const isReply = (m: MessageRow) => m.message_type === 'outgoing' && (m.sender_type === 'agent' || m.content_attributes.kind === 'answer');

/** The contact's typed questions among `messages` (greetings, thanks, requests for a person, choices picked aside). */
const questionsIn = (messages: MessageRow[]) =>
  messages.flatMap((m) => {
    if (m.message_type !== 'incoming' || m.sender_type !== 'contact' || m.content_attributes.submitted_value !== undefined) return [];
    const detected = detectIntent(m.content);
    return detected.intent === 'question' ? [{ messageId: m.id, question: detected.question }] : [];
  });

/**
 * The contact's questions since the last reply (contract, "Agent assist"): those asked after the last outgoing
 * message; when none were (the bot handed off or offered choices right after the question), those it could not
 * answer, since the last human reply or AI answer. Each without a leading "hi". With `beforeId`, only messages
 * older than it.
 */
export async function openQuestions(
  deps: Deps,
  accountId: number,
  conversationId: number,
  beforeId?: number,
): Promise<{ messageId: number; question: string }[]> {
  const messages = await publicMessages(deps.db, accountId, conversationId, {
    upToId: beforeId === undefined ? undefined : beforeId - 1,
    limit: READ_BACK,
  });
  const sinceOutgoing = questionsIn(messages.slice(messages.findLastIndex((m) => m.message_type === 'outgoing') + 1));
  return sinceOutgoing.length ? sinceOutgoing : questionsIn(messages.slice(messages.findLastIndex(isReply) + 1));
}

/**
 * KB items for the contact's latest question(s), for the agent to answer with: the open questions since the last
 * reply searched together, else the latest question the contact asked at all. 404 for another account's conversation.
 */
export async function suggestionsFor(deps: Deps, accountId: number, conversationId: number, k: number): Promise<ScoredItem[]> {
  if (!(await findConversation(deps.db, accountId, conversationId))) throw notFound('Conversation');
  let questions = await openQuestions(deps, accountId, conversationId);
  if (!questions.length) {
    const messages = await publicMessages(deps.db, accountId, conversationId, { limit: READ_BACK });
    const latest = messages
      .filter((m) => m.message_type === 'incoming' && m.sender_type === 'contact' && m.content_attributes.submitted_value === undefined)
      .map((m) => ({ messageId: m.id, ...detectIntent(m.content) }))
      .findLast((m) => m.intent === 'question');
    questions = latest ? [latest] : [];
  }
  if (!questions.length) return [];
  const text = questions
    .slice(-QUESTIONS_SEARCHED)
    .map((q) => q.question)
    .join('\n');
  return searchItems(deps, accountId, text, k);
}
