import fs from 'node:fs';
import path from 'node:path';
import type { EmbedderSpec } from '../types.js';
import type { UsePrecision } from './use-lite/files.js';

/**
 * What an embedder will be, known without loading it. Kept free of model imports: the request thread
 * uses this, and only the worker thread loads onnxruntime / transformers.js.
 */
export const USE_DIMENSIONS = 512;
/** The precision the bundled USE runs at unless a spec says otherwise. */
export const DEFAULT_USE_PRECISION: UsePrecision = 'int8';

/**
 * `use-lite` is the float32 model, whose vectors equal those of the TF.js runtime it replaced (so stored
 * vectors stay valid); the int8 one gives slightly different vectors, hence its own id (a switch re-embeds).
 */
export const useEmbedderId = (precision: UsePrecision) => (precision === 'float32' ? 'use-lite' : `use-lite-${precision}`);

/** `transformers:<folder>`: the id stored with vectors, so swapping the model triggers a re-embed. */
export const transformersEmbedderId = (model: string) => `transformers:${model}`;

/** The model's output width, read from its config.json. */
export function transformersDimensions(modelsDir: string, model: string): number {
  const configFile = path.join(modelsDir, model, 'config.json');
  if (!fs.existsSync(configFile)) {
    throw new Error(`No transformers.js model at ${path.join(modelsDir, model)} (run \`npm run models:fetch\` or copy one there).`);
  }
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as { hidden_size?: number; dim?: number };
  const dimensions = config.hidden_size ?? config.dim;
  if (!dimensions) throw new Error(`${configFile} names no hidden_size.`);
  return dimensions;
}

export function describeEmbedder(spec: EmbedderSpec): { id: string; dimensions: number } {
  return spec.kind === 'use'
    ? { id: useEmbedderId(spec.precision ?? DEFAULT_USE_PRECISION), dimensions: USE_DIMENSIONS }
    : { id: transformersEmbedderId(spec.model), dimensions: transformersDimensions(spec.modelsDir, spec.model) };
}
