import t from 'tap';
import * as ort from 'onnxruntime-node';
import { ProtoWriter, readFields } from '../../../models/onnx/protobuf.ts';
import { GraphBuilder } from '../../../models/onnx/writer.ts';
import { readModelInfo } from '../../../models/onnx/metadata.ts';
import { knownOutputModel } from '../../../models/onnx/fixtures.ts';

t.test('protobuf: varints (incl. negative int64), strings, nesting round-trip', async (t) => {
  const inner = new ProtoWriter().string(1, 'héllo');
  const bytes = new ProtoWriter().int(1, 300).int(2, -1).message(3, inner).float(4, 1.5).finish();
  const fields = [...readFields(bytes)];
  t.equal(fields[0]!.varint, 300n);
  t.equal(fields[1]!.varint, 2n ** 64n - 1n);
  t.equal(new TextDecoder().decode([...readFields(fields[2]!.bytes!)][0]!.bytes), 'héllo');
  t.equal(new DataView(fields[3]!.bytes!.buffer, fields[3]!.bytes!.byteOffset).getFloat32(0, true), 1.5);
  t.same([...new ProtoWriter().int(1, 150).finish()], [0x08, 0x96, 0x01], 'the protobuf spec example');
  t.throws(() => [...readFields(Uint8Array.from([0x0a, 0x05, 0x01]))], /runs past the end/);
});

t.test('metadata_props round-trip', async (t) => {
  const g = new GraphBuilder();
  g.output(g.input('x', 'float', [1]), 'x', 'float', [1]);
  const info = readModelInfo(g.encode({ metadata: { names: "{0: 'car'}", stride: '32' } }));
  t.same(info, { metadata: { names: "{0: 'car'}", stride: '32' }, hasGraph: true });
});

t.test('ops with attributes and initializers run in onnxruntime', async (t) => {
  const g = new GraphBuilder();
  const x = g.input('x', 'float', [1, 1, 4, 4]);
  const w = g.floats(new Float32Array(9).fill(1), [1, 1, 3, 3]);
  const c = g.op('Conv', [x, w, g.floats([0], [1])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const r = g.op('Relu', [g.op('Add', [c, g.floats([-2], [1])])]);
  const p = g.op('MaxPool', [r], { kernel_shape: [2, 2], strides: [2, 2] });
  const up = g.op('Resize', [p, '', g.floats([1, 1, 2, 2], [4])], { mode: 'nearest' });
  const cat = g.op('Concat', [up, g.op('Sigmoid', [up])], { axis: 1 });
  const tr = g.op('Transpose', [cat], { perm: [0, 2, 3, 1] });
  const out = g.op('Reshape', [g.op('Mul', [tr, g.floats([2], [1])]), g.int64s([1, -1])]);
  g.output(out, 'y', 'float', [1, 32]);
  const s = await ort.InferenceSession.create(g.encode(), { intraOpNumThreads: 1 });
  const res = await s.run({ x: new ort.Tensor('float32', new Float32Array(16).fill(1), [1, 1, 4, 4]) });
  const y = res.y!.data as Float32Array;
  t.same(res.y!.dims, [1, 32]);
  // Conv of ones with a 3×3 ones kernel: 4 at corners, 6 at edges, 9 inside; −2, ReLU, 2×2 max → 7 everywhere.
  t.equal(y[0], 14);
  t.ok(Math.abs(y[1]! - 2 / (1 + Math.exp(-7))) < 1e-6);
  await s.release();
});

t.test('known-output model: constant + mean(image) · mask, per batch item', async (t) => {
  const bytes = knownOutputModel({
    input: { type: 'uint8', layout: 'NHWC', width: 4, height: 4 },
    shape: [2, 3],
    values: Float32Array.from([1, 2, 3, 4, 5, 6]),
    mask: Float32Array.from([1, 0, 0, 0, 0, 1]),
  });
  const s = await ort.InferenceSession.create(bytes);
  const data = new Uint8Array(2 * 48);
  data.fill(10, 48);
  const res = await s.run({ images: new ort.Tensor('uint8', data, [2, 4, 4, 3]) });
  t.same(res.output0!.dims, [2, 2, 3]);
  t.same(Array.from(res.output0!.data as Float32Array), [1, 2, 3, 4, 5, 6, 11, 2, 3, 4, 5, 16]);
  await s.release();
});
