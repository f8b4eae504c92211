import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import type { TfAttr, TfNode, TfjsModel } from './tfjs-model.js';

/**
 * Converts a TensorFlow graph (as TF.js stores it) into an ONNX graph, op by op, keeping the graph's own
 * computation: same inputs, same order of operations, the same weights. Covers the ops the Universal
 * Sentence Encoder Lite graph uses; any other op, or an attribute combination not handled here, stops the
 * conversion with its name rather than producing a graph that computes something else.
 *
 * TensorFlow's int32 tensors become int64: ONNX takes shapes, indices and axes as int64 only, and every
 * int32 tensor in such graphs is a shape, index, length or token id (TF.js itself computes them in int32).
 */

// onnx-proto is CommonJS: its namespace comes as the default export under Node's ESM loader.
const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
export const ONNX_OPSET = 17;

/** TensorFlow's DataType enum → ONNX's. */
const TF_DTYPES: Record<number, number> = { 1: DT.FLOAT, 3: DT.INT64, 9: DT.INT64, 10: DT.BOOL };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export type ConvertOptions = { inputs: string[]; outputs: string[]; name: string; producer: string };

export function tfjsToOnnx(model: TfjsModel, options: ConvertOptions): Onnx.ModelProto {
  const converter = new Converter(model);
  for (const node of model.nodes) converter.convert(node);
  // Every Const became an initializer; keep those a node reads (a Conv2D kernel is stored reshaped instead).
  const read = new Set(converter.nodes.flatMap((n) => n.input ?? []));
  const graph = onnx.GraphProto.create({
    name: options.name,
    node: converter.nodes,
    initializer: converter.initializers.filter((t) => read.has(t.name!)),
    input: options.inputs.map((name) => converter.inputInfo(name)),
    output: options.outputs.map((name) => onnx.ValueInfoProto.create({ name, type: tensorType(converter.dtypeOf(name)) })),
  });
  return onnx.ModelProto.create({
    irVersion: 8,
    producerName: options.producer,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph,
  });
}

type Translate = (c: Converter, node: TfNode, inputs: string[]) => void;

class Converter {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];
  private readonly tfNodes = new Map<string, TfNode>();
  private readonly placeholders = new Map<string, TfNode>();
  private readonly dtypes = new Map<string, number>();
  private counter = 0;

  constructor(private readonly model: TfjsModel) {
    for (const node of model.nodes) this.tfNodes.set(node.name, node);
  }

  convert(node: TfNode): void {
    const translate = OPS[node.op];
    if (!translate) throw new Error(`TensorFlow op ${node.op} (${node.name}) has no ONNX translation`);
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^')); // ^name: control dependency
    translate(this, node, inputs);
  }

  // ---- emitting ----

  /** Adds an ONNX node; returns its output names (given, or fresh ones). */
  emit(opType: string, inputs: string[], outputs: string[] | number = 1, attribute: Onnx.IAttributeProto[] = []): string[] {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType)) : outputs;
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: names, name: names[0], attribute }));
    return names;
  }

  /** A one-output node. */
  op(opType: string, inputs: string[], attribute: Onnx.IAttributeProto[] = [], output?: string): string {
    return this.emit(opType, inputs, output ? [output] : 1, attribute)[0]!;
  }

  int64s(values: (number | bigint)[], dims: number[] = [values.length], name = this.fresh('const')): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: DT.INT64, rawData: bytesOf(data) }));
    this.dtypes.set(name, DT.INT64);
    return name;
  }

  float32s(data: Float32Array, dims: number[], name = this.fresh('const')): string {
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: DT.FLOAT, rawData: bytesOf(data) }));
    this.dtypes.set(name, DT.FLOAT);
    return name;
  }

  setDtype(name: string, onnxType: number): void {
    this.dtypes.set(name, onnxType);
  }

  fresh(hint: string): string {
    return `onnx/${hint}_${this.counter++}`;
  }

  // ---- reading the TensorFlow graph ----

  /** A Const node's weight. */
  weight(ref: string) {
    const node = this.tfNodes.get(ref);
    const weight = node?.op === 'Const' ? this.model.weights.get(node.name) : undefined;
    if (!weight) throw new Error(`${ref} is not a constant with stored weights`);
    return weight;
  }

  /** An int constant's values (axes, perms, slice bounds), needed as attributes at conversion time. */
  intsOf(ref: string): number[] {
    const weight = this.weight(ref);
    if (weight.dtype !== 'int32') throw new Error(`${ref} is ${weight.dtype}, an int constant was expected`);
    return Array.from(weight.data);
  }

  isConst(ref: string): boolean {
    return this.tfNodes.get(ref)?.op === 'Const';
  }

  registerPlaceholder(node: TfNode): void {
    this.placeholders.set(node.name, node);
    this.dtypes.set(node.name, tfDtype(node, 'dtype'));
  }

  inputInfo(name: string): Onnx.IValueInfoProto {
    const node = this.placeholders.get(name);
    if (!node) throw new Error(`${name} is not a placeholder of the graph`);
    const dims = (node.attr?.shape?.shape?.dim ?? []).map((d, i) => (Number(d.size) < 0 ? `${name}_${i}` : Number(d.size)));
    return onnx.ValueInfoProto.create({ name, type: tensorType(this.dtypeOf(name), dims) });
  }

  dtypeOf(name: string): number {
    const known = this.dtypes.get(name);
    if (known !== undefined) return known;
    const node = this.tfNodes.get(name.split(':')[0]!);
    const attr = node?.attr;
    const type = node?.op === 'Shape' ? { type: 9 } : (attr?.DstT ?? attr?.T ?? attr?.Tparams ?? attr?.dtype);
    if (type?.type === undefined) throw new Error(`no dtype known for ${name}`);
    return tfType(type.type);
  }

  /** The static rank of a TensorFlow tensor, for the few translations that need it. */
  rankOf(ref: string): number {
    const node = this.tfNodes.get(ref.split(':')[0]!);
    if (!node) throw new Error(`unknown tensor ${ref}`);
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    switch (node.op) {
      case 'Const':
        return this.weight(node.name).shape.length;
      case 'Placeholder':
        return node.attr?.shape?.shape?.dim?.length ?? 0;
      case 'Transpose':
        return this.intsOf(inputs[1]!).length;
      case 'ExpandDims':
        return this.rankOf(inputs[0]!) + 1;
      case 'Squeeze':
        return this.rankOf(inputs[0]!) - listInts(node, 'squeeze_dims').length;
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'RealDiv':
      case 'Maximum':
      case 'BiasAdd':
      case 'MatMul':
      case 'BatchMatMul':
        return Math.max(...inputs.map((i) => this.rankOf(i)));
      default:
        throw new Error(`the rank of ${ref} (${node.op}) is not inferred`);
    }
  }
}

// ---- attribute helpers ----

const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: AT.INT, i });
const intsAttr = (name: string, ints: number[]) => onnx.AttributeProto.create({ name, type: AT.INTS, ints });
const tensorAttr = (name: string, t: Onnx.ITensorProto) => onnx.AttributeProto.create({ name, type: AT.TENSOR, t });

function tfType(type: number | string): number {
  const code = typeof type === 'number' ? type : (TF_TYPE_NAMES[type] ?? -1);
  const onnxType = TF_DTYPES[code];
  if (onnxType === undefined) throw new Error(`TensorFlow dtype ${type} is not supported`);
  return onnxType;
}
const TF_TYPE_NAMES: Record<string, number> = { DT_FLOAT: 1, DT_INT32: 3, DT_INT64: 9, DT_BOOL: 10 };

function tfDtype(node: TfNode, attr: string): number {
  const type = node.attr?.[attr]?.type;
  if (type === undefined) throw new Error(`${node.name} has no ${attr}`);
  return tfType(type);
}

function attrOf(node: TfNode, name: string): TfAttr | undefined {
  return node.attr?.[name];
}
const intOf = (node: TfNode, name: string, fallback = 0) => Number(attrOf(node, name)?.i ?? fallback);
const boolOf = (node: TfNode, name: string) => attrOf(node, name)?.b === true;
const listInts = (node: TfNode, name: string) => (attrOf(node, name)?.list?.i ?? []).map(Number);
function stringOf(node: TfNode, name: string): string | undefined {
  const s = attrOf(node, name)?.s;
  if (s === undefined) return undefined;
  return typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : Buffer.from(s).toString('utf8');
}

function tensorType(elemType: number, dims: (number | string)[] | undefined = undefined): Onnx.ITypeProto {
  return onnx.TypeProto.create({
    tensorType: {
      elemType,
      shape: dims && {
        dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
      },
    },
  });
}

function bytesOf(data: Float32Array | BigInt64Array | Int8Array | Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const out = (node: TfNode, k = 0) => (k === 0 ? node.name : `${node.name}:${k}`);

function requireNhwc(node: TfNode): void {
  const format = stringOf(node, 'data_format');
  if (format && format !== 'NHWC') throw new Error(`${node.name}: data_format ${format} is not supported`);
}

// ---- translations ----

const same =
  (onnxOp: string): Translate =>
  (c, node, inputs) => {
    c.op(onnxOp, inputs, [], out(node));
  };

/** Reductions: the axes are a constant input in TensorFlow, an attribute in ONNX (input for ReduceSum). */
const reduce =
  (onnxOp: string): Translate =>
  (c, node, [x, axesRef]) => {
    const axes = c.intsOf(axesRef!);
    const keepdims = intAttr('keepdims', boolOf(node, 'keep_dims') ? 1 : 0);
    if (onnxOp === 'ReduceSum') c.op(onnxOp, [x!, c.int64s(axes)], [keepdims], out(node));
    else c.op(onnxOp, [x!], [intsAttr('axes', axes), keepdims], out(node));
  };

const OPS: Record<string, Translate> = {
  Const(c, node) {
    const weight = c.weight(node.name);
    if (weight.dtype === 'float32') c.float32s(weight.data as Float32Array, weight.shape, node.name);
    else c.int64s(Array.from(weight.data), weight.shape, node.name);
  },
  Placeholder(c, node) {
    c.registerPlaceholder(node);
  },

  Add: same('Add'),
  Sub: same('Sub'),
  Mul: same('Mul'),
  RealDiv: same('Div'),
  Maximum: same('Max'),
  Less: same('Less'),
  Greater: same('Greater'),
  LogicalNot: same('Not'),
  Sin: same('Sin'),
  Cos: same('Cos'),
  Tanh: same('Tanh'),
  Relu: same('Relu'),
  Shape: same('Shape'),
  GatherNd: same('GatherND'),
  Range: same('Range'),
  Square(c, node, [x]) {
    c.op('Mul', [x!, x!], [], out(node));
  },
  Rsqrt(c, node, [x]) {
    c.op('Reciprocal', [c.op('Sqrt', [x!])], [], out(node));
  },
  Softmax(c, node, [x]) {
    c.op('Softmax', [x!], [intAttr('axis', -1)], out(node));
  },
  BiasAdd(c, node, inputs) {
    requireNhwc(node); // bias on the last dimension: plain broadcasting
    c.op('Add', inputs, [], out(node));
  },
  Cast(c, node, [x]) {
    const to = tfDtype(node, 'DstT');
    c.op('Cast', [x!], [intAttr('to', to)], out(node));
    c.setDtype(out(node), to);
  },

  Sum: reduce('ReduceSum'),
  Mean: reduce('ReduceMean'),
  Max: reduce('ReduceMax'),
  Prod: reduce('ReduceProd'),

  Reshape(c, node, inputs) {
    // allowzero: a 0 in a TensorFlow shape means an empty dimension, never "copy the input's".
    c.op('Reshape', inputs, [intAttr('allowzero', 1)], out(node));
  },
  ExpandDims(c, node, [x, dim]) {
    c.op('Unsqueeze', [x!, c.int64s(c.intsOf(dim!))], [], out(node));
  },
  Squeeze(c, node, [x]) {
    const dims = listInts(node, 'squeeze_dims');
    c.op('Squeeze', dims.length ? [x!, c.int64s(dims)] : [x!], [], out(node));
  },
  Transpose(c, node, [x, perm]) {
    c.op('Transpose', [x!], [intsAttr('perm', c.intsOf(perm!))], out(node));
  },
  ConcatV2(c, node, inputs) {
    const axis = c.intsOf(inputs.at(-1)!)[0]!;
    c.op('Concat', inputs.slice(0, -1), [intAttr('axis', axis)], out(node));
  },
  Pack(c, node, inputs) {
    const axis = intOf(node, 'axis');
    const axes = c.int64s([axis]);
    const expanded = inputs.map((i) => c.op('Unsqueeze', [i, axes]));
    c.op('Concat', expanded, [intAttr('axis', axis)], out(node));
  },
  SplitV(c, node, [x, sizes, axisRef]) {
    const split = c.intsOf(sizes!);
    if (split.includes(-1)) throw new Error(`${node.name}: SplitV with an inferred size is not supported`);
    const names = split.map((_, k) => out(node, k));
    c.emit('Split', [x!, c.int64s(split)], names, [intAttr('axis', c.intsOf(axisRef!)[0]!)]);
  },
  GatherV2(c, node, [params, indices, axisRef]) {
    if (intOf(node, 'batch_dims') !== 0) throw new Error(`${node.name}: GatherV2 with batch_dims is not supported`);
    c.op('Gather', [params!, indices!], [intAttr('axis', c.intsOf(axisRef!)[0]!)], out(node));
  },
  /** TF Where(condition) lists the true positions as [n, rank]; ONNX NonZero gives [rank, n]. */
  Where(c, node, inputs) {
    if (inputs.length !== 1) throw new Error(`${node.name}: Where with x/y (select) is not supported`);
    c.op('Transpose', [c.op('NonZero', inputs)], [intsAttr('perm', [1, 0])], out(node));
    c.setDtype(out(node), DT.INT64);
  },
  /** ScatterNd writes updates into zeros of the given shape (the indices here never repeat). */
  ScatterNd(c, node, [indices, updates, shape]) {
    const dtype = tfDtype(node, 'T');
    const zero = onnx.TensorProto.create({ dims: [1], dataType: dtype, rawData: new Uint8Array(elementSize(dtype)) });
    const zeros = c.op('ConstantOfShape', [shape!], [tensorAttr('value', zero)]);
    c.op('ScatterND', [zeros, indices!, updates!], [], out(node));
  },
  SparseToDense(c, node, [indices, shape, values, fill]) {
    const dense = c.op('Expand', [fill!, shape!]);
    c.op('ScatterND', [dense, indices!, values!], [], out(node));
  },
  StridedSlice(c, node, [x, beginRef, endRef, stridesRef]) {
    if (intOf(node, 'ellipsis_mask') || intOf(node, 'new_axis_mask')) {
      throw new Error(`${node.name}: StridedSlice with ellipsis or new-axis masks is not supported`);
    }
    const [begin, end, strides] = [c.intsOf(beginRef!), c.intsOf(endRef!), c.intsOf(stridesRef!)];
    const beginMask = intOf(node, 'begin_mask');
    const endMask = intOf(node, 'end_mask');
    const shrinkMask = intOf(node, 'shrink_axis_mask');
    const starts: bigint[] = [];
    const ends: bigint[] = [];
    const shrunk: number[] = [];
    begin.forEach((b, axis) => {
      const step = strides[axis]!;
      const bit = 1 << axis;
      if (shrinkMask & bit) {
        starts.push(BigInt(b));
        ends.push(b === -1 ? INT64_MAX : BigInt(b + 1));
        shrunk.push(axis);
        return;
      }
      starts.push(beginMask & bit ? (step > 0 ? 0n : INT64_MAX) : BigInt(b));
      ends.push(endMask & bit ? (step > 0 ? INT64_MAX : INT64_MIN) : BigInt(end[axis]!));
    });
    const axes = begin.map((_, axis) => axis);
    const sliceInputs = [x!, c.int64s(starts), c.int64s(ends), c.int64s(axes), c.int64s(strides)];
    if (shrunk.length === 0) c.op('Slice', sliceInputs, [], out(node));
    else c.op('Squeeze', [c.op('Slice', sliceInputs), c.int64s(shrunk)], [], out(node));
  },
  /** TF Slice(x, begin, size): size -1 means "to the end". */
  Slice(c, node, [x, beginRef, sizeRef]) {
    const begin = c.intsOf(beginRef!);
    const size = c.intsOf(sizeRef!);
    const ends = begin.map((b, i) => (size[i] === -1 ? INT64_MAX : BigInt(b + size[i]!)));
    c.op('Slice', [x!, c.int64s(begin), c.int64s(ends), c.int64s(begin.map((_, i) => i))], [], out(node));
  },

  MatMul(c, node, [a, b]) {
    const ta = boolOf(node, 'transpose_a') ? [c.op('Transpose', [a!], [intsAttr('perm', [1, 0])])] : [a!];
    const tb = boolOf(node, 'transpose_b') ? [c.op('Transpose', [b!], [intsAttr('perm', [1, 0])])] : [b!];
    c.op('MatMul', [...ta, ...tb], [], out(node));
  },
  BatchMatMul(c, node, [x, y]) {
    const swapLast = (ref: string) => {
      const rank = c.rankOf(ref);
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
      return c.op('Transpose', [ref], [intsAttr('perm', perm)]);
    };
    const a = boolOf(node, 'adj_x') ? swapLast(x!) : x!;
    const b = boolOf(node, 'adj_y') ? swapLast(y!) : y!;
    c.op('MatMul', [a, b], [], out(node));
  },
  /**
   * Conv2D with a 1×1 kernel, stride 1, no dilation is a matrix product over the channel (last, NHWC)
   * dimension: x[..., C] · W[C, O]. That is the only form the encoder uses (Tensor2Tensor's "conv" dense
   * layers); any other form is refused.
   */
  Conv2D(c, node, [x, filterRef]) {
    requireNhwc(node);
    const filter = c.weight(filterRef!);
    const [kh, kw, channels, outputs] = filter.shape;
    const unit = (name: string) => listInts(node, name).every((v) => v === 1);
    if (kh !== 1 || kw !== 1 || !unit('strides') || !unit('dilations')) {
      throw new Error(`${node.name}: only 1×1 Conv2D with stride 1 and no dilation is supported`);
    }
    const kernel = c.float32s(filter.data as Float32Array, [channels!, outputs!], `${filterRef}/as_matrix`);
    c.op('MatMul', [x!, kernel], [], out(node));
  },
};

function elementSize(onnxType: number): number {
  if (onnxType === DT.FLOAT) return 4;
  if (onnxType === DT.INT64) return 8;
  if (onnxType === DT.BOOL) return 1;
  throw new Error(`no element size for ONNX type ${onnxType}`);
}
