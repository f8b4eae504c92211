import type { Knex } from 'knex';
import type { Deps } from '../deps.js';
import { assertWithinLimit } from '../accounts/limits.js';
import { nowIso } from '../db/knex.js';
import { notFound } from '../errors.js';
import { deleteVectors, embedText } from '../retrieval/repo.js';
import { deleteItem, findItem, findItemsByIds, insertItems, updateItem, type ItemChanges, type KbItemRow, type NewKbItem } from './repo.js';

/**
 * Makes written items (with their alternate questions) searchable before the write answers. The rows are
 * already committed; if embedding fails the retrieval service's reconcile embeds them later.
 */
export async function indexNow(deps: Deps, accountId: number, items: KbItemRow[]): Promise<void> {
  try {
    await deps.retrieval.indexItems(accountId, items);
  } catch (err) {
    deps.log.error({ err, account_id: accountId, items: items.length }, 'indexing KB items failed; they stay searchable lexically');
  }
}

/** Inserts inside the caller's transaction after checking the plan's kb_items limit for the whole batch. */
export async function insertWithinLimit(trx: Knex.Transaction, deps: Deps, accountId: number, items: NewKbItem[]): Promise<KbItemRow[]> {
  await assertWithinLimit(trx, deps.plans, accountId, 'kb_items', items.length);
  return insertItems(trx, accountId, items, nowIso(deps.now()));
}

/**
 * All or nothing: one transaction for the batch, then one index update. `inTransaction` runs in that
 * transaction with the created rows (an idempotent request records its answer there).
 */
export async function createItems(
  deps: Deps,
  accountId: number,
  items: NewKbItem[],
  inTransaction?: (trx: Knex.Transaction, created: KbItemRow[]) => Promise<void>,
): Promise<KbItemRow[]> {
  const created = await deps.db.transaction(async (trx) => {
    const rows = await insertWithinLimit(trx, deps, accountId, items);
    await inTransaction?.(trx, rows);
    return rows;
  });
  await indexNow(deps, accountId, created);
  return created;
}

export async function changeItem(deps: Deps, accountId: number, id: number, changes: ItemChanges): Promise<KbItemRow> {
  const item = await deps.db.transaction(async (trx) => {
    const before = await findItem(trx, accountId, id);
    const row = before && (await updateItem(trx, accountId, id, changes, nowIso(deps.now())));
    // What the vector is made of changed (category and tags are embedded too): with the old vector gone, a
    // crash before the re-index leaves the item to the reconcile, not stale.
    if (before && row && embedText(before) !== embedText(row)) await deleteVectors(trx, accountId, [id]);
    return row;
  });
  if (!item) throw notFound('Knowledge base item');
  await indexNow(deps, accountId, [item]);
  return item;
}

export async function removeItem(deps: Deps, accountId: number, id: number): Promise<void> {
  if (!(await deleteItem(deps.db, accountId, id))) throw notFound('Knowledge base item');
  try {
    await deps.retrieval.removeItems(accountId, [id]);
  } catch (err) {
    // The row is gone, and search drops hits whose item no longer exists, so this only leaves a stale vector.
    deps.log.error({ err, account_id: accountId, item_id: id }, 'removing a KB item from the index failed');
  }
}

/** A search hit with its item: `score` is the fused score, `dense` and `lexical` its parts (for the reply bands). */
export type ScoredItem = { item: KbItemRow; score: number; dense: number; lexical: number };

/** The retrieval the AI agent answers from: hybrid search, hits resolved to the account's items, best first. */
export async function searchItems(
  deps: Pick<Deps, 'db' | 'retrieval'>,
  accountId: number,
  query: string,
  k: number,
): Promise<ScoredItem[]> {
  const hits = await deps.retrieval.search(accountId, query, k);
  const items = await findItemsByIds(
    deps.db,
    accountId,
    hits.map((hit) => hit.itemId),
  );
  const byId = new Map(items.map((item) => [item.id, item]));
  return hits.flatMap((hit) => {
    const item = byId.get(hit.itemId);
    return item ? [{ item, score: hit.score, dense: hit.dense, lexical: hit.lexical }] : [];
  });
}
