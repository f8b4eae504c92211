import type { ConversationQuery } from '../../api/conversations.js';
import type { ConversationRow, ConversationStatus } from '../../api/types.js';

/** `active` = open or pending: everything still waiting on the bot or the team. */
export type StatusFilter = ConversationStatus | 'active' | 'all';
export type ConversationFilters = { status: StatusFilter; domain_id: string | null; assignee: string | null; label: string | null };

const statusParam: Record<StatusFilter, string | undefined> = {
  active: 'open,pending',
  all: undefined,
  open: 'open',
  pending: 'pending',
  resolved: 'resolved',
};

/** The list query the filters ask for (the selects hold their values as strings). */
export function queryOf(f: ConversationFilters): Omit<ConversationQuery, 'page' | 'per_page'> {
  const assignee = f.assignee === 'me' || f.assignee === 'none' ? f.assignee : f.assignee ? Number(f.assignee) : undefined;
  return {
    status: statusParam[f.status],
    domain_id: f.domain_id ? Number(f.domain_id) : undefined,
    assignee,
    label: f.label ?? undefined,
  };
}

/** Whether a conversation that changed live belongs in the list the filters show. */
export const matchesFilters = (c: ConversationRow, f: ConversationFilters, myAgentId: number | null): boolean => {
  if (f.status === 'active' ? c.status === 'resolved' : f.status !== 'all' && c.status !== f.status) return false;
  if (f.domain_id && String(c.domain_id) !== f.domain_id) return false;
  const assignee = c.assignee?.id ?? null;
  if (f.assignee === 'none' && assignee !== null) return false;
  if (f.assignee === 'me' && assignee !== myAgentId) return false;
  if (f.assignee && /^\d+$/.test(f.assignee) && String(assignee) !== f.assignee) return false;
  if (f.label && !c.labels.includes(f.label)) return false;
  return true;
};

export const byRecency = (a: ConversationRow, b: ConversationRow) =>
  (b.last_message_at ?? b.updated_at ?? b.created_at).localeCompare(a.last_message_at ?? a.updated_at ?? a.created_at);

export const contactLabel = (c: ConversationRow) => c.contact.name || c.contact.email || `Visitor #${c.contact.id}`;
