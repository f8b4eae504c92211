import type { FusionParams } from './fusion.js';

/**
 * Measured on test/fixtures/faq-eval.json with bench/retrieval-eval.ts (see bench/RESULTS.md):
 * the fusion weights that maximise hit@1, and per embedder the top-score threshold that best
 * separates answerable questions from out-of-KB ones.
 */
export const FUSION: FusionParams = { denseWeight: 0.6, lexicalScale: 16 };

const MATCH_THRESHOLDS: Record<string, number> = {
  'use-lite': 0.35,
};

/** Models not calibrated here (a user-supplied transformers model) get a middle-of-the-road value. */
const UNCALIBRATED_THRESHOLD = 0.45;

export function matchThresholdFor(embedderId: string): number {
  return MATCH_THRESHOLDS[embedderId] ?? UNCALIBRATED_THRESHOLD;
}
