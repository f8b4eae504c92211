/** Conversations, their messages and their contacts' history (`/nc-api/v1/conversations`, `/contacts`). */
import { api, downloadFile, pathId, send } from './client.js';
import type { paths } from './generated/openapi.js';
import { uploadWithProgress } from './upload.js';
import type { Page } from './usePagedData.js';
import type { ApiAnswer, Conversation, ConversationRow, ConversationStatus, Message, Suggestion } from './types.js';

type Row<T> = T extends { data: (infer R)[] } ? R : never;

export type ConversationQuery = NonNullable<paths['/nc-api/v1/conversations']['get']['parameters']['query']>;

const LIST_PAGE = 50;

/** One page of the inbox list, newest activity first, with the total that matches. */
export async function listConversations(
  query: Omit<ConversationQuery, 'page' | 'per_page'>,
  page: number,
  signal?: AbortSignal,
): Promise<Page<ConversationRow>> {
  const res = await send(api().GET('/nc-api/v1/conversations', { params: { query: { ...query, page, per_page: LIST_PAGE } }, signal }));
  return { rows: res.data, total: res.meta.total };
}

export type LoadedConversation = { conversation: Conversation; messages: Message[]; hasEarlier: boolean };

/** The conversation with its newest messages, oldest first. */
export async function getConversation(id: number, signal?: AbortSignal): Promise<LoadedConversation> {
  const { messages, has_earlier_messages, ...conversation } = await send(
    api().GET('/nc-api/v1/conversations/{id}', { params: { path: pathId(id) }, signal }),
  );
  return { conversation, messages: [...messages].sort((a, b) => a.id - b.id), hasEarlier: has_earlier_messages };
}

const EARLIER_PAGE = 100;

/** The page of messages just before `beforeId`, oldest first, and whether even older ones exist. */
export async function earlierMessages(id: number, beforeId: number): Promise<{ messages: Message[]; hasEarlier: boolean }> {
  const res = await send(
    api().GET('/nc-api/v1/conversations/{id}/messages', {
      params: { path: pathId(id), query: { before: beforeId, per_page: EARLIER_PAGE } },
    }),
  );
  return { messages: res.data, hasEarlier: res.meta.total > res.data.length };
}

/**
 * A reply the visitor sees, or (`isPrivate`) a note only the team sees. A reply with `kbItemId` answers with that
 * KB item: the contact's questions since the last reply become its alternate questions (the AI agent learns them).
 */
export const sendMessage = (id: number, content: string, isPrivate: boolean, kbItemId?: number): Promise<Message> =>
  send(
    api().POST('/nc-api/v1/conversations/{id}/messages', {
      params: { path: pathId(id) },
      body: { content, private: isPrivate, ...(kbItemId === undefined ? {} : { kb_item_id: kbItemId }) },
    }),
  );

/** A reply or note with files (multipart `attachments[]`; `content` may then be empty). */
export function sendMessageWithFiles(id: number, content: string, isPrivate: boolean, files: File[]): Promise<Message> {
  const form = new FormData();
  form.append('content', content);
  form.append('private', String(isPrivate));
  for (const file of files) form.append('attachments[]', file, file.name);
  // The composer shows the send button busy meanwhile; no progress bar for at most 5 files of 10 MB on a LAN.
  return uploadWithProgress<Message>(`/nc-api/v1/conversations/${id}/messages`, form, null, () => undefined);
}

/** Agent assist: KB items for the contact's latest question(s), best first. */
export async function suggestionsFor(id: number, k: number, signal?: AbortSignal): Promise<Suggestion[]> {
  return (await send(api().GET('/nc-api/v1/conversations/{id}/suggestions', { params: { path: pathId(id), query: { k } }, signal }))).data;
}

export const assignConversation = (id: number, agentId: number | null): Promise<Conversation> =>
  send(api().POST('/nc-api/v1/conversations/{id}/assign', { params: { path: pathId(id) }, body: { agent_id: agentId } }));

/** `bot: true` hands the conversation back to the AI agent, `false` takes it over. */
export const setConversationStatus = (id: number, status: ConversationStatus, bot?: boolean): Promise<Conversation> =>
  send(api().POST('/nc-api/v1/conversations/{id}/status', { params: { path: pathId(id) }, body: { status, bot } }));

/**
 * Every conversation of one contact and of the other contacts who gave the same e-mail, newest first;
 * each carries its own contact, so those nobody vouched for can be told apart (`contact.verified`).
 */
export async function contactHistory(contactId: number, signal?: AbortSignal): Promise<Conversation[]> {
  const res = await send(
    api().GET('/nc-api/v1/contacts/{id}/conversations', {
      params: { path: pathId(contactId), query: { per_page: 50, same_email: 'true' } },
      signal,
    }),
  );
  return res.data;
}

export type SearchHit = Row<ApiAnswer<'/nc-api/v1/conversations/search', 'get'>>;

/** A page of the conversations whose messages or contact match `q`, best first, each with its best message as plain-text pieces. */
export async function searchConversations(q: string, page: number, signal?: AbortSignal): Promise<Page<SearchHit>> {
  const res = await send(api().GET('/nc-api/v1/conversations/search', { params: { query: { q, page, per_page: LIST_PAGE } }, signal }));
  return { rows: res.data, total: res.meta.total };
}

/** Downloads every conversation with its messages (`csv`: one row per message; `json`), streamed by the server. */
export const exportConversations = (format: 'csv' | 'json'): Promise<void> =>
  downloadFile(`/nc-api/v1/conversations/export?format=${format}`, `conversations.${format}`);
