import type { BandParams } from './bands.js';
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

/**
 * Embedders whose scores are those of another one: USE Lite int8 scores differ from float32's by ≤ 0.003
 * (cosine ≥ 0.997 between their vectors), and calibrated on its own its match thresholds come out the same
 * (SQLite 0.349 vs 0.348, PostgreSQL 0.271 vs 0.272, at the same rates).
 */
const CALIBRATED_AS: Record<string, string> = { 'use-lite-int8': 'use-lite' };
const calibrationOf = (embedderId: string) => CALIBRATED_AS[embedderId] ?? embedderId;

/**
 * Reply bands (server/retrieval/bands.ts), first cut: chosen on the tuning sets A and B together (bench/RESULTS.md)
 * as the widest answer band that keeps direct answers wrong for ≤ 5 % of answerable questions and answers ≤ 10 % of
 * near-topic unanswerable ones on each set.
 */
const BANDS: Record<string, Record<LexicalBackend, BandParams>> = {
  'use-lite': {
    sqlite: { answerScore: 0.2, answerMargin: 0.13, handoffBelow: 0.15 },
    postgres: { answerScore: 0.35, answerMargin: 0.05, handoffBelow: 0.1 },
  },
};

/** Models not calibrated here: answer only when far ahead, so an unknown score scale errs towards asking. */
const UNCALIBRATED_BANDS: BandParams = { answerScore: 0.6, answerMargin: 0.15, handoffBelow: 0.3 };

export function bandsFor(embedderId: string, backend: LexicalBackend): BandParams {
  return BANDS[calibrationOf(embedderId)]?.[backend] ?? UNCALIBRATED_BANDS;
}

/** Models not calibrated here (a user-supplied transformers model): dense similarities run higher for those. */
const UNCALIBRATED_THRESHOLD = 0.45;

export function fusionFor(backend: LexicalBackend): FusionParams {
  return FUSION[backend];
}

export function matchThresholdFor(embedderId: string, backend: LexicalBackend): number {
  return MATCH_THRESHOLDS[calibrationOf(embedderId)]?.[backend] ?? UNCALIBRATED_THRESHOLD;
}
