import { describe, expect, test } from 'vitest';
import { BAND_TARGETS, bandOutcome, loadEvalSet, quality, questionsOf, searchThroughService } from '../../bench/lib/retrieval-eval.js';
import { calibrationFor } from './calibration.js';
import { describeEmbedder } from './embedders/describe.js';

/**
 * The shipped retrieval (default embedder, calibrated ranking and reply bands) on the two tuning eval sets,
 * through the real search path on this run's database (SQLite, or PostgreSQL in the Postgres pass). Floors
 * sit a few points below the figures in bench/RESULTS.md; the band limits are the targets.
 */
const FLOORS = {
  shop: { hit1: 0.74, hit3: 0.88, reached: 0.87, alternatesParaphrasesHit1: 0.79 },
  dental: { hit1: 0.64, hit3: 0.8, reached: 0.8, alternatesParaphrasesHit1: 0.66 },
} as const;
const bands = calibrationFor(describeEmbedder({ kind: 'use' }).id).bands;

describe.each(['shop', 'dental'] as const)('eval set %s', (name) => {
  const set = loadEvalSet(name);
  const floors = FLOORS[name];

  test('ranks the answering item first and in the top 3, and its reply bands stay within the targets', async () => {
    const ranked = await searchThroughService(set, questionsOf(set));
    const q = quality(ranked);
    expect(q.hit1).toBeGreaterThanOrEqual(floors.hit1);
    expect(q.hit3).toBeGreaterThanOrEqual(floors.hit3);
    const outcome = bandOutcome(ranked, bands);
    expect(outcome.answerable.wrong).toBeLessThanOrEqual(BAND_TARGETS.wrongAtMost);
    expect(outcome.nearTopic.answered).toBeLessThanOrEqual(BAND_TARGETS.nearTopicAnsweredAtMost);
    expect(outcome.answerable.reached).toBeGreaterThanOrEqual(floors.reached);
  }, 120_000);

  test('with one alternate question per item, its exact re-ask comes first and the other paraphrases do not suffer', async () => {
    const reasks = questionsOf(set, 'reasks');
    const ranked = await searchThroughService(set, [...reasks, ...questionsOf(set)], { alternates: true });
    expect(quality(ranked.slice(0, reasks.length)).hit1).toBeGreaterThanOrEqual(0.95);
    expect(quality(ranked.slice(reasks.length)).hit1).toBeGreaterThanOrEqual(floors.alternatesParaphrasesHit1);
  }, 120_000);
});
