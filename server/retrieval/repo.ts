import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres, nowIso } from '../db/knex.js';
import type { IndexableItem } from './types.js';
import { bufferToVector, vectorToBuffer } from './vectors.js';

export type StoredVector = { itemId: number; vector: Float32Array; version: string };
/** A vector with the exact text it was computed from. */
export type EmbeddedText = { itemId: number; vector: Float32Array; text: string };

/** Longer texts add embedding time but little meaning for FAQ-sized items. */
const MAX_EMBED_CHARS = 2000;

/** What an item's vector is computed from. */
export const embedText = (item: IndexableItem) => `${item.title}\n${item.content}`.slice(0, MAX_EMBED_CHARS);

/**
 * Stores vectors whose item still exists in the account with the text they were computed from. An item
 * deleted or rewritten while it was being embedded is skipped: whoever wrote the new text stores its
 * vector, so a slow background embed can never overwrite a fresh one with the old meaning.
 * Returns what was stored, with the version stamp the index records.
 */
export async function storeVectors(
  db: Knex,
  accountId: number,
  embedder: { id: string; dimensions: number },
  vectors: EmbeddedText[],
): Promise<StoredVector[]> {
  if (vectors.length === 0) return [];
  return db.transaction(async (trx) => {
    const query = trx('kb_items')
      .where({ account_id: accountId })
      .whereIn(
        'id',
        vectors.map((v) => v.itemId),
      )
      .orderBy('id')
      .select('id', 'title', 'content');
    // On PostgreSQL a rewrite committing between this check and the upsert would be overwritten: hold the rows.
    const rows: IndexableItem[] = isPostgres(trx) ? await query.forUpdate() : await query;
    const currentText = new Map(rows.map((r) => [Number(r.id), embedText(r)]));
    const version = nowIso();
    const kept = vectors.filter((v) => currentText.get(v.itemId) === v.text);
    for (let i = 0; i < kept.length; i += 200) {
      const rows = kept.slice(i, i + 200).map((v) => ({
        item_id: v.itemId,
        account_id: accountId,
        embedder: embedder.id,
        dimensions: embedder.dimensions,
        vector: vectorToBuffer(v.vector),
        updated_at: version,
      }));
      await trx('kb_item_vectors').insert(rows).onConflict('item_id').merge();
    }
    return kept.map((v) => ({ itemId: v.itemId, vector: v.vector, version }));
  });
}

/** Also called in the transaction that rewrites an item's text: its old vector no longer describes it. */
export async function deleteVectors(db: Knex, accountId: number, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db('kb_item_vectors')
      .where({ account_id: accountId })
      .whereIn('item_id', ids.slice(i, i + 500))
      .delete();
  }
}

/** Every (item, version) the database holds for an account and embedder: what its index must contain. */
export async function vectorVersions(db: Knex, accountId: number, embedderId: string): Promise<Map<number, string>> {
  const rows: { item_id: number; updated_at: string }[] = await db('kb_item_vectors')
    .where({ account_id: accountId, embedder: embedderId })
    .select('item_id', 'updated_at');
  return new Map(rows.map((r) => [Number(r.item_id), r.updated_at]));
}

/** Order-independent digest of an index's contents, compared with the database's on start. */
export function checksumOf(versions: ReadonlyMap<number, string>): string {
  const hash = createHash('sha256');
  for (const id of [...versions.keys()].sort((a, b) => a - b)) hash.update(`${id}:${versions.get(id)}\n`);
  return hash.digest('hex');
}

/** Pages through an account's stored vectors (for rebuilding its index). */
export async function* storedVectors(db: Knex, accountId: number, embedderId: string, pageSize = 2000): AsyncGenerator<StoredVector[]> {
  let after = 0;
  for (;;) {
    const rows: { item_id: number; vector: Uint8Array; updated_at: string }[] = await db('kb_item_vectors')
      .where({ account_id: accountId, embedder: embedderId })
      .andWhere('item_id', '>', after)
      .orderBy('item_id')
      .limit(pageSize)
      .select('item_id', 'vector', 'updated_at');
    if (rows.length === 0) return;
    yield rows.map((r) => ({ itemId: Number(r.item_id), vector: bufferToVector(r.vector), version: r.updated_at }));
    after = Number(rows[rows.length - 1]!.item_id);
  }
}

/** Accounts that have KB items or vectors. */
export async function accountsWithItems(db: Knex): Promise<number[]> {
  const rows: { account_id: number }[] = await db('kb_items').distinct('account_id');
  return rows.map((r) => Number(r.account_id));
}

/** Items with no vector from this embedder (never embedded, embedding failed, or made by another model). */
export async function unembeddedItems(db: Knex, embedderId: string, limit: number): Promise<(IndexableItem & { accountId: number })[]> {
  const rows: { id: number; account_id: number; title: string; content: string }[] = await unembedded(db, embedderId)
    .orderBy('kb_items.id')
    .limit(limit)
    .select('kb_items.id', 'kb_items.account_id', 'kb_items.title', 'kb_items.content');
  return rows.map((r) => ({ id: Number(r.id), accountId: Number(r.account_id), title: r.title, content: r.content }));
}

export async function unembeddedIds(db: Knex, embedderId: string): Promise<number[]> {
  const rows: { id: number }[] = await unembedded(db, embedderId).select('kb_items.id');
  return rows.map((r) => Number(r.id));
}

/** Whether any vector comes from another embedder: the model changed and a re-embed is due. */
export async function hasForeignVectors(db: Knex, embedderId: string): Promise<boolean> {
  return Boolean(await db('kb_item_vectors').whereNot({ embedder: embedderId }).first('item_id'));
}

function unembedded(db: Knex, embedderId: string) {
  return db('kb_items')
    .leftJoin('kb_item_vectors', 'kb_item_vectors.item_id', 'kb_items.id')
    .where((q) => q.whereNull('kb_item_vectors.item_id').orWhereNot('kb_item_vectors.embedder', embedderId));
}
