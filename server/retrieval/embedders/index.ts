import type { Embedder, EmbedderSpec } from '../types.js';
import { TransformersEmbedder, transformersDimensions, transformersEmbedderId } from './transformers.js';
import { USE_DIMENSIONS, USE_EMBEDDER_ID, UseEmbedder } from './use.js';

/** Loads the model in this thread (the worker calls this; the request thread never does). */
export function loadEmbedder(spec: EmbedderSpec): Promise<Embedder> {
  return spec.kind === 'use' ? UseEmbedder.load() : TransformersEmbedder.load(spec.modelsDir, spec.model);
}

/** The id and width an embedder will have, known without loading the model. */
export function describeEmbedder(spec: EmbedderSpec): { id: string; dimensions: number } {
  return spec.kind === 'use'
    ? { id: USE_EMBEDDER_ID, dimensions: USE_DIMENSIONS }
    : { id: transformersEmbedderId(spec.model), dimensions: transformersDimensions(spec.modelsDir, spec.model) };
}
