import { describe, expect, it } from 'vitest';
import { fuse, lexicalNorm, mergeCandidates } from './fusion.js';

const params = { denseWeight: 0.6, lexicalScale: 16 };

describe('fuse', () => {
  it('ranks by the weighted sum of dense similarity and saturated lexical score, best first', () => {
    const ranked = fuse(
      [
        { id: 1, dense: 0.9 }, // dense only: 0.54
        { id: 2, lexicalRaw: 16 }, // lexical only, at the scale: 0.4 × 0.5 = 0.2
        { id: 3, dense: 0.5, lexicalRaw: 48 }, // both: 0.3 + 0.4 × 0.75 = 0.6
      ],
      params,
      10,
    );
    expect(ranked.map((r) => r.itemId)).toEqual([3, 1, 2]);
    expect(ranked[0]).toEqual({ itemId: 3, score: expect.closeTo(0.6, 10), lexical: 0.75, dense: 0.5 });
    expect(ranked[2]!.score).toBeCloseTo(0.2, 10);
  });

  it('keeps scores comparable across questions: the same evidence gets the same score whatever else was found', () => {
    const alone = fuse([{ id: 7, dense: 0.4, lexicalRaw: 8 }], params, 5);
    const crowded = fuse(
      [
        { id: 7, dense: 0.4, lexicalRaw: 8 },
        { id: 8, dense: 0.95, lexicalRaw: 100 },
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

  it('lexical scores saturate toward 1 and a non-positive raw score counts as nothing', () => {
    expect(lexicalNorm(0, 16)).toBe(0);
    expect(lexicalNorm(-2, 16)).toBe(0);
    expect(lexicalNorm(16, 16)).toBe(0.5);
    expect(lexicalNorm(1e6, 16)).toBeLessThan(1);
    expect(lexicalNorm(1e6, 16)).toBeGreaterThan(0.99);
  });

  it('merges the dense and lexical candidate lists by item', () => {
    expect(
      mergeCandidates(
        [{ id: 1, similarity: 0.8 }],
        [
          { id: 1, raw: 3 },
          { id: 2, raw: 5 },
        ],
      ),
    ).toEqual([
      { id: 1, dense: 0.8, lexicalRaw: 3 },
      { id: 2, lexicalRaw: 5 },
    ]);
  });
});
