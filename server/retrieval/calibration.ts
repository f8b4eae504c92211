import type { FusionParams } from './fusion.js';

/**
 * Measured on test/fixtures/faq-eval.json with bench/retrieval-eval.bench.ts (figures in bench/RESULTS.md):
 * the fusion weights that maximise hit@1 (then MRR) for each lexical backend, whose raw scores live on
 * different scales (FTS5 bm25 ~1–15, PostgreSQL ts_rank ~0.01–0.5), and per embedder and backend the
 * top-score threshold that best separates answerable questions from out-of-KB ones.
 */
export type LexicalBackend = 'sqlite' | 'postgres';

const FUSION: Record<LexicalBackend, FusionParams> = {
  sqlite: { denseWeight: 0.6, lexicalScale: 16 },
  postgres: { denseWeight: 0.4, lexicalScale: 0.2 },
};

const MATCH_THRESHOLDS: Record<string, Record<LexicalBackend, number>> = {
  'use-lite': { sqlite: 0.35, postgres: 0.27 },
};

/** Models not calibrated here (a user-supplied transformers model): dense similarities run higher for those. */
const UNCALIBRATED_THRESHOLD = 0.45;

export function fusionFor(backend: LexicalBackend): FusionParams {
  return FUSION[backend];
}

export function matchThresholdFor(embedderId: string, backend: LexicalBackend): number {
  return MATCH_THRESHOLDS[embedderId]?.[backend] ?? UNCALIBRATED_THRESHOLD;
}
