import { api } from '../../api/client.js';
import type { Conversation, ConversationStatus, List, Message } from '../../api/types.js';

export type ConversationFilters = { status: ConversationStatus | 'all'; domain_id: string | null; assignee: string | null };

export const listConversations = (f: ConversationFilters, signal?: AbortSignal) =>
  api.get<List<Conversation>>(
    '/nc-api/v1/conversations',
    { status: f.status === 'all' ? undefined : f.status, domain_id: f.domain_id, assignee: f.assignee, per_page: 100 },
    signal,
  );

/** The show route answers the conversation with its messages; tolerate `{conversation, messages}` too. */
export async function getConversation(id: number, signal?: AbortSignal): Promise<{ conversation: Conversation; messages: Message[] }> {
  const res = await api.get<Conversation & { conversation?: Conversation }>(`/nc-api/v1/conversations/${id}`, undefined, signal);
  const conversation = res.conversation ?? res;
  const messages = res.messages ?? conversation.messages ?? [];
  return { conversation, messages: [...messages].sort((a, b) => a.id - b.id) };
}

export const sendMessage = (id: number, content: string, isPrivate: boolean) =>
  api.post<Message>(`/nc-api/v1/conversations/${id}/messages`, { content, private: isPrivate });

export const assignConversation = (id: number, agentId: number | null) =>
  api.post<Conversation>(`/nc-api/v1/conversations/${id}/assign`, { agent_id: agentId });

export const setConversationStatus = (id: number, status: ConversationStatus, extra: Record<string, unknown> = {}) =>
  api.post<Conversation>(`/nc-api/v1/conversations/${id}/status`, { status, ...extra });

/** Earlier conversations of one contact (filtered here too, in case the server ignores the filter). */
export async function contactHistory(contactId: number, signal?: AbortSignal): Promise<Conversation[]> {
  const res = await api.get<List<Conversation>>('/nc-api/v1/conversations', { contact_id: contactId, per_page: 50 }, signal);
  return res.data.filter((c) => c.contact?.id === contactId);
}

export const matchesFilters = (c: Conversation, f: ConversationFilters, myAgentId: number | null): boolean => {
  if (f.status !== 'all' && c.status !== f.status) return false;
  if (f.domain_id && String(c.domain_id) !== f.domain_id) return false;
  const assignee = c.assignee_agent_id ?? c.assignee?.id ?? null;
  if (f.assignee === 'unassigned' && assignee !== null) return false;
  if (f.assignee === 'me' && assignee !== myAgentId) return false;
  if (f.assignee && /^\d+$/.test(f.assignee) && String(assignee) !== f.assignee) return false;
  return true;
};

export const contactLabel = (c: Conversation) => c.contact?.name || c.contact?.email || `Visitor #${c.contact?.id ?? c.id}`;
