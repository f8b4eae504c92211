import { api } from '../../api/client.js';
import type { Conversation, ConversationStatus, List, Message } from '../../api/types.js';

/** `active` = open or pending: everything still waiting on the bot or the team. */
export type StatusFilter = ConversationStatus | 'active' | 'all';
export type ConversationFilters = { status: StatusFilter; domain_id: string | null; assignee: string | null };

export const byRecency = (a: Conversation, b: Conversation) =>
  (b.last_message_at ?? b.updated_at ?? b.created_at).localeCompare(a.last_message_at ?? a.updated_at ?? a.created_at);

export async function listConversations(f: ConversationFilters, signal?: AbortSignal): Promise<List<Conversation>> {
  const page = (status: ConversationStatus | undefined) =>
    api.get<List<Conversation>>('/nc-api/v1/conversations', { status, domain_id: f.domain_id, assignee: f.assignee, per_page: 100 }, signal);
  if (f.status !== 'active') return page(f.status === 'all' ? undefined : f.status);
  const [open, pending] = await Promise.all([page('open'), page('pending')]);
  const total = (open.meta?.total ?? open.data.length) + (pending.meta?.total ?? pending.data.length);
  return { data: [...open.data, ...pending.data].sort(byRecency), meta: { total, page: 1, per_page: 200 } };
}

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
