import { describe, expect, test } from 'vitest';
import { LexicalIndex, type LexicalDocument, type LexicalParams } from './lexical-index.js';
import { readSynonymTable, SYNONYMS_FILE } from './synonyms.js';
import { analyze, queryTerms } from './terms.js';

const params: LexicalParams = { k1: 1.2, b: 0.5, fieldWeights: { title: 1, content: 1, meta: 1, questions: 1 }, synonymWeight: 0.5 };
const doc = (title: string, content = '', meta = '', questions: string[] = []): LexicalDocument => ({ title, content, meta, questions });
const ids = (index: LexicalIndex, query: string, p = params) => index.search(query, 10, p).top.map((h) => h.id);

describe('terms', () => {
  test('lower-cases, drops stopwords and accents, and stems with Porter2', () => {
    expect(analyze("What's the Délivery time for my parcels?")).toEqual(['deliveri', 'time', 'parcel']);
    expect(queryTerms('returns returned returning')).toEqual(['return']);
    expect(analyze('order #A-1234 arrived')).toEqual(['order', '1234', 'arriv']);
  });
});

describe('LexicalIndex', () => {
  test('ranks by BM25F over title, content, category/tags and alternate questions, scores in [0, 1]', () => {
    const index = new LexicalIndex();
    index.upsert(1, doc('How long does delivery take?', 'Orders arrive in 3 to 5 business days.', 'Shipping'));
    index.upsert(2, doc('What is your return policy?', 'Unused items can be returned within 30 days.', 'Returns refund'));
    index.upsert(3, doc('Do you sell gift cards?', 'Digital cards from $10.', '', ['present voucher for a friend']));
    expect(ids(index, 'how many business days for delivery')[0]).toBe(1);
    expect(ids(index, 'can I get a refund')).toEqual([2]); // found through its tags alone
    expect(ids(index, 'a voucher as a present')).toEqual([3]); // through its alternate question
    for (const hit of index.search('delivery returns refund gift', 10, params).top) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
  });

  test('a question the KB has no words for scores low, though it shares one word with an item', () => {
    const index = new LexicalIndex();
    index.upsert(1, doc('How long does delivery take?', 'Orders arrive in 3 to 5 business days.'));
    index.upsert(2, doc('What is your return policy?', 'Unused items can be returned within 30 days.'));
    const onTopic = index.search('how long does delivery take', 1, params).top[0]!.score;
    const offTopic = index.search('can you deliver to a PO box in Alaska', 1, params).top[0]?.score ?? 0;
    expect(onTopic).toBeGreaterThan(0.4);
    expect(offTopic).toBeLessThan(onTopic / 3);
  });

  test('expands with synonyms only to words the KB itself uses, at their lower weight', () => {
    const index = new LexicalIndex();
    index.upsert(1, doc('Warranty', 'Every sofa has a two-year warranty.'));
    index.upsert(2, doc('Opening hours', 'Open daily.'));
    const synonyms = { of: (term: string) => (term === 'guarante' ? ['warranti', 'unicorn'] : []) };
    expect(index.search('is there a guarantee', 10, params).top).toEqual([]);
    const expanded = index.search('is there a guarantee', 10, params, synonyms).top;
    expect(expanded.map((h) => h.id)).toEqual([1]);
    const direct = index.search('is there a warranty', 10, params).top[0]!.score;
    expect(expanded[0]!.score).toBeGreaterThan(0);
    expect(expanded[0]!.score).toBeLessThan(direct * params.synonymWeight); // and the unknown word itself counts against it
  });

  test('an update replaces the old text, a removal drops it, and scores of items not in the top list are given on request', () => {
    const index = new LexicalIndex();
    index.upsert(1, doc('Gift wrapping', 'We wrap presents for $4.'));
    index.upsert(2, doc('Store hours', 'Open 9 to 5.'));
    index.upsert(1, doc('Do you ship abroad?', 'We ship to 40 countries.'));
    expect(ids(index, 'gift wrapping')).toEqual([]);
    expect(ids(index, 'ship abroad')).toEqual([1]);
    const { top, scoreOf } = index.search('ship abroad store', 1, params, undefined, [2]);
    expect(top.map((h) => h.id)).toEqual([1]);
    expect(scoreOf.get(2)).toBeGreaterThan(0);
    index.remove(1);
    expect(ids(index, 'ship abroad')).toEqual([]);
    expect(index.size).toBe(1);
    expect(index.hasTerm('ship')).toBe(false);
    expect(index.hasTerm('store')).toBe(true);
  });

  test('scores stay the same across removals and the compaction they trigger', () => {
    const index = new LexicalIndex();
    for (let id = 1; id <= 3000; id++)
      index.upsert(id, doc(`Item ${id} about ${id % 7 === 0 ? 'returns' : 'delivery'}`, `Text number ${id}.`));
    const before = index.search('returns', 5, params).top;
    for (let id = 1; id <= 3000; id++) if (id % 7 !== 0 && id % 3 !== 0) index.remove(id);
    for (let id = 1; id <= 3000; id++)
      if (id % 7 !== 0 && id % 3 !== 0) index.upsert(id, doc(`Item ${id} about delivery`, `Text number ${id}.`));
    expect(index.size).toBe(3000);
    expect(index.search('returns', 5, params).top).toEqual(before);
  });
});

test('in a large KB, words most items share still count for the best matches and the dense candidates', () => {
  const index = new LexicalIndex();
  for (let id = 1; id <= 5000; id++) index.upsert(id, doc(`Order ${id} delivery`, id % 500 === 0 ? 'Express courier.' : 'Standard post.'));
  // "delivery" and "order" are in every item: the rare "express" picks the candidates, the common words rank them.
  const { top } = index.search('express order delivery', 3, params);
  expect(top.map((h) => h.id)).toEqual([500, 1000, 1500]);
  expect(top[0]!.score).toBeGreaterThan(index.search('express', 1, params).top[0]!.score * 0.9);
  // Only common words: nothing is walked, but the dense candidates get their lexical score.
  const common = index.search('order delivery', 3, params, undefined, [42]);
  expect(common.top.map((h) => h.id)).toEqual([42]);
  expect(common.scoreOf.get(42)).toBeGreaterThan(0);
});

test('the build ships the WordNet synonym table search expands with', () => {
  const table = readSynonymTable(SYNONYMS_FILE);
  expect(table.get('warranti')).toContain('guarante');
  expect(table.get('refund')).toContain('repay');
  expect(table.size).toBeGreaterThan(20_000);
});

test('items loaded in bulk score as items written one by one, and a search during the load sees them all', () => {
  const docs = Array.from({ length: 2000 }, (_, id) =>
    doc(`Item ${id} about ${id % 7 === 0 ? 'returns' : 'delivery'}`, `Text number ${id}.`),
  );
  const oneByOne = new LexicalIndex();
  docs.forEach((d, id) => oneByOne.upsert(id, d));
  const loaded = new LexicalIndex();
  loaded.load();
  docs.forEach((d, id) => loaded.upsert(id, d));
  loaded.remove(7);
  oneByOne.remove(7);
  expect(loaded.search('returns number 14', 5, params).top).toEqual(oneByOne.search('returns number 14', 5, params).top);
  loaded.repack();
  expect(loaded.search('delivery', 5, params, undefined, [49]).scoreOf).toEqual(
    oneByOne.search('delivery', 5, params, undefined, [49]).scoreOf,
  );
});
