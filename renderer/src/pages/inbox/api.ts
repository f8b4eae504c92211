import { api } from '../../api/client.js';
import type { Conversation, ConversationStatus, List, Message } from '../../api/types.js';

/** `active` = open or pending: everything still waiting on the bot or the team. */
export type StatusFilter = ConversationStatus | 'active' | 'all';
export type ConversationFilters = { status: StatusFilter; domain_id: string | null; assignee: string | null };

export const byRecency = (a: Conversation, b: Conversation) =>
  (b.last_message_at ?? b.updated_at ?? b.created_at).localeCompare(a.last_message_at ?? a.updated_at ?? a.created_at);

const LIST_PAGE = 50;
const statusParam: Record<StatusFilter, string | undefined> = {
  active: 'open,pending',
  all: undefined,
  open: 'open',
  pending: 'pending',
  resolved: 'resolved',
};

/** One page of the filtered list, newest activity first. */
export function listConversations(f: ConversationFilters, page: number, signal?: AbortSignal): Promise<List<Conversation>> {
  return api.get<List<Conversation>>(
    '/nc-api/v1/conversations',
    { status: statusParam[f.status], domain_id: f.domain_id, assignee: f.assignee, page, per_page: LIST_PAGE },
    signal,
  );
}

export type LoadedConversation = { conversation: Conversation; messages: Message[]; hasEarlier: boolean };

/** The conversation with its newest messages. */
export async function getConversation(id: number, signal?: AbortSignal): Promise<LoadedConversation> {
  const {
    messages = [],
    has_earlier_messages,
    ...conversation
  } = await api.get<Conversation>(`/nc-api/v1/conversations/${id}`, undefined, signal);
  return { conversation, messages: [...messages].sort((a, b) => a.id - b.id), hasEarlier: Boolean(has_earlier_messages) };
}

const EARLIER_PAGE = 100;

/** The page of messages just before `beforeId`, oldest first, and whether even older ones exist. */
export async function earlierMessages(id: number, beforeId: number): Promise<{ messages: Message[]; hasEarlier: boolean }> {
  const res = await api.get<List<Message>>(`/nc-api/v1/conversations/${id}/messages`, { before: beforeId, per_page: EARLIER_PAGE });
  return { messages: res.data, hasEarlier: (res.meta?.total ?? 0) > res.data.length };
}

export const sendMessage = (id: number, content: string, isPrivate: boolean) =>
  api.post<Message>(`/nc-api/v1/conversations/${id}/messages`, { content, private: isPrivate });

export const assignConversation = (id: number, agentId: number | null) =>
  api.post<Conversation>(`/nc-api/v1/conversations/${id}/assign`, { agent_id: agentId });

export const setConversationStatus = (id: number, status: ConversationStatus, extra: Record<string, unknown> = {}) =>
  api.post<Conversation>(`/nc-api/v1/conversations/${id}/status`, { status, ...extra });

/** Every conversation of one contact, newest first. */
export async function contactHistory(contactId: number, signal?: AbortSignal): Promise<Conversation[]> {
  return (await api.get<List<Conversation>>(`/nc-api/v1/contacts/${contactId}/conversations`, { per_page: 50 }, signal)).data;
}

export const analyzeConversation = (id: number) =>
  api.post<{ count: number; message: string }>('/nc-api/v1/agentic-rag/analyze', { conversation_id: id });

export const matchesFilters = (c: Conversation, f: ConversationFilters, myAgentId: number | null): boolean => {
  if (f.status === 'active' ? c.status === 'resolved' : f.status !== 'all' && c.status !== f.status) return false;
  if (f.domain_id && String(c.domain_id) !== f.domain_id) return false;
  const assignee = c.assignee?.id ?? null;
  if (f.assignee === 'none' && assignee !== null) return false;
  if (f.assignee === 'me' && assignee !== myAgentId) return false;
  if (f.assignee && /^\d+$/.test(f.assignee) && String(assignee) !== f.assignee) return false;
  return true;
};

export const contactLabel = (c: Conversation) => c.contact?.name || c.contact?.email || `Visitor #${c.contact?.id ?? c.id}`;
