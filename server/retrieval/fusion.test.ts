import { describe, expect, it } from 'vitest';
import { DENSE_ERROR, fuse, fuseApproximate, itemSimilarity, type Candidate } from './fusion.js';

const params = { denseWeight: 0.6, questionWeight: 0.5 };

describe('fuse', () => {
  it('ranks by the weighted sum of dense similarity and lexical score, best first', () => {
    const ranked = fuse(
      [
        { id: 1, dense: 0.9 }, // dense only: 0.54
        { id: 2, lexical: 0.5 }, // lexical only: 0.4 × 0.5 = 0.2
        { id: 3, dense: 0.5, lexical: 0.75 }, // both: 0.3 + 0.3 = 0.6
      ],
      params,
      10,
    );
    expect(ranked.map((r) => r.itemId)).toEqual([3, 1, 2]);
    expect(ranked[0]).toEqual({ itemId: 3, score: expect.closeTo(0.6, 10), lexical: 0.75, dense: 0.5 });
    expect(ranked[2]!.score).toBeCloseTo(0.2, 10);
  });

  it('keeps scores comparable across questions: the same evidence gets the same score whatever else was found', () => {
    const alone = fuse([{ id: 7, dense: 0.4, lexical: 0.3 }], params, 5);
    const crowded = fuse(
      [
        { id: 7, dense: 0.4, lexical: 0.3 },
        { id: 8, dense: 0.95, lexical: 0.9 },
      ],
      params,
      5,
    );
    expect(crowded.find((r) => r.itemId === 7)!.score).toBe(alone[0]!.score);
  });

  it('treats negative similarity and a missing signal as no evidence, breaks ties by id and cuts at k', () => {
    const ranked = fuse([{ id: 5, dense: -0.3 }, { id: 4 }, { id: 9, dense: 0.2 }, { id: 2, dense: 0.2 }], params, 3);
    expect(ranked.map((r) => [r.itemId, r.score])).toEqual([
      [2, expect.closeTo(0.12, 10)],
      [9, expect.closeTo(0.12, 10)],
      [4, 0],
    ]);
    expect(fuse([], params, 3)).toEqual([]);
  });
});

describe('itemSimilarity', () => {
  it('lets an alternate question closer to the query pull the item part of the way towards it', () => {
    expect(itemSimilarity({ own: 0.4, question: 0.8 }, params)).toBeCloseTo(0.6, 10);
    expect(itemSimilarity({ own: 0.4, question: 0.8 }, { ...params, questionWeight: 1 })).toBeCloseTo(0.8, 10);
  });

  it('never lowers an item below its own text, and uses whichever vector exists', () => {
    expect(itemSimilarity({ own: 0.7, question: 0.2 }, params)).toBe(0.7);
    expect(itemSimilarity({ question: 0.3 }, params)).toBe(0.3);
    expect(itemSimilarity({ own: 0.3 }, params)).toBe(0.3);
    expect(itemSimilarity({}, params)).toBeUndefined();
  });
});

describe('fuseApproximate', () => {
  it('ranks as exact dense similarities would, when approximations within DENSE_ERROR swap close items', () => {
    const exact: Candidate[] = [
      { id: 1, dense: 0.8, lexical: 0.2 },
      { id: 2, dense: 0.8 + DENSE_ERROR / 4, lexical: 0.2 }, // just ahead of 1 when exact
      { id: 3, dense: 0.3, lexical: 0.1 },
      { id: 4, dense: 0.9, lexical: 0.5 },
    ];
    // The approximations put 1 ahead of 2, and would give 1 the second place.
    const approximate = exact.map((c) => ({ ...c, dense: c.dense! + (c.id === 2 ? -DENSE_ERROR / 2 : DENSE_ERROR / 2) }));
    expect(fuse(approximate, params, 2).map((r) => r.itemId)).toEqual([4, 1]);
    const ranked = fuseApproximate(approximate, params, 2, (id) => exact.find((c) => c.id === id)!);
    expect(ranked).toEqual(fuse(exact, params, 2));
    expect(ranked.map((r) => r.itemId)).toEqual([4, 2]);
  });

  it('is empty without candidates', () => {
    expect(fuseApproximate([], params, 5, () => ({ id: 0 }))).toEqual([]);
  });
});
