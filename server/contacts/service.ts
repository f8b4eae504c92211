import type { Deps } from '../deps.js';
import { listConversations } from '../conversations/repo.js';
import { conversationSummaries } from '../conversations/service.js';
import { notFound } from '../errors.js';
import { presentContact } from './presenter.js';
import * as repo from './repo.js';
import { CONTACT_CONVERSATIONS } from './schemas.js';

/** A contact as their page shows them: who they are, the team's notes and their latest conversations. */
export async function contactWithConversations(deps: Deps, accountId: number, id: number) {
  const contact = await repo.findContactWithActivity(deps.db, accountId, id);
  if (!contact) throw notFound('Contact');
  const { rows } = await listConversations(deps.db, accountId, { contact_id: id }, { page: 1, per_page: CONTACT_CONVERSATIONS });
  return { ...presentContact(contact), conversations: await conversationSummaries(deps.db, rows) };
}

/** An agent corrects a contact's name or e-mail, or writes notes on them. */
export async function updateContact(
  deps: Deps,
  accountId: number,
  id: number,
  changes: { name?: string | null; email?: string | null; notes?: string | null },
) {
  const email = changes.email === undefined ? undefined : changes.email && changes.email.toLowerCase();
  const notes = changes.notes === undefined ? undefined : changes.notes?.trim() || null;
  if (!(await repo.updateContact(deps.db, accountId, id, { name: changes.name, email, notes }))) throw notFound('Contact');
  return contactWithConversations(deps, accountId, id);
}
