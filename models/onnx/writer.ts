// Writes ONNX models (ModelProto) without Python: enough of onnx.proto to
// build test graphs with known outputs and the benchmark's YOLOv8n-like
// network. Field numbers follow onnx/onnx.proto (IR version 8, opset 17).
import { ProtoWriter } from './protobuf.ts';

/** TensorProto.DataType values used here. */
export const DataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type ElemType = keyof typeof DataType;

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export interface TensorInit {
  name: string;
  type: ElemType;
  dims: readonly number[];
  data: Float32Array | Uint8Array | Int32Array | BigInt64Array | Int8Array;
}

export type AttrValue = number | string | readonly number[] | readonly string[] | TensorInit | { float: number } | { floats: readonly number[] };

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
}

export interface ValueSpec {
  name: string;
  type: ElemType;
  shape: readonly Dim[];
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers?: readonly TensorInit[];
}

export interface ModelSpec {
  graph: GraphSpec;
  opset?: number;
  producer?: string;
  /** Custom metadata_props (Ultralytics writes `names`, `stride`, `imgsz` here). */
  metadata?: Record<string, string>;
}

// AttributeProto.AttributeType
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export function encodeTensor(t: TensorInit): ProtoWriter {
  const w = new ProtoWriter();
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  w.int(2, DataType[t.type]);
  w.string(8, t.name);
  // raw_data is little-endian bytes, which is what typed arrays hold on x86/ARM.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function encodeAttr(name: string, v: AttrValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number') {
    // A bare number is an INT attribute (axes, kernel sizes, `to`); floats use { float }.
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer; use { float: ${v} }`);
    return w.int(3, v).int(20, ATTR.INT);
  }
  if (typeof v === 'string') return w.string(4, v).int(20, ATTR.STRING);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) {
      for (const s of v as string[]) w.string(9, s);
      return w.int(20, ATTR.STRINGS);
    }
    return w.packedInts(8, v as number[]).int(20, ATTR.INTS);
  }
  if ('float' in (v as object)) return w.float(2, (v as { float: number }).float).int(20, ATTR.FLOAT);
  if ('floats' in (v as object)) return w.packedFloats(7, (v as { floats: number[] }).floats).int(20, ATTR.FLOATS);
  return w.message(5, encodeTensor(v as TensorInit)).int(20, ATTR.TENSOR);
}

function encodeNode(n: NodeSpec, index: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.op}_${index}`);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, encodeAttr(k, v));
  return w;
}

function encodeValueInfo(v: ValueSpec): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, DataType[v.type]).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

function encodeGraph(g: GraphSpec): ProtoWriter {
  const w = new ProtoWriter();
  g.nodes.forEach((n, i) => w.message(1, encodeNode(n, i)));
  w.string(2, g.name);
  for (const t of g.initializers ?? []) w.message(5, encodeTensor(t));
  for (const v of g.inputs) w.message(11, encodeValueInfo(v));
  for (const v of g.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

/** Serialises a model to ONNX bytes, ready for InferenceSession.create or a .onnx file. */
export function encodeModel(m: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8: opset 17 era, accepted by onnxruntime 1.30
  w.string(2, m.producer ?? 'crosswatch-onnx-writer');
  w.message(7, encodeGraph(m.graph));
  w.message(8, new ProtoWriter().string(1, '').int(2, m.opset ?? 17));
  for (const [key, value] of Object.entries(m.metadata ?? {})) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}

/**
 * Builds a graph step by step, naming intermediate values automatically.
 * `op()` returns its output's name so calls nest like expressions.
 */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  readonly initializers: TensorInit[] = [];
  private counter = 0;

  constructor(readonly name = 'graph') {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.inputs.push({ name, type, shape });
    return name;
  }

  /** Adds a weight/constant tensor as an initializer; returns its name. */
  init(data: TensorInit['data'], dims: readonly number[], type?: ElemType, name?: string): string {
    const n = name ?? this.fresh('w');
    this.initializers.push({ name: n, dims, data, type: type ?? inferType(data) });
    return n;
  }

  /** A float32 initializer from plain numbers. */
  floats(values: readonly number[] | Float32Array, dims: readonly number[]): string {
    return this.init(Float32Array.from(values), dims, 'float');
  }

  /** An int64 initializer (Reshape shapes, Slice starts/ends, axes inputs). */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.init(BigInt64Array.from(values.map(BigInt)), dims, 'int64');
  }

  /** Adds one node with a single output and returns that output's name. */
  op(op: string, inputs: readonly string[], attrs?: Record<string, AttrValue>, output?: string): string {
    const out = output ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], attrs });
    return out;
  }

  /** Adds a node with several outputs (Split, TopK). */
  opMulti(op: string, inputs: readonly string[], nOutputs: number, attrs?: Record<string, AttrValue>): string[] {
    const outs = Array.from({ length: nOutputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs: outs, attrs });
    return outs;
  }

  /** Marks a value as a graph output under `name` (adds an Identity when renaming). */
  output(value: string, name: string, type: ElemType, shape: readonly Dim[]): void {
    if (value !== name) this.op('Identity', [value], undefined, name);
    this.outputs.push({ name, type, shape });
  }

  build(): GraphSpec {
    return { name: this.name, nodes: this.nodes, inputs: this.inputs, outputs: this.outputs, initializers: this.initializers };
  }

  encode(opts: Omit<ModelSpec, 'graph'> = {}): Uint8Array {
    return encodeModel({ ...opts, graph: this.build() });
  }
}

function inferType(data: TensorInit['data']): ElemType {
  if (data instanceof Float32Array) return 'float';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}
