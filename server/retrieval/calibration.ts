import type { BandParams } from './bands.js';
import type { FusionParams } from './fusion.js';
import type { LexicalParams } from './lexical-index.js';

/**
 * Ranking and confidence constants per embedder, chosen on the tuning eval sets A and B together
 * (test/fixtures/README.md) with bench/retrieval-eval.bench.ts; every figure, cross-validated and on the
 * sealed set C, is in bench/RESULTS.md. Lexical scoring runs in the server process, so the same constants
 * hold on SQLite and PostgreSQL.
 */
export type Calibration = {
  lexical: LexicalParams;
  fusion: FusionParams;
  /**
   * Reply bands (./bands.ts): the most questions reached on the worse of A and B with direct answers wrong
   * ≤ 4 % and near-topic unanswerable questions answered ≤ 7.5 % on each (a margin under the 5 % / 10 % targets
   * that 5-fold cross-validation showed is needed to keep them on held-out questions).
   */
  bands: BandParams;
  /** The older single cut: a top score below it means the KB cannot answer (the best split of A and B). */
  matchThreshold: number;
};

/** BM25F over title, answer, category + tags and alternate questions, all weighted alike (a title boost lost). */
const LEXICAL: LexicalParams = {
  k1: 1.2,
  b: 0.5,
  fieldWeights: { title: 1, content: 1, meta: 1, questions: 1 },
  synonymWeight: 0.2,
};

const CALIBRATIONS: Record<string, Calibration> = {
  'use-lite': {
    lexical: LEXICAL,
    fusion: { denseWeight: 0.5, questionWeight: 0.5 },
    bands: { answerScore: 0.2, answerMargin: 0.12, handoffBelow: 0.13 },
    matchThreshold: 0.33,
  },
};

/** Models not calibrated here (a user-supplied transformers model): answer only when far ahead; their similarities run higher. */
const UNCALIBRATED: Calibration = {
  lexical: LEXICAL,
  fusion: { denseWeight: 0.5, questionWeight: 0.5 },
  bands: { answerScore: 0.6, answerMargin: 0.15, handoffBelow: 0.3 },
  matchThreshold: 0.45,
};

/**
 * Embedders whose scores are those of another one: USE Lite int8 scores differ from float32's by ≤ 0.003
 * (cosine ≥ 0.997 between their vectors); its eval figures are measured and recorded as its own.
 */
const CALIBRATED_AS: Record<string, string> = { 'use-lite-int8': 'use-lite' };

export function calibrationFor(embedderId: string): Calibration {
  return CALIBRATIONS[CALIBRATED_AS[embedderId] ?? embedderId] ?? UNCALIBRATED;
}
