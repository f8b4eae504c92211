/**
 * How lexical and dense evidence combine into one score in [0, 1]. Measured on the tuning eval sets by
 * bench/retrieval-eval.bench.ts (figures in bench/RESULTS.md): weighted score fusion beat reciprocal rank fusion.
 */
export type FusionParams = {
  /** Share of the dense cosine similarity in the fused score; the rest is the normalised BM25F score. */
  denseWeight: number;
  /**
   * How far an alternate question closer to the query than the item's own text pulls the item's dense
   * score towards it (1: the best of its vectors). Below 1, an item with many questions does not win
   * every paraphrase of its neighbours (measured with the eval sets' alternates, bench/RESULTS.md).
   */
  questionWeight: number;
};

/** An item's dense similarity from its own vector and its best alternate question's. */
export function itemSimilarity({ own, question }: { own?: number; question?: number }, params: FusionParams): number | undefined {
  if (own === undefined) return question;
  if (question === undefined || question <= own) return own;
  return own + params.questionWeight * (question - own);
}

/** One candidate item: its best cosine similarity (undefined: no vector yet) and its lexical score in [0, 1]. */
export type Candidate = { id: number; dense?: number; lexical?: number };
export type Fused = { itemId: number; score: number; lexical: number; dense: number };

/**
 * Weighted score fusion over absolute scores (no per-query rescaling), so the fused score of the top hit
 * stays comparable across questions and can be held against the reply bands.
 */
export function fuse(candidates: Iterable<Candidate>, params: FusionParams, k: number): Fused[] {
  return [...candidates]
    .map((c) => {
      const dense = Math.max(0, c.dense ?? 0);
      const lexical = c.lexical ?? 0;
      return { itemId: c.id, score: params.denseWeight * dense + (1 - params.denseWeight) * lexical, lexical, dense };
    })
    .sort((a, b) => b.score - a.score || a.itemId - b.itemId)
    .slice(0, k);
}

/**
 * How far an approximate dense similarity (a float32 sum over 512 products of unit vectors, as the HNSW graph
 * computes it) may be from the exact one: its rounding error is at most 512 × 2⁻²⁴ ≈ 3·10⁻⁵, ≈ 10⁻⁷ in practice.
 */
export const DENSE_ERROR = 1e-4;

/**
 * fuse() for candidates whose dense similarities may be approximate (within DENSE_ERROR): the candidates that
 * could be among the best k once exact are scored again by `exact`, so the result is exactly fuse()'s over
 * exact similarities, having computed few of them.
 */
export function fuseApproximate(candidates: Candidate[], params: FusionParams, k: number, exact: (id: number) => Candidate): Fused[] {
  const ranked = fuse(candidates, params, candidates.length);
  if (ranked.length === 0) return [];
  // An exact score is within denseWeight·DENSE_ERROR of its approximation: nothing below this can reach the best k.
  const cut = ranked[Math.min(k, ranked.length) - 1]!.score - 2 * params.denseWeight * DENSE_ERROR;
  return fuse(
    ranked.filter((r) => r.score >= cut).map((r) => exact(r.itemId)),
    params,
    k,
  );
}
