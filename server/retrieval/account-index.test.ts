import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { AccountIndex } from './account-index.js';
import { questionLabel } from './types.js';
import { normalize } from './vectors.js';

const randomVector = (dims: number) => normalize(Float32Array.from({ length: dims }, () => Math.random() * 2 - 1));

test('grows past its initial capacity without a restart, and every item stays findable', () => {
  const index = AccountIndex.create(8);
  const vectors = Array.from({ length: 700 }, () => randomVector(8));
  vectors.forEach((v, i) => index.upsert(i + 1, v, 'v1'));
  expect(index.size).toBe(700);
  for (const i of [0, 299, 699]) expect(index.search(vectors[i]!, 1)[0]).toMatchObject({ id: i + 1 });
});

test('an update replaces the label’s vector; a delete marks it and a re-add brings it back', () => {
  const index = AccountIndex.create(8);
  const [a, b] = [randomVector(8), randomVector(8)];
  index.upsert(7, a, 'v1');
  index.upsert(8, b, 'v1');
  const moved = randomVector(8);
  index.upsert(7, moved, 'v2');
  expect(index.search(moved, 1)[0]).toMatchObject({ id: 7 });
  expect(index.similarity(7, moved).own).toBeCloseTo(1, 5);
  index.remove(7);
  expect(index.search(moved, 2).map((h) => h.id)).toEqual([8]);
  index.upsert(7, a, 'v3');
  expect(index.search(a, 1)[0]).toMatchObject({ id: 7 });
  expect([...index.versions]).toEqual([
    [8, 'v1'],
    [7, 'v3'],
  ]);
});

test('a saved index reads back with its deletions', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-hnsw-'));
  const index = AccountIndex.create(8);
  const vectors = [randomVector(8), randomVector(8), randomVector(8)];
  vectors.forEach((v, i) => index.upsert(i + 1, v, 'v1'));
  index.remove(2);
  await index.write(path.join(dir, 'a.hnsw'));
  const versions = new Map(index.versions);
  const read = await AccountIndex.read(path.join(dir, 'a.hnsw'), 8, {
    versions,
    owners: new Map([...versions.keys()].map((id) => [id, id])),
  });
  expect(read.size).toBe(2);
  expect(
    read
      .search(vectors[1]!, 3)
      .map((h) => h.id)
      .sort(),
  ).toEqual([1, 3]);
  await fs.rm(dir, { recursive: true, force: true });
});

test('an empty index saved and read back takes new items', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-hnsw-'));
  await AccountIndex.create(8).write(path.join(dir, 'empty.hnsw'));
  const read = await AccountIndex.read(path.join(dir, 'empty.hnsw'), 8, { versions: new Map(), owners: new Map() });
  const vector = randomVector(8);
  read.upsert(1, vector, 'v1');
  expect(read.search(vector, 1)[0]).toMatchObject({ id: 1 });
  await fs.rm(dir, { recursive: true, force: true });
});

test("an item's alternate questions are vectors of their own that answer for the item, once, and leave with it", () => {
  const index = AccountIndex.create(8);
  const [own, asked, other] = [randomVector(8), randomVector(8), randomVector(8)];
  index.upsert(1, own, 'v1');
  index.upsert(questionLabel(10), asked, 'v1', 1);
  index.upsert(questionLabel(11), randomVector(8), 'v1', 1);
  index.upsert(2, other, 'v1');
  expect(index.nearest(asked, 2).items).toEqual([1, 2]);
  const similarity = index.similarity(1, asked);
  expect(similarity.question).toBeCloseTo(1, 5);
  expect(similarity.own).toBeLessThan(1);
  expect([...index.labelsOfItem(1)].sort()).toEqual([1, questionLabel(10), questionLabel(11)].sort());
  index.remove(questionLabel(10));
  expect(index.similarity(1, asked).question).toBeLessThan(0.999);
  index.removeItem(1);
  expect(index.size).toBe(1);
  expect(index.nearest(asked, 3).items).toEqual([2]);
  expect(index.similarity(1, asked)).toEqual({});
});

test("a search scores any item against its query, whether or not the graph search reached the item's vectors", () => {
  const index = AccountIndex.create(16);
  const vectors = Array.from({ length: 700 }, () => randomVector(16));
  vectors.forEach((v, i) => index.upsert(i + 1, v, 'v1'));
  index.upsert(questionLabel(1), randomVector(16), 'v1', 700);
  const query = randomVector(16);
  const { items, similarity, exactSimilarity } = index.nearest(query, 2);
  expect(items).toEqual(index.search(query, 2).map((h) => h.id));
  const dot = (v: Float32Array) => v.reduce((sum, x, d) => sum + x * query[d]!, 0);
  // 700 items, of which the search returned the nearest 300: both kinds are scored from their own vectors,
  // the search's own scores within DENSE_ERROR, the exact ones as the stored vectors give them.
  for (let id = 1; id <= 700; id++) {
    expect(similarity(id).own).toBeCloseTo(dot(vectors[id - 1]!), 5);
    expect(exactSimilarity(id)).toEqual(index.similarity(id, query));
    expect(exactSimilarity(id).own).toBeCloseTo(dot(vectors[id - 1]!), 6);
  }
  expect(exactSimilarity(700).question).toBeDefined();
});
