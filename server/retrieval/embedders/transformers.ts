import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../types.js';
import { transformersDimensions, transformersEmbedderId } from './describe.js';

type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * A sentence-embedding ONNX model from the local models dir through transformers.js: feature
 * extraction, mean pooling over the attention mask, L2 normalisation. Remote downloads stay off.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;

  private constructor(
    model: string,
    readonly dimensions: number,
    private readonly extract: FeatureExtractor,
    private readonly dispose: () => Promise<void>,
  ) {
    this.id = transformersEmbedderId(model);
  }

  static async load(modelsDir: string, model: string): Promise<TransformersEmbedder> {
    const dimensions = transformersDimensions(modelsDir, model);
    const { env, pipeline } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir.endsWith(path.sep) ? modelsDir : modelsDir + path.sep;
    const quantized = fs.existsSync(path.join(modelsDir, model, 'onnx', 'model_quantized.onnx'));
    const extractor = await pipeline('feature-extraction', model, { quantized });
    const extract: FeatureExtractor = (texts, options) => extractor(texts, options) as ReturnType<FeatureExtractor>;
    return new TransformersEmbedder(model, dimensions, extract, () => extractor.dispose());
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const output = await this.extract(texts, { pooling: 'mean', normalize: true });
    const width = output.dims[output.dims.length - 1]!;
    return texts.map((_, i) => output.data.slice(i * width, (i + 1) * width));
  }

  async close(): Promise<void> {
    await this.dispose();
  }
}
