import t from 'tap';
import * as ort from 'onnxruntime-node';
import { buildYolov8nLike } from '../../../models/onnx/yolov8n-like.ts';
import { loadDetector } from '../../../pipelines/detect/detector.ts';

t.test('YOLOv8n-like at 640: YOLOv8n cost and shape, loads and runs once', async (t) => {
  const m = buildYolov8nLike({ seed: 1 });
  t.ok(m.flops > 8.0e9 && m.flops < 9.5e9, `${(m.flops / 1e9).toFixed(2)} GFLOPs (YOLOv8n: 8.7)`);
  t.ok(m.params > 2.8e6 && m.params < 3.5e6, `${(m.params / 1e6).toFixed(2)} M params (YOLOv8n: 3.2)`);
  const s = await ort.InferenceSession.create(m.bytes, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
  t.same(s.inputMetadata[0], { name: 'images', isTensor: true, type: 'float32', shape: [1, 3, 640, 640] });
  const res = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 640 * 640).fill(0.5), [1, 3, 640, 640]) });
  const out = res.output0!;
  t.same(out.dims, [1, 84, 8400]);
  const d = out.data as Float32Array;
  t.ok(d.every(Number.isFinite), 'all outputs finite');
  t.ok(d[0]! > 0 && d[0]! < 640, `first box cx ${d[0]} inside the image`);
  await s.release();
});

t.test('small uint8 variant goes through the detector as an Ultralytics model', async (t) => {
  const m = buildYolov8nLike({ size: 160, input: 'uint8', clsBias: 0 });
  const det = await loadDetector(m.bytes, { intraOpNumThreads: 1 });
  t.equal(det.layout, 'ultralytics');
  t.match(det.inputSpec, { width: 160, height: 160, layout: 'NHWC', dtype: 'uint8' });
  const [dets] = await det.detect([{ index: 0, t: 0, width: 160, height: 160, data: new Uint8Array(160 * 160 * 3).fill(90) }]);
  t.ok(Array.isArray(dets));
  await det.close();
});
