// Small models with KNOWN outputs, for testing runtimes through a real
// ONNX Runtime session: output = constant + mean(image) · mask.
// The constant is the tensor a layout should carry; the mask lets a test make
// each batch item's output differ (a frame of mean pixel value v shifts the
// masked entries by v), so batching bugs show. mean(image) is over one item.
import { GraphBuilder, type Dim } from './writer.ts';

export interface KnownOutputModel {
  input: { type: 'uint8' | 'float'; layout: 'NHWC' | 'NCHW'; width: Dim; height: Dim; batch?: Dim };
  /** Output shape without the batch dimension, e.g. [84, 8400]. */
  shape: readonly number[];
  /** Row-major values for one batch item (length = product of shape). */
  values: Float32Array;
  /** Optional: same length as values, 1 where the frame's mean pixel is added. */
  mask?: Float32Array;
  outputName?: string;
  metadata?: Record<string, string>;
  /** Extra outputs (e.g. to test that multi-output models are rejected). */
  extraOutputs?: { name: string; shape: readonly number[]; values: Float32Array }[];
}

export function knownOutputModel(m: KnownOutputModel): Uint8Array {
  const g = new GraphBuilder('known_output');
  const { type, layout, width, height } = m.input;
  const batch = m.input.batch ?? 'batch';
  const x = g.input('images', type, layout === 'NHWC' ? [batch, height, width, 3] : [batch, 3, height, width]);
  const f = type === 'float' ? x : g.op('Cast', [x], { to: 1 });
  const mean = g.op('ReduceMean', [f], { axes: [1, 2, 3], keepdims: 0 }); // [B]
  const lead = g.op('Reshape', [mean, g.int64s([-1, ...m.shape.map(() => 1)])]); // [B, 1, 1, ...]
  const emit = (values: Float32Array, mask: Float32Array | undefined, shape: readonly number[], name: string) => {
    const dims = [1, ...shape];
    const masked = g.op('Mul', [lead, g.floats(mask ?? new Float32Array(values.length), dims)]);
    const y = g.op('Add', [masked, g.floats(values, dims)]);
    g.output(y, name, 'float', [batch, ...shape]);
  };
  emit(m.values, m.mask, m.shape, m.outputName ?? 'output0');
  for (const e of m.extraOutputs ?? []) emit(e.values, undefined, e.shape, e.name);
  return g.encode({ metadata: m.metadata });
}
