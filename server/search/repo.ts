import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { likePattern } from '../db/like.js';
import { pageRange, type Pagination } from '../db/pagination.js';

/** A conversation found, with its best matching message (null when only its contact matched). */
export type SearchHit = { conversation_id: number; message_id: number | null };

/** Conversations whose contact matches rank above message matches: looking for a person is looking for their conversations. */
const CONTACT_SCORE = 1e9;

/**
 * The newest messages that are ranked: a word in most messages ("order") would otherwise have every one of
 * them scored on each search. Beyond this many matches, older ones are found by adding a word.
 */
export const RANKED_MATCHES = 1000;

/**
 * The account's newest messages (activity lines aside) containing every term as a word prefix, scored
 * (higher is better), through each database's full-text index (migration 024): the newest are taken first
 * (the index yields them in id order) and only they are scored.
 */
function messageMatches(db: Knex, accountId: number, terms: string[]): Knex.Raw {
  if (isPostgres(db)) {
    const query = terms.map((term) => `'${term}':*`).join(' & ');
    return db.raw(
      `select n.id as message_id, n.conversation_id, ts_rank(n.search_vector, to_tsquery('simple', ?)) as score
         from (select m.id, m.conversation_id, m.search_vector from messages m
                where m.search_vector @@ to_tsquery('simple', ?) and m.account_id = ?
                order by m.id desc limit ${RANKED_MATCHES}) n`,
      [query, query, accountId],
    );
  }
  const query = terms.map((term) => `"${term}"*`).join(' ');
  return db.raw(
    `select m.id as message_id, m.conversation_id, -bm25(messages_fts) as score
       from messages_fts join messages m on m.id = messages_fts.rowid
      where messages_fts match ? and m.account_id = ?
      order by messages_fts.rowid desc limit ${RANKED_MATCHES}`,
    [query, accountId],
  );
}

/**
 * Conversations whose messages contain every term, or whose contact's name or e-mail contains the query,
 * best first, each with its best matching message. `terms` are letters and digits only (search/terms.ts).
 */
export async function searchConversations(
  db: Knex,
  accountId: number,
  q: string,
  terms: string[],
  page: Pagination,
): Promise<{ hits: SearchHit[]; total: number }> {
  const { offset, limit } = pageRange(page);
  const pattern = likePattern(q.trim());
  const hits = db.raw(
    `select * from (?) mm union all
     select null as message_id, c.id as conversation_id, ${CONTACT_SCORE} as score
       from conversations c join contacts ct on ct.id = c.contact_id
      where c.account_id = ? and (lower(ct.name) like ? escape '\\' or lower(ct.email) like ? escape '\\')`,
    [messageMatches(db, accountId, terms), accountId, pattern, pattern],
  );
  const ranked = db.raw(
    `select h.message_id, h.conversation_id,
            row_number() over (partition by h.conversation_id order by case when h.message_id is null then 1 else 0 end, h.score desc, h.message_id desc) as place,
            max(h.score) over (partition by h.conversation_id) as best
       from (?) h`,
    [hits],
  );
  const [rows, counted] = await Promise.all([
    db.raw(
      `select r.message_id, r.conversation_id from (?) r where r.place = 1 order by r.best desc, r.conversation_id desc limit ? offset ?`,
      [ranked, limit, offset],
    ),
    db.raw(`select count(distinct h.conversation_id) as n from (?) h`, [hits]),
  ]);
  const list = (result: unknown) =>
    isPostgres(db) ? (result as { rows: Record<string, unknown>[] }).rows : (result as Record<string, unknown>[]);
  return {
    hits: list(rows).map((row) => ({
      conversation_id: Number(row.conversation_id),
      message_id: row.message_id === null ? null : Number(row.message_id),
    })),
    total: Number(list(counted)[0]?.n ?? 0),
  };
}

/**
 * SQLite: indexes up to `limit` of the messages written after the index's mark (migration 027), activity lines
 * aside, and moves the mark past them, in one transaction; how many it went past. Several calls at once are
 * safe: the one connection runs their transactions one after the other, and each reads the mark afresh.
 */
export async function indexNewMessages(db: Knex, limit: number): Promise<number> {
  return db.transaction(async (trx) => {
    const [batch] = (await trx.raw(
      `select (select indexed_through from messages_fts_progress) as since, max(id) as upto, count(*) as n
         from (select id from messages where id > (select indexed_through from messages_fts_progress) order by id limit ?)`,
      [limit],
    )) as { since: number; upto: number | null; n: number }[];
    if (!batch?.n) return 0;
    await trx.raw(
      `insert into messages_fts(rowid, content)
       select id, content from messages where id > ? and id <= ? and message_type <> 'activity' order by id`,
      [batch.since, batch.upto],
    );
    await trx('messages_fts_progress').update({ indexed_through: batch.upto });
    return Number(batch.n);
  });
}
