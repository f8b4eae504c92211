import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { termOf } from './terms.js';
import { buildWordVectorTable, readWordVectorTable, shippedWordVectors, WordVectors, writeWordVectorTable } from './word-vectors.js';

/** A file in the wink embeddings layout: a word list, then the vectors by frequency, each with its norm and index. */
function winkFile(entries: [string, number[]][]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-word-vectors-'));
  const file = path.join(dir, 'vectors.json');
  const vectors = Object.fromEntries(entries.map(([word, v], i) => [word, [...v, Math.hypot(...v), i]]));
  fs.writeFileSync(file, JSON.stringify({ precision: 8, dimensions: 3, size: entries.length, words: entries.map(([w]) => w), vectors }));
  return file;
}

describe('word vector table', () => {
  test('keeps alphabetic words by frequency, one vector per stem (its most frequent word), and survives a write and read', () => {
    const file = winkFile([
      ['the', [1, 0, 0]],
      [',', [0, 1, 0]],
      ['delivery', [0.2, 0.9, 0.1]],
      ['deliveries', [-1, 0, 0]],
      ['x', [0, 0, 1]],
      ['shipping', [0.3, 0.8, 0.2]],
      ['garden', [0.1, -0.2, 0.9]],
      ['rare', [0, 1, 1]],
    ]);
    const table = buildWordVectorTable(file, 6);
    expect(table.terms).toEqual(['the', termOf('delivery'), termOf('shipping'), 'garden']);
    expect(table.ranks).toEqual([1, 2, 5, 6]); // "," is no word; "x" counts as a word but is too short to keep
    const out = path.join(path.dirname(file), 'table.bin');
    writeWordVectorTable(table, out);
    const vectors = new WordVectors(readWordVectorTable(out));
    const id = (word: string) => vectors.id(termOf(word))!;
    expect(vectors.id('rare')).toBeUndefined();
    // int8 quantization keeps the cosine to about 1 %: delivery · shipping = 0.975 in float.
    expect(vectors.similarity(id('delivery'), id('shipping'))).toBeCloseTo(0.975, 1);
    expect(vectors.similarity(id('delivery'), id('garden'))).toBeLessThan(0.1);
    expect(vectors.similarity(id('garden'), id('garden'))).toBe(1);
    // Rarer words weigh more in a question.
    expect(vectors.weight(id('garden'), 0.003)).toBeGreaterThan(vectors.weight(id('the'), 0.003));
  });

  test('a truncated file is refused, not read as zeros', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-word-vectors-'));
    const file = path.join(dir, 'table.bin');
    writeWordVectorTable({ dimensions: 2, terms: ['a', 'b'], ranks: [1, 2], vectors: new Int8Array([1, 2, 3, 4]) }, file);
    fs.truncateSync(file, fs.statSync(file).size - 1);
    expect(() => readWordVectorTable(file)).toThrow(/truncated/);
  });
});

test('the build ships GloVe vectors in which a customer’s word is near the KB’s word for the same thing', () => {
  const vectors = shippedWordVectors()!;
  expect(vectors).toBeDefined();
  const similarity = (a: string, b: string) => vectors.similarity(vectors.id(termOf(a))!, vectors.id(termOf(b))!);
  expect(similarity('refund', 'reimbursement')).toBeGreaterThan(0.5);
  expect(similarity('refund', 'garden')).toBeLessThan(0.2);
  expect(similarity('postpone', 'cancel')).toBeGreaterThan(0.5);
  expect(similarity('postpone', 'tooth')).toBeLessThan(0.2);
  const weight = (word: string) => vectors.weight(vectors.id(termOf(word))!, 0.003);
  expect(weight('appointment')).toBeGreaterThan(weight('need'));
  expect(weight('need')).toBeGreaterThan(weight('the'));
});
