import type { Embedder, EmbedderSpec } from '../types.js';
import { DEFAULT_USE_PRECISION } from './describe.js';
import { TransformersEmbedder } from './transformers.js';
import { UseEmbedder } from './use.js';

/** Loads the model in this thread (the embedding worker calls this; the request thread never does). */
export function loadEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  return spec.kind === 'use'
    ? UseEmbedder.load(spec.precision ?? DEFAULT_USE_PRECISION)
    : TransformersEmbedder.load(spec.modelsDir, spec.model);
}
