import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TransformersEmbedder } from './embedders/transformers.js';
import { writeTinyBert } from './testing/tiny-bert.js';
import { dot } from './vectors.js';
import { workerEmbedder } from './test-support.js';

let modelsDir: string;

beforeAll(async () => {
  modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-models-'));
  await writeTinyBert(modelsDir, 'tiny-bert', 16);
});
afterAll(() => fs.rm(modelsDir, { recursive: true, force: true }));

describe('transformers.js embedder on a generated ONNX model, offline', () => {
  test('runs the real feature-extraction pipeline: unit vectors, one per text, text-dependent', async () => {
    const embedder = await TransformersEmbedder.load(modelsDir, 'tiny-bert');
    try {
      expect(embedder.id).toBe('transformers:tiny-bert');
      expect(embedder.dimensions).toBe(16);
      const [a, b, again] = await embedder.embed(['How do I track my parcel?', 'Are you open on Sunday?', 'How do I track my parcel?']);
      for (const v of [a!, b!]) {
        expect(v).toHaveLength(16);
        expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
      }
      expect(Array.from(again!)).toEqual(Array.from(a!));
      expect(dot(a!, b!)).toBeLessThan(0.999);
    } finally {
      await embedder.close();
    }
  });

  test('padding in a batch does not change a text’s vector (mean pooling honours the attention mask)', async () => {
    const embedder = await TransformersEmbedder.load(modelsDir, 'tiny-bert');
    try {
      const [alone] = await embedder.embed(['refund']);
      const [batched] = await embedder.embed(['refund', 'what are your opening hours on a sunday in the week']);
      expect(dot(alone!, batched!)).toBeCloseTo(1, 4);
    } finally {
      await embedder.close();
    }
  });

  test('runs in the worker thread the server uses, with remote models off', async () => {
    const embedder = workerEmbedder({ kind: 'transformers', model: 'tiny-bert', modelsDir });
    try {
      const vectors = await embedder.embed(['cancel my order', 'gift wrap please']);
      expect(vectors.map((v) => v.length)).toEqual([16, 16]);
      expect(dot(vectors[0]!, vectors[1]!)).toBeLessThan(0.999);
      // A model folder without weights: with remote models off it fails instead of downloading.
      await fs.mkdir(path.join(modelsDir, 'no-weights'));
      await fs.copyFile(path.join(modelsDir, 'tiny-bert', 'config.json'), path.join(modelsDir, 'no-weights', 'config.json'));
      const broken = workerEmbedder({ kind: 'transformers', model: 'no-weights', modelsDir });
      await expect(broken.embed(['x'])).rejects.toThrow(/Embedding failed/);
      await broken.close();
    } finally {
      await embedder.close();
    }
  });
});
