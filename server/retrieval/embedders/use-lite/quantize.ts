import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
/** Weights are symmetric int8 levels stored as uint8 around this zero point (see quantizeMatMulWeights). */
const WEIGHT_ZERO = 128;

/**
 * Dynamic 8-bit quantization of an ONNX graph's weight matrices: every MatMul by a constant [K, N] float
 * matrix becomes
 *
 *   DynamicQuantizeLinear(x) → MatMulInteger(x_u8, W_u8, x_zero, 128) → Cast → × (x_scale · w_scale[n])
 *
 * with W quantized symmetrically per output column at build time (levels −127…127 of max|W[:, n]| / 127,
 * stored as uint8 around zero point 128) and the activations per tensor to uint8 at run time; onnxruntime
 * fuses the pattern into one integer GEMM. uint8 × uint8 rather than the more common uint8 × int8: the
 * latter's AVX2 kernels add pairs of products in 16 bits, which can saturate on CPUs without VNNI, so the
 * same text could get a different vector on another machine; u8·u8 is exact on every kernel and measured as
 * fast here. Everything else stays float.
 */
export function quantizeMatMulWeights(model: Onnx.ModelProto): { model: Onnx.ModelProto; quantized: number } {
  const graph = model.graph!;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name!, t]));
  const readers = new Map<string, number>();
  for (const node of graph.node ?? []) for (const input of node.input ?? []) readers.set(input, (readers.get(input) ?? 0) + 1);

  const nodes: Onnx.INodeProto[] = [];
  const added: Onnx.ITensorProto[] = [];
  const replaced = new Set<string>();
  let quantized = 0;
  for (const node of graph.node ?? []) {
    const weight = node.opType === 'MatMul' ? initializers.get(node.input![1]!) : undefined;
    if (!weight || weight.dataType !== DT.FLOAT || weight.dims?.length !== 2) {
      nodes.push(node);
      continue;
    }
    const [k, n] = weight.dims.map(Number) as [number, number];
    const { values, scales } = quantizeColumns(floatsOf(weight), k, n);
    const base = node.output![0]!;
    const names = {
      weight: `${weight.name}/int8`,
      weightZero: `${weight.name}/int8_zero`,
      weightScale: `${weight.name}/int8_scale`,
    };
    if (!replaced.has(weight.name!)) {
      replaced.add(weight.name!);
      added.push(
        onnx.TensorProto.create({ name: names.weight, dims: [k, n], dataType: DT.UINT8, rawData: values }),
        onnx.TensorProto.create({ name: names.weightZero, dims: [], dataType: DT.UINT8, rawData: Uint8Array.of(WEIGHT_ZERO) }),
        onnx.TensorProto.create({ name: names.weightScale, dims: [n], dataType: DT.FLOAT, rawData: new Uint8Array(scales.buffer) }),
      );
    }
    const t = (suffix: string) => `${base}/q_${suffix}`;
    nodes.push(
      onnx.NodeProto.create({
        opType: 'DynamicQuantizeLinear',
        input: [node.input![0]!],
        output: [t('x'), t('x_scale'), t('x_zero')],
        name: t('x'),
      }),
      onnx.NodeProto.create({
        opType: 'MatMulInteger',
        input: [t('x'), names.weight, t('x_zero'), names.weightZero],
        output: [t('int32')],
        name: t('int32'),
      }),
      onnx.NodeProto.create({
        opType: 'Cast',
        input: [t('int32')],
        output: [t('float')],
        name: t('float'),
        attribute: [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DT.FLOAT })],
      }),
      onnx.NodeProto.create({ opType: 'Mul', input: [t('x_scale'), names.weightScale], output: [t('scale')], name: t('scale') }),
      onnx.NodeProto.create({ opType: 'Mul', input: [t('float'), t('scale')], output: [base], name: base }),
    );
    quantized += 1;
  }
  // A float matrix no node reads any more is dropped.
  const stillRead = new Set(nodes.flatMap((node) => node.input ?? []));
  const initializer = [...(graph.initializer ?? []).filter((t) => stillRead.has(t.name!)), ...added];
  const result = onnx.ModelProto.create({ ...model, graph: onnx.GraphProto.create({ ...graph, node: nodes, initializer }) });
  return { model: result, quantized };
}

function floatsOf(tensor: Onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData!;
  return new Float32Array(new Uint8Array(raw).buffer); // copied: raw may sit unaligned in a larger buffer
}

/** Symmetric per column: W[i, j] ≈ (values[i, j] − 128) · scales[j]. */
function quantizeColumns(w: Float32Array, k: number, n: number): { values: Uint8Array; scales: Float32Array } {
  const scales = new Float32Array(n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) scales[j] = Math.max(scales[j]!, Math.abs(w[i * n + j]!));
  for (let j = 0; j < n; j++) scales[j] = scales[j]! / 127 || 1;
  const values = new Uint8Array(k * n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) values[i * n + j] = WEIGHT_ZERO + Math.round(w[i * n + j]! / scales[j]!);
  return { values, scales };
}
