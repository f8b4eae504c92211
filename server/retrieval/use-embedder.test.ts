import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEvalSet } from '../../bench/lib/eval-sets.js';
import { UseEmbedder } from './embedders/use.js';
import { USE_LITE_DIR, USE_LITE_FILES } from './embedders/use-lite/files.js';
import { tfjsToOnnx } from './embedders/use-lite/tf-to-onnx.js';
import type { TfNode } from './embedders/use-lite/tfjs-model.js';
import { UseTokenizer } from './embedders/use-lite/tokenizer.js';
import { workerEmbedder } from './test-support.js';
import { TfjsUseReference } from './testing/use-tfjs.js';
import { dot } from './vectors.js';

/**
 * The bundled Universal Sentence Encoder on onnxruntime (the graph `npm run build` converts from the TF.js
 * model) against TensorFlow.js running the package's own graph, on real FAQ texts and awkward ones.
 */
const [shop, dental] = [loadEvalSet('shop'), loadEvalSet('dental')];
const long = Array.from({ length: 40 }, (_, i) => `Clause ${i + 1}: returns of sale items are accepted within 30 days.`).join(' ');
const AWKWARD = [
  'Où est ma commande ? Je l’ai passée à 14 h.',
  '¿Puedo pagar con tarjeta de crédito?',
  'Wann öffnet der Laden am Sonntag? Größe XL verfügbar?',
  'Доставка в Москву возможна?',
  '配送にはどのくらいかかりますか',
  '退货政策是什么',
  'هل يمكنني إرجاع المنتج؟',
  'Can I pay with 💳 or 🍎 Pay? 😀😀😀',
  '🎁🎁🎁',
  'ﬁnd the ﬂoor lamp — ＦＵＬＬＷＩＤＴＨ ½ price',
  'zero\u200bwidth\u200bjoiner and soft\u00adhyphen',
  'tabs\tand\nnew\nlines\r\nand  double  spaces',
  '   leading and trailing spaces   ',
  'ALL CAPS QUESTION ABOUT REFUNDS!!!',
  'order #A-10023 for €49.99 (incl. VAT) on 2026-12-01',
  'email me at someone@example.com or see https://example.com/returns?id=7',
  '<p>Is the <b>oak table</b> in stock?</p>',
  '?!?!...,,,;;;',
  'a',
  '.',
  ' ',
  '\u2581already has the separator',
  'x'.repeat(300),
  long,
  `${long} ${long}`,
];
const TEXTS = [
  ...[...shop.items, ...dental.items].map((item) => `${item.title}\n${item.content}`),
  ...shop.items.map((item) => item.title),
  ...shop.questions.map((q) => q.q),
  ...shop.unanswerable.map((u) => u.q),
  ...AWKWARD,
];

let reference: TfjsUseReference;
let float32: UseEmbedder;
let referenceVectors: Float32Array[];

beforeAll(async () => {
  reference = await TfjsUseReference.load();
  float32 = await UseEmbedder.load('float32');
  referenceVectors = [];
  for (let i = 0; i < TEXTS.length; i += 32) referenceVectors.push(...(await reference.embed(TEXTS.slice(i, i + 32))));
}, 240_000);
afterAll(() => reference.close());

/** Embeds in batches of `size`: the ONNX side is batched differently from the reference on purpose. */
async function embedAll(embedder: UseEmbedder, size: number): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < TEXTS.length; i += size) vectors.push(...(await embedder.embed(TEXTS.slice(i, i + size))));
  return vectors;
}

describe('Universal Sentence Encoder Lite on onnxruntime', () => {
  test(`tokenizes exactly like the reference tokenizer (${TEXTS.length} texts)`, () => {
    const ours = new UseTokenizer(JSON.parse(fs.readFileSync(path.join(USE_LITE_DIR, USE_LITE_FILES.vocabulary), 'utf8')));
    for (const text of TEXTS) expect(ours.encode(text), text).toEqual(reference.tokenize(text));
  });

  test(`the float32 graph gives the TF.js model's vectors: cosine ≥ 0.9999 on each of ${TEXTS.length} texts`, async () => {
    expect(TEXTS.length).toBeGreaterThanOrEqual(200);
    const vectors = await embedAll(float32, 17);
    expect(vectors).toHaveLength(TEXTS.length);
    vectors.forEach((v, i) => expect(dot(v, referenceVectors[i]!), TEXTS[i]).toBeGreaterThanOrEqual(0.9999));
  });

  test('the int8 graph stays within cosine 0.995 of the float32 one on every text, and is a different graph', async () => {
    const int8 = await UseEmbedder.load('int8');
    expect(int8.id).toBe('use-lite-int8');
    const [exact, quantized] = [await embedAll(float32, 32), await embedAll(int8, 32)];
    const cosines = quantized.map((v, i) => dot(v, exact[i]!));
    for (const [i, cosine] of cosines.entries()) expect(cosine, TEXTS[i]).toBeGreaterThanOrEqual(0.995);
    expect(Math.min(...cosines)).toBeLessThan(0.99999); // it really is quantized
  });

  test('an empty text gets one well-defined unit vector wherever it sits in a batch', async () => {
    const [first, middle, last] = [
      await float32.embed(['', 'refund']),
      await float32.embed(['a', '', 'b']),
      await float32.embed(['refund', '']),
    ];
    const alone = await float32.embed(['']);
    for (const v of [first[0]!, middle[1]!, last[1]!]) expect(dot(v, alone[0]!)).toBeCloseTo(1, 6);
    expect(Math.sqrt(dot(alone[0]!, alone[0]!))).toBeCloseTo(1, 6);
    expect(dot(first[1]!, alone[0]!)).toBeLessThan(0.99);
  });
});

describe('the TF.js → ONNX converter', () => {
  test('refuses an op it does not translate, naming it, instead of writing a graph that computes something else', () => {
    const nodes: TfNode[] = [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 1 }, shape: { shape: { dim: [{ size: '-1' }] } } } },
      { name: 'y', op: 'Erf', input: ['x'], attr: { T: { type: 1 } } },
    ];
    const model = { nodes, weights: new Map() };
    expect(() => tfjsToOnnx(model, { inputs: ['x'], outputs: ['y'], name: 'g', producer: 'test' })).toThrow(/Erf \(y\)/);
  });
});

describe('one embedding worker for both lanes', () => {
  test('a query sent during an import is answered before the import’s remaining batches', async () => {
    const embedder = workerEmbedder();
    try {
      await embedder.embed(['warm up'], 'query');
      const order: string[] = [];
      const bulk = embedder.embed(TEXTS.slice(0, 160), 'bulk').then(() => order.push('bulk'));
      const query = embedder.embed(['Do you ship to Norway?'], 'query').then(() => order.push('query'));
      await Promise.all([bulk, query]);
      expect(order).toEqual(['query', 'bulk']);
    } finally {
      await embedder.close();
    }
  });

  test('a new worker after the previous one exited loads the model again (the runtime stays loaded)', async () => {
    for (let round = 0; round < 3; round++) {
      const embedder = workerEmbedder({ kind: 'use', precision: round % 2 ? 'int8' : 'float32' });
      try {
        const [v] = await embedder.embed([`round ${round}: where is my parcel?`]);
        expect(v).toHaveLength(512);
      } finally {
        await embedder.close();
      }
    }
  });
});
