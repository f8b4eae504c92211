import { describe, expect, it } from 'vitest';
import { MAX_CHOICES, replyBand, type BandParams } from './bands.js';

const params: BandParams = { answerScore: 0.5, answerMargin: 0.1, handoffBelow: 0.2 };
const hits = (...scores: number[]) => scores.map((score, i) => ({ id: i + 1, score }));

describe('replyBand', () => {
  it('answers with the top hit when it is both high and clearly ahead of the second', () => {
    expect(replyBand(hits(0.7, 0.55, 0.3), params)).toEqual({ band: 'answer', item: { id: 1, score: 0.7 } });
    expect(replyBand(hits(0.5, 0.375), params)).toEqual({ band: 'answer', item: { id: 1, score: 0.5 } });
    expect(replyBand(hits(0.6), params)).toEqual({ band: 'answer', item: { id: 1, score: 0.6 } });
  });

  it('offers choices when the top hit is high but another is as close, or when it is only medium', () => {
    expect(replyBand(hits(0.7, 0.65, 0.6, 0.5), params)).toEqual({ band: 'choices', items: hits(0.7, 0.65, 0.6) });
    expect(replyBand(hits(0.45, 0.2), params)).toEqual({ band: 'choices', items: hits(0.45, 0.2) });
    expect(replyBand(hits(0.2), params)).toEqual({ band: 'choices', items: hits(0.2) });
  });

  it('never offers more than three choices, and they are the top hits in order', () => {
    const decision = replyBand(hits(0.4, 0.39, 0.38, 0.37, 0.36), params);
    expect(decision).toEqual({ band: 'choices', items: hits(0.4, 0.39, 0.38) });
    expect(MAX_CHOICES).toBe(3);
  });

  it('hands off when nothing is close enough, or nothing was found', () => {
    expect(replyBand(hits(0.19, 0.1), params)).toEqual({ band: 'handoff' });
    expect(replyBand([], params)).toEqual({ band: 'handoff' });
  });

  it('keeps whatever the hits carry (items, ids) in what it returns', () => {
    const scored = [{ item: { id: 7, title: 'Returns' }, score: 0.9 }];
    const decision = replyBand(scored, params);
    expect(decision.band === 'answer' && decision.item.item.title).toBe('Returns');
  });
});
