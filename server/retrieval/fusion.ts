/**
 * How lexical and dense evidence combine into one score in [0, 1]. The constants are measured on
 * test/fixtures/faq-eval.json by bench/retrieval-eval.ts (figures in bench/RESULTS.md).
 */
export type FusionParams = {
  /** Share of the dense cosine similarity in the fused score; the rest is lexical. */
  denseWeight: number;
  /** Raw lexical score that maps to 0.5; saturates: raw / (raw + scale). */
  lexicalScale: number;
};

export type Candidate = { id: number; dense?: number; lexicalRaw?: number };
export type Fused = { itemId: number; score: number; lexical: number; dense: number };

export const lexicalNorm = (raw: number, scale: number) => (raw > 0 ? raw / (raw + scale) : 0);

/**
 * Weighted score fusion with absolute (not per-query min-max) normalisation, so the fused score of
 * the top hit stays comparable across questions and can be held against a match threshold.
 */
export function fuse(candidates: Candidate[], params: FusionParams, k: number): Fused[] {
  return candidates
    .map((c) => {
      const dense = Math.max(0, c.dense ?? 0);
      const lexical = lexicalNorm(c.lexicalRaw ?? 0, params.lexicalScale);
      return { itemId: c.id, score: params.denseWeight * dense + (1 - params.denseWeight) * lexical, lexical, dense };
    })
    .sort((a, b) => b.score - a.score || a.itemId - b.itemId)
    .slice(0, k);
}

/** Merges the two candidate lists by item id. */
export function mergeCandidates(dense: { id: number; similarity: number }[], lexical: { id: number; raw: number }[]): Candidate[] {
  const byId = new Map<number, Candidate>();
  for (const d of dense) byId.set(d.id, { id: d.id, dense: d.similarity });
  for (const l of lexical) byId.set(l.id, { ...byId.get(l.id), id: l.id, lexicalRaw: l.raw });
  return [...byId.values()];
}
