import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';

/** Words that carry no topic: matching on them would tie every FAQ item to every question. */
const STOPWORDS = new Set(
  `a an and are as at be been but by can could do does did for from had has have how i i'm if in into is it its
  me my no not of on or our ours please so than that the their them then there these they this to too us was we
  were what when where which who why will with would you your yours hi hello thanks thank just any anything
  get got im ive dont cant`.split(/\s+/),
);

/** The question's content words, lower-cased, deduplicated (letters and digits only: safe to splice into a query). */
export function queryTerms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  return [...new Set(words.map((w) => w.replace(/'.*/, '')).filter((w) => w.length > 1 && !STOPWORDS.has(w)))];
}

/** The tsvector expression the GIN index of migration 003 is built on (must match it exactly). */
const PG_DOCUMENT = `to_tsvector('english', coalesce(title, '') || ' ' || coalesce(content, ''))`;

/**
 * Lexical candidates for one account, best first, with a raw relevance (higher is better):
 * FTS5 bm25 (title weighted over content) on SQLite, ts_rank on PostgreSQL. Any term may match.
 */
export async function lexicalSearch(db: Knex, accountId: number, text: string, limit: number): Promise<{ id: number; raw: number }[]> {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  if (isPostgres(db)) {
    const tsquery = terms.join(' | ');
    const rows = await db.raw<{ rows: { id: number; raw: number }[] }>(
      `SELECT id, ts_rank(${PG_DOCUMENT}, q) AS raw
       FROM kb_items, to_tsquery('english', ?) q
       WHERE account_id = ? AND ${PG_DOCUMENT} @@ q
       ORDER BY raw DESC, id LIMIT ?`,
      [tsquery, accountId, limit],
    );
    return rows.rows.map((r) => ({ id: Number(r.id), raw: Number(r.raw) }));
  }
  const match = terms.map((t) => `"${t}"`).join(' OR ');
  const rows = await db.raw<{ id: number; raw: number }[]>(
    `SELECT f.rowid AS id, -bm25(kb_items_fts, ${TITLE_WEIGHT}, 1.0) AS raw
     FROM kb_items_fts f JOIN kb_items i ON i.id = f.rowid
     WHERE kb_items_fts MATCH ? AND i.account_id = ?
     ORDER BY raw DESC, id LIMIT ?`,
    [match, accountId, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), raw: Number(r.raw) }));
}

/** A match in the title (which is usually the question) counts this much more than one in the answer. */
const TITLE_WEIGHT = 2.0;
