import { fuse, lexicalNorm, mergeCandidates, type FusionParams } from '../../server/retrieval/fusion.js';
import { lexicalSearch } from '../../server/retrieval/lexical.js';
import { createAccount, insertItems, openTestStore, workerEmbedder } from '../../server/retrieval/test-support.js';
import type { EmbedderSpec } from '../../server/retrieval/types.js';
import { dot } from '../../server/retrieval/vectors.js';
import { loadEvalSet } from './eval-sets.js';

// The loader lives with the other eval-set loaders; re-exported so existing callers keep working.
export { loadEvalSet, type EvalSet } from './eval-sets.js';

/** Both retrieval signals for one question over the whole KB: lexical raw scores (matches only) and dense cosine for every item. */
export type QuestionSignals = {
  expected: number | null;
  lexical: { id: number; raw: number }[];
  dense: { id: number; similarity: number }[];
};

/** Indexes the eval KB in a real database (FTS5 / tsvector) and embeds everything with the given embedder. */
export async function collectSignals(spec: EmbedderSpec, set = loadEvalSet()): Promise<{ embedderId: string; signals: QuestionSignals[] }> {
  const store = await openTestStore();
  const embedder = workerEmbedder(spec);
  try {
    const accountId = await createAccount(store.db);
    const rows = await insertItems(
      store.db,
      accountId,
      set.items.map(({ title, content }) => ({ title, content })),
    );
    const idOf = new Map(set.items.map((item, i) => [item.key, rows[i]!.id]));
    const itemVectors = await embedder.embed(rows.map((r) => `${r.title}\n${r.content}`));
    const asked = [
      ...set.questions.map((q) => ({ q: q.q, expected: idOf.get(q.item)! })),
      ...set.unanswerable.map(({ q }) => ({ q, expected: null })),
    ];
    const queryVectors = await embedder.embed(
      asked.map((a) => a.q),
      'query',
    );
    const signals: QuestionSignals[] = [];
    for (const [i, a] of asked.entries()) {
      const lexical = await lexicalSearch(store.db, accountId, a.q, 30);
      const dense = rows.map((r, j) => ({ id: r.id, similarity: dot(queryVectors[i]!, itemVectors[j]!) }));
      signals.push({ expected: a.expected, lexical, dense });
    }
    return { embedderId: embedder.id, signals };
  } finally {
    await embedder.close();
    await store.close();
  }
}

export type Ranker = (s: QuestionSignals) => { id: number; score: number }[];

export const lexicalOnly: Ranker = (s) => s.lexical.map((l) => ({ id: l.id, score: l.raw }));
export const denseOnly: Ranker = (s) =>
  [...s.dense].sort((a, b) => b.similarity - a.similarity).map((d) => ({ id: d.id, score: d.similarity }));

/** The production fusion (server/retrieval/fusion.ts) with the given parameters. */
export const weighted =
  (params: FusionParams): Ranker =>
  (s) =>
    fuse(mergeCandidates(s.dense, s.lexical), params, 1000).map((f) => ({ id: f.itemId, score: f.score }));

/** Weighted fusion over per-query min-max normalised scores (the usual alternative). */
export const weightedMinMax =
  (denseWeight: number): Ranker =>
  (s) => {
    const norm = (values: Map<number, number>) => {
      const xs = [...values.values()];
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return (id: number) => (values.has(id) && hi > lo ? (values.get(id)! - lo) / (hi - lo) : values.has(id) ? 1 : 0);
    };
    const dense = norm(new Map(s.dense.map((d) => [d.id, d.similarity])));
    const lexical = s.lexical.length ? norm(new Map(s.lexical.map((l) => [l.id, l.raw]))) : () => 0;
    return s.dense
      .map((d) => ({ id: d.id, score: denseWeight * dense(d.id) + (1 - denseWeight) * lexical(d.id) }))
      .sort((a, b) => b.score - a.score);
  };

/** Reciprocal rank fusion (k = 60). */
export const rrf: Ranker = (s) => {
  const score = new Map<number, number>();
  denseOnly(s).forEach((d, rank) => score.set(d.id, 1 / (60 + rank + 1)));
  s.lexical.forEach((l, rank) => score.set(l.id, (score.get(l.id) ?? 0) + 1 / (60 + rank + 1)));
  return [...score].map(([id, sc]) => ({ id, score: sc })).sort((a, b) => b.score - a.score);
};

/** hit@1 and MRR over the answerable questions. */
export function quality(signals: QuestionSignals[], ranker: Ranker): { hit1: number; mrr: number } {
  const answerable = signals.filter((s) => s.expected !== null);
  let hits = 0;
  let rr = 0;
  for (const s of answerable) {
    const rank = ranker(s).findIndex((r) => r.id === s.expected);
    if (rank === 0) hits += 1;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  return { hit1: hits / answerable.length, mrr: rr / answerable.length };
}

/**
 * The top-score threshold that best separates answerable from out-of-KB questions (maximises the
 * mean of both rates): answerable questions must score at or above it, out-of-KB ones below.
 */
export function calibrateThreshold(signals: QuestionSignals[], ranker: Ranker) {
  const top = (s: QuestionSignals) => ranker(s)[0]?.score ?? 0;
  const inKb = signals.filter((s) => s.expected !== null).map(top);
  const outKb = signals.filter((s) => s.expected === null).map(top);
  let best = { threshold: 0, inKbAbove: 0, outKbBelow: 0 };
  for (const t of [...new Set([...inKb, ...outKb])].sort((a, b) => a - b)) {
    const inKbAbove = inKb.filter((x) => x >= t).length / inKb.length;
    const outKbBelow = outKb.filter((x) => x < t).length / outKb.length;
    if (inKbAbove + outKbBelow > best.inKbAbove + best.outKbBelow) best = { threshold: t, inKbAbove, outKbBelow };
  }
  // Midway between the chosen top score and the next lower one, so the figure is not on a sample.
  const below = [...inKb, ...outKb].filter((x) => x < best.threshold).sort((a, b) => b - a)[0] ?? 0;
  return { ...best, threshold: (best.threshold + below) / 2 };
}

export { lexicalNorm };
