import { parentPort, workerData } from 'node:worker_threads';
import { loadEmbedder } from './embedders/index.js';
import type { EmbedderSpec } from './types.js';

/**
 * Worker-thread entry: loads the model once and embeds the batches the request thread sends, one at a
 * time. Replies carry one flat Float32Array per batch (transferred, not copied).
 */
export type EmbedRequest = { id: number; texts: string[] };
export type EmbedReply = { id: number; data: Float32Array; dimensions: number } | { id: number; error: string };

const port = parentPort!;
const loading = loadEmbedder(workerData as EmbedderSpec);
loading.catch(() => undefined); // reported per request below

port.on('message', async ({ id, texts }: EmbedRequest) => {
  try {
    const embedder = await loading;
    const vectors = await embedder.embed(texts);
    const data = new Float32Array(vectors.length * embedder.dimensions);
    vectors.forEach((v, i) => data.set(v, i * embedder.dimensions));
    port.postMessage({ id, data, dimensions: embedder.dimensions } satisfies EmbedReply, [data.buffer]);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies EmbedReply);
  }
});
