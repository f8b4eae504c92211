import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres, nowIso } from '../db/knex.js';
import { lockQuestions } from '../kb/question-repo.js';
import { lockItems } from '../kb/repo.js';
import { questionLabel, type IndexableItem, type VectorLabel } from './types.js';
import { bufferToVector, vectorToBuffer } from './vectors.js';

/** A vector as the index holds it: its label (item or alternate question), the item it stands for, its version. */
export type StoredVector = VectorLabel & { vector: Float32Array; version: string };
/** A vector with the exact text it was computed from. */
export type EmbeddedText = VectorLabel & { vector: Float32Array; text: string };

/** Longer texts add embedding time but little meaning for FAQ-sized items. */
const MAX_EMBED_CHARS = 2000;

type ItemText = Pick<IndexableItem, 'title' | 'content' | 'category' | 'tags'>;

/**
 * What an item's vector is computed from: title, answer, then its category and tags (measured: they help
 * the dense half on both tuning sets, bench/RESULTS.md).
 */
export function embedText(item: ItemText): string {
  const labels = [item.category, ...item.tags].filter(Boolean).join(', ');
  return `${item.title}\n${item.content}`.slice(0, MAX_EMBED_CHARS - labels.length - 1) + (labels ? `\n${labels}` : '');
}

const ITEM_TEXT_COLUMNS = ['id', 'title', 'content', 'category', 'tags'] as const;
const parseTags = (tags: unknown): string[] => JSON.parse(String(tags ?? '[]')) as string[];

/**
 * Stores vectors whose item (or alternate question) still exists in the account with the text they were
 * computed from. One deleted or rewritten while it was being embedded is skipped: whoever wrote the new
 * text stores its vector, so a slow background embed can never overwrite a fresh one with the old meaning.
 * Returns what was stored, with the version stamp the index records.
 */
export async function storeVectors(
  db: Knex,
  accountId: number,
  embedder: { id: string; dimensions: number },
  vectors: EmbeddedText[],
): Promise<StoredVector[]> {
  if (vectors.length === 0) return [];
  const items = vectors.filter((v) => v.questionId === undefined);
  const questions = vectors.filter((v) => v.questionId !== undefined);
  return db.transaction(async (trx) => {
    // The texts as they are now (held on PostgreSQL, so a rewrite cannot commit before the upsert).
    const currentText = new Map(
      (
        await lockItems(
          trx,
          accountId,
          items.map((v) => v.itemId),
        )
      ).map((item) => [item.id, embedText(item)]),
    );
    // Alternate questions never change text: one that still exists is current.
    const currentQuestion = new Map(
      (
        await lockQuestions(
          trx,
          accountId,
          questions.map((v) => v.questionId!),
        )
      ).map((q) => [q.id, q.question]),
    );
    const version = nowIso();
    const keptItems = items.filter((v) => currentText.get(v.itemId) === v.text);
    const keptQuestions = questions.filter((v) => currentQuestion.get(v.questionId!) === v.text);
    const common = (v: EmbeddedText) => ({
      account_id: accountId,
      embedder: embedder.id,
      dimensions: embedder.dimensions,
      vector: vectorToBuffer(v.vector),
      updated_at: version,
    });
    for (let i = 0; i < keptItems.length; i += 200) {
      const rows = keptItems.slice(i, i + 200).map((v) => ({ item_id: v.itemId, ...common(v) }));
      await trx('kb_item_vectors').insert(rows).onConflict('item_id').merge();
    }
    for (let i = 0; i < keptQuestions.length; i += 200) {
      const rows = keptQuestions.slice(i, i + 200).map((v) => ({ question_id: v.questionId, item_id: v.itemId, ...common(v) }));
      await trx('kb_question_vectors').insert(rows).onConflict('question_id').merge();
    }
    const stored = [...keptItems, ...keptQuestions];
    await recordChanges(trx, accountId, [...new Set(stored.map((v) => v.itemId))]);
    return stored.map((v) => ({ ...labelOf(v), vector: v.vector, version }));
  });
}

const labelOf = (v: VectorLabel): VectorLabel =>
  v.questionId === undefined ? { label: v.label, itemId: v.itemId } : { label: v.label, itemId: v.itemId, questionId: v.questionId };

/** Also called in the transaction that rewrites an item's text: its old vector no longer describes it. */
export async function deleteVectors(db: Knex, accountId: number, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db('kb_item_vectors')
      .where({ account_id: accountId })
      .whereIn('item_id', ids.slice(i, i + 500))
      .delete();
  }
}

/** What an account's index must contain for one embedder: label → version, and the item of each alternate question's label. */
export type IndexContents = { versions: Map<number, string>; owners: Map<number, number> };

/** Rows per read of an account's vector rows: 100 000 rows read at once left ≈ 40 MB of RSS behind after a restart. */
const VECTOR_PAGE = 2000;

export async function vectorVersions(db: Knex, accountId: number, embedderId: string): Promise<IndexContents> {
  const versions = new Map<number, string>();
  const owners = new Map<number, number>();
  // Vectors stored together share their version: one string each, not one per row (100 000 rows are 4 MB of them).
  const seen = new Map<string, string>();
  const interned = (version: string) => seen.get(version) ?? (seen.set(version, version), version);
  for await (const { table, rows } of vectorRowPages(db, accountId, embedderId, ['updated_at'])) {
    for (const r of rows) {
      const label = table === 'kb_item_vectors' ? Number(r.item_id) : questionLabel(Number(r.question_id));
      versions.set(label, interned(String(r.updated_at)));
      if (table === 'kb_question_vectors') owners.set(label, Number(r.item_id));
    }
  }
  return { versions, owners };
}

/** Order-independent digest of an index's contents, compared with the database's on start. */
export function checksumOf(versions: ReadonlyMap<number, string>): string {
  const hash = createHash('sha256');
  for (const id of [...versions.keys()].sort((a, b) => a - b)) hash.update(`${id}:${versions.get(id)}\n`);
  return hash.digest('hex');
}

/** Pages through an account's stored vectors, items then alternate questions (for rebuilding its index). */
export async function* storedVectors(db: Knex, accountId: number, embedderId: string): AsyncGenerator<StoredVector[]> {
  for await (const { rows } of vectorRowPages(db, accountId, embedderId, ['vector', 'updated_at'])) {
    yield rows.map((r) => ({
      ...(r.question_id === undefined
        ? { label: Number(r.item_id), itemId: Number(r.item_id) }
        : { label: questionLabel(Number(r.question_id)), itemId: Number(r.item_id), questionId: Number(r.question_id) }),
      vector: bufferToVector(r.vector as Uint8Array),
      version: String(r.updated_at),
    }));
  }
}

type VectorTable = 'kb_item_vectors' | 'kb_question_vectors';

/** An account's rows of one embedder in both vector tables, items then questions, in pages by their key. */
async function* vectorRowPages(
  db: Knex,
  accountId: number,
  embedderId: string,
  columns: string[],
): AsyncGenerator<{ table: VectorTable; rows: Record<string, unknown>[] }> {
  for (const table of ['kb_item_vectors', 'kb_question_vectors'] as const) {
    const key = table === 'kb_item_vectors' ? 'item_id' : 'question_id';
    let after = 0;
    for (;;) {
      const rows: Record<string, unknown>[] = await db(table)
        .where({ account_id: accountId, embedder: embedderId })
        .andWhere(key, '>', after)
        .orderBy(key)
        .limit(VECTOR_PAGE)
        .select(...new Set([key, 'item_id', ...columns]));
      if (rows.length === 0) break;
      yield { table, rows };
      after = Number(rows[rows.length - 1]![key]);
    }
  }
}

/** The stored vectors (items' and their questions') of some items, for one embedder. */
export async function vectorsOfItems(db: Knex, accountId: number, embedderId: string, ids: number[]): Promise<StoredVector[]> {
  const where = { account_id: accountId, embedder: embedderId };
  const items: { item_id: number; vector: Uint8Array; updated_at: string }[] = await db('kb_item_vectors')
    .where(where)
    .whereIn('item_id', ids)
    .select('item_id', 'vector', 'updated_at');
  const questions: { question_id: number; item_id: number; vector: Uint8Array; updated_at: string }[] = await db('kb_question_vectors')
    .where(where)
    .whereIn('item_id', ids)
    .select('question_id', 'item_id', 'vector', 'updated_at');
  return [
    ...items.map((r) => ({ label: Number(r.item_id), itemId: Number(r.item_id), vector: bufferToVector(r.vector), version: r.updated_at })),
    ...questions.map((r) => ({
      label: questionLabel(Number(r.question_id)),
      itemId: Number(r.item_id),
      questionId: Number(r.question_id),
      vector: bufferToVector(r.vector),
      version: r.updated_at,
    })),
  ];
}

/** The PostgreSQL channel index changes are announced on, so other servers reload them at once rather than at their next poll. */
export const INDEX_CHANGES_CHANNEL = 'nova_kb_index';

/** Tells the other servers on this database that these items changed (./service.ts reloads them). */
export async function recordChanges(db: Knex, accountId: number, itemIds: number[]): Promise<void> {
  const changedAt = nowIso();
  for (let i = 0; i < itemIds.length; i += 500) {
    await db('kb_index_changes').insert(
      itemIds.slice(i, i + 500).map((itemId) => ({ account_id: accountId, item_id: itemId, changed_at: changedAt })),
    );
  }
  // Inside a transaction the notification goes out when it commits, after the rows it announces.
  if (itemIds.length && isPostgres(db)) await db.raw('select pg_notify(?, ?)', [INDEX_CHANGES_CHANNEL, '']);
}

export type IndexChange = { id: number; accountId: number; itemId: number };

/** Changes with an id above `after`, oldest first. */
export async function changesAfter(db: Knex, after: number, limit: number): Promise<IndexChange[]> {
  const rows: { id: number | string; account_id: number; item_id: number }[] = await db('kb_index_changes')
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .select('id', 'account_id', 'item_id');
  return rows.map((r) => ({ id: Number(r.id), accountId: Number(r.account_id), itemId: Number(r.item_id) }));
}

export async function latestChange(db: Knex): Promise<number> {
  const row = await db('kb_index_changes').max('id as id').first();
  return Number(row?.id ?? 0);
}

export async function pruneChanges(db: Knex, before: string): Promise<void> {
  await db('kb_index_changes').where('changed_at', '<', before).delete();
}

/** A text that has no vector from this embedder: an item's, or one of its alternate questions'. */
export type UnembeddedText = VectorLabel & { accountId: number; text: string };

/** Texts with no vector from this embedder (never embedded, embedding failed, or made by another model). */
export async function unembeddedTexts(db: Knex, embedderId: string, limit: number): Promise<UnembeddedText[]> {
  const items: Record<string, unknown>[] = await unembeddedItems(db, embedderId)
    .orderBy('kb_items.id')
    .limit(limit)
    .select('kb_items.account_id', ...ITEM_TEXT_COLUMNS.map((c) => `kb_items.${c}`));
  const texts: UnembeddedText[] = items.map((r) => ({
    label: Number(r.id),
    itemId: Number(r.id),
    accountId: Number(r.account_id),
    text: embedText({
      title: String(r.title),
      content: String(r.content),
      category: (r.category as string | null) ?? null,
      tags: parseTags(r.tags),
    }),
  }));
  if (texts.length >= limit) return texts;
  const questions: { id: number; item_id: number; account_id: number; question: string }[] = await unembeddedQuestions(db, embedderId)
    .orderBy('kb_item_questions.id')
    .limit(limit - texts.length)
    .select('kb_item_questions.id', 'kb_item_questions.item_id', 'kb_item_questions.account_id', 'kb_item_questions.question');
  for (const q of questions) {
    texts.push({
      label: questionLabel(Number(q.id)),
      itemId: Number(q.item_id),
      questionId: Number(q.id),
      accountId: Number(q.account_id),
      text: q.question,
    });
  }
  return texts;
}

/** Labels (items and questions) with no vector from this embedder. */
export async function unembeddedLabels(db: Knex, embedderId: string): Promise<number[]> {
  const items: { id: number }[] = await unembeddedItems(db, embedderId).select('kb_items.id');
  const questions: { id: number }[] = await unembeddedQuestions(db, embedderId).select('kb_item_questions.id');
  return [...items.map((r) => Number(r.id)), ...questions.map((r) => questionLabel(Number(r.id)))];
}

/** Whether any vector comes from another embedder: the model changed and a re-embed is due. */
export async function hasForeignVectors(db: Knex, embedderId: string): Promise<boolean> {
  return Boolean(
    (await db('kb_item_vectors').whereNot({ embedder: embedderId }).first('item_id')) ??
    (await db('kb_question_vectors').whereNot({ embedder: embedderId }).first('question_id')),
  );
}

// The one place the index reads the KB's tables itself: an anti-join is how it finds what it still lacks.
function unembeddedItems(db: Knex, embedderId: string) {
  return db('kb_items')
    .leftJoin('kb_item_vectors', 'kb_item_vectors.item_id', 'kb_items.id')
    .where((q) => q.whereNull('kb_item_vectors.item_id').orWhereNot('kb_item_vectors.embedder', embedderId));
}

function unembeddedQuestions(db: Knex, embedderId: string) {
  return db('kb_item_questions')
    .leftJoin('kb_question_vectors', 'kb_question_vectors.question_id', 'kb_item_questions.id')
    .where((q) => q.whereNull('kb_question_vectors.question_id').orWhereNot('kb_question_vectors.embedder', embedderId));
}
