import type { Knex } from 'knex';
import type { Deps } from '../deps.js';
import { isUniqueViolation, nowIso } from '../db/knex.js';
import { lockConversation, updateConversation, type Sender } from '../conversations/repo.js';
import { lockedConversation, recordChange } from '../conversations/service.js';
import { presentConversation, type PresentedConversation } from '../conversations/presenter.js';
import { AppError, notFound, validationFailed } from '../errors.js';
import * as repo from './repo.js';

/** Distinct colours a new label gets from its title when none is given (Mantine's palette, 6th shades). */
const PALETTE = ['#1f93ff', '#40c057', '#fab005', '#fa5252', '#7950f2', '#15aabf', '#fd7e14', '#e64980', '#12b886', '#4c6ef5'];

function colorFor(title: string): string {
  let hash = 0;
  for (const char of title) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

const titleTaken = (title: string) =>
  new AppError(409, 'label_taken', `A label titled "${title}" already exists.`, [{ field: 'title', message: 'is already a label' }]);

async function uniquely<T>(title: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (title !== undefined && isUniqueViolation(err)) throw titleTaken(title);
    throw err;
  }
}

const sorted = (titles: Iterable<string>) => [...new Set(titles)].sort();

export async function createLabel(deps: Deps, accountId: number, input: { title: string; color?: string }): Promise<repo.LabelRow> {
  const id = await uniquely(input.title, () =>
    repo.insertLabel(deps.db, {
      account_id: accountId,
      title: input.title,
      color: input.color ?? colorFor(input.title),
      created_at: nowIso(deps.now()),
    }),
  );
  return (await repo.findLabel(deps.db, accountId, id))!;
}

/** Rewrites the label lists kept on the conversations that carry `label`, as `titlesOf` says. */
async function rewriteConversationLists(trx: Knex.Transaction, labelId: number, titlesOf: (others: string[]) => string[]) {
  for (const [conversationId, others] of await repo.labelTitlesOfConversationsWith(trx, labelId)) {
    await lockConversation(trx, conversationId);
    await updateConversation(trx, conversationId, { labels: sorted(titlesOf(others)) });
  }
}

/** A new title shows on every conversation that carries the label. */
export async function updateLabel(
  deps: Deps,
  accountId: number,
  id: number,
  changes: { title?: string; color?: string },
): Promise<repo.LabelRow> {
  return uniquely(changes.title, () =>
    deps.db.transaction(async (trx) => {
      const label = await repo.findLabel(trx, accountId, id);
      if (!label) throw notFound('Label');
      await repo.updateLabel(trx, id, changes);
      const title = changes.title;
      if (title !== undefined && title !== label.title) await rewriteConversationLists(trx, id, (others) => [...others, title]);
      return (await repo.findLabel(trx, accountId, id))!;
    }),
  );
}

/** The label leaves every conversation that carried it. */
export async function deleteLabel(deps: Deps, accountId: number, id: number): Promise<void> {
  await deps.db.transaction(async (trx) => {
    if (!(await repo.findLabel(trx, accountId, id))) throw notFound('Label');
    await rewriteConversationLists(trx, id, (others) => others);
    await repo.deleteLabel(trx, id);
  });
}

/**
 * Sets a conversation's labels to exactly these titles (each an existing label of the account: 422 naming
 * the unknown ones otherwise). A change is a private activity line ("Ann added billing") and a `conversation_updated`.
 */
export async function setConversationLabels(
  deps: Deps,
  accountId: number,
  conversationId: number,
  titles: string[],
  actor: Sender,
): Promise<PresentedConversation> {
  const wanted = sorted(titles.map((t) => t.trim().toLowerCase()));
  return deps.db.transaction(async (trx) => {
    const before = await lockedConversation(trx, accountId, conversationId);
    const labels = await repo.labelsTitled(trx, accountId, wanted);
    const known = new Set(labels.map((l) => l.title));
    const unknown = titles.flatMap((title, i) => (known.has(title.trim().toLowerCase()) ? [] : [i]));
    if (unknown.length) throw validationFailed(unknown.map((i) => ({ field: `labels.${i}`, message: `no label titled "${titles[i]}"` })));
    const added = wanted.filter((t) => !before.labels.includes(t));
    const removed = before.labels.filter((t) => !wanted.includes(t));
    if (!added.length && !removed.length) return presentConversation(before);
    await repo.replaceConversationLabels(
      trx,
      conversationId,
      labels.map((l) => l.id),
    );
    const activities = [
      ...(added.length ? [`${actor.name} added ${added.join(', ')}`] : []),
      ...(removed.length ? [`${actor.name} removed ${removed.join(', ')}`] : []),
    ];
    // Private: the visitor never learns how the team filed their conversation.
    return recordChange(deps, trx, before, { labels: wanted, updated_at: nowIso(deps.now()) }, activities, actor, true);
  });
}
