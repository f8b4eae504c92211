import fs from 'node:fs';
import path from 'node:path';

/**
 * A TensorFlow.js graph model as the TF.js converter writes it (model.json + binary weight shards),
 * read without TensorFlow.js: the graph's nodes as JSON and every weight as a typed array.
 */

/** A TensorFlow AttrValue in its JSON form (int64 fields arrive as strings, bytes as arrays or base64). */
export type TfAttr = {
  i?: string | number;
  f?: number;
  b?: boolean;
  s?: string | number[];
  type?: number | string;
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  list?: { i?: (string | number)[]; s?: unknown[]; f?: number[] };
};

export type TfNode = { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> };

export type TfWeight = { dtype: 'float32' | 'int32'; shape: number[]; data: Float32Array | Int32Array };

export type TfjsModel = { nodes: TfNode[]; weights: Map<string, TfWeight> };

type ModelJson = {
  format?: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
};

export function readTfjsModel(modelJsonFile: string): TfjsModel {
  const json = JSON.parse(fs.readFileSync(modelJsonFile, 'utf8')) as ModelJson;
  const weights = new Map<string, TfWeight>();
  for (const group of json.weightsManifest) {
    const shards = group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelJsonFile), p)));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const entry of group.weights) {
      if (entry.quantization) throw new Error(`${entry.name}: quantized TF.js weights are not supported`);
      if (entry.dtype !== 'float32' && entry.dtype !== 'int32') throw new Error(`${entry.name}: dtype ${entry.dtype} is not supported`);
      const count = entry.shape.reduce((a, b) => a * b, 1);
      // Copied out of the shard buffer: typed arrays need 4-byte alignment, which Buffer.concat does not promise.
      const slice = bytes.subarray(offset, offset + count * 4);
      const aligned = new Uint8Array(slice).buffer;
      const data = entry.dtype === 'float32' ? new Float32Array(aligned) : new Int32Array(aligned);
      weights.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data });
      offset += count * 4;
    }
    if (offset !== bytes.length) throw new Error(`${modelJsonFile}: weight shards hold ${bytes.length} bytes, the manifest ${offset}`);
  }
  return { nodes: json.modelTopology.node, weights };
}
