import type { Deps } from '../deps.js';
import { planOrDefault } from '../accounts/plans.js';
import { findAccount } from '../accounts/repo.js';
import { findConversation, publicMessages } from '../conversations/repo.js';
import { nowIso } from '../db/knex.js';
import { AppError, forbidden, notFound, validationFailed } from '../errors.js';
import { findItem, type KbItemRow, type NewKbItem } from '../kb/repo.js';
import { indexNow, insertWithinLimit } from '../kb/service.js';
import { extractPairs } from './extract.js';
import { closeDraft, draftsOfConversation, findDraft, insertDraft, type DraftRow } from './repo.js';

export async function assertAgenticRag(deps: Deps, accountId: number): Promise<void> {
  const account = await findAccount(deps.db, accountId);
  const plan = planOrDefault(deps.plans, account?.plan ?? '');
  if (!plan.agentic_rag)
    throw forbidden('plan_not_eligible', `Agentic RAG is not included in the ${account?.plan ?? 'current'} plan; upgrade to use it.`, {
      plan: account?.plan,
    });
}

/**
 * Drafts from one resolved conversation. Analysing it again creates no duplicates: a pair that already
 * has a draft is returned as it is while pending, and left out once approved or rejected.
 */
export async function analyzeConversation(deps: Deps, accountId: number, conversationId: number): Promise<DraftRow[]> {
  await assertAgenticRag(deps, accountId);
  const conversation = await findConversation(deps.db, accountId, conversationId);
  if (!conversation) throw notFound('Conversation');
  if (conversation.status !== 'resolved')
    throw validationFailed([
      { field: 'conversation_id', message: `the conversation is ${conversation.status}; resolve it before extracting Q&A pairs from it` },
    ]);
  const { pairs } = await extractPairs(deps, await publicMessages(deps.db, accountId, conversationId));
  const existing = await draftsOfConversation(deps.db, accountId, conversationId);
  const now = nowIso(deps.now());
  const drafts: DraftRow[] = [];
  for (const pair of pairs) {
    const same = existing.find((d) => d.title === pair.question && d.content === pair.answer);
    if (same) {
      if (same.status === 'draft') drafts.push(same);
      continue;
    }
    drafts.push(
      await insertDraft(
        deps.db,
        {
          account_id: accountId,
          source_conversation_id: conversationId,
          title: pair.question,
          content: pair.answer,
          category: null,
          tags: [],
        },
        now,
      ),
    );
  }
  return drafts;
}

const notPending = (draft: DraftRow) =>
  new AppError(409, 'draft_not_pending', `This draft was already ${draft.status}.`, { status: draft.status });

/** The draft (with any corrections) becomes a KB item, counted against the plan's kb_items and indexed before this returns. */
export async function approveDraft(
  deps: Deps,
  accountId: number,
  id: number,
  edits: Partial<NewKbItem> = {},
): Promise<{ draft: DraftRow; item: KbItemRow }> {
  await assertAgenticRag(deps, accountId);
  const draft = await findDraft(deps.db, accountId, id);
  if (!draft) throw notFound('Draft');
  if (draft.status !== 'draft') throw notPending(draft);
  const final: NewKbItem = {
    title: edits.title ?? draft.title,
    content: edits.content ?? draft.content,
    category: edits.category !== undefined ? edits.category : draft.category,
    tags: edits.tags ?? draft.tags,
  };
  const item = await deps.db.transaction(async (trx) => {
    const [created] = await insertWithinLimit(trx, deps, accountId, [final]);
    // Guarded by status: of two concurrent approvals only one moves the draft; the other rolls back.
    if (!(await closeDraft(trx, accountId, id, { status: 'approved', kb_item_id: created!.id, ...final }, nowIso(deps.now()))))
      throw notPending((await findDraft(trx, accountId, id)) ?? draft);
    return created!;
  });
  await indexNow(deps, accountId, [item]);
  return { draft: (await findDraft(deps.db, accountId, id))!, item: (await findItem(deps.db, accountId, item.id)) ?? item };
}

export async function rejectDraft(deps: Deps, accountId: number, id: number): Promise<DraftRow> {
  const draft = await findDraft(deps.db, accountId, id);
  if (!draft) throw notFound('Draft');
  if (!(await closeDraft(deps.db, accountId, id, { status: 'rejected' }, nowIso(deps.now())))) throw notPending(draft);
  return (await findDraft(deps.db, accountId, id))!;
}
