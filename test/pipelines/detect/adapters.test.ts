// Each output layout through a real onnxruntime-node session: graphs emit
// known tensors, the detector must turn them into the expected detections.
import t from 'tap';
import { loadDetector } from '../../../pipelines/detect/detector.ts';
import type { Detection } from '../../../pipelines/types.ts';
import { coco, crosswatchModel, end2endModel, flatFrame, ultralyticsModel, yolov5Model, yoloxModel, SIZE } from './layout-models.ts';

const round = (ds: Detection[]) =>
  ds.map((d) => ({ cls: d.cls, score: +d.score.toFixed(3), box: [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map((v) => +v.toFixed(2)) }));

// One scene in model pixels: a car with a lower-scored duplicate, a truck,
// a dog (dropped by the class map), a faint person (below threshold).
const scene = [
  { x1: 10, y1: 10, x2: 30, y2: 24, cls: coco('car'), score: 0.9 },
  { x1: 11, y1: 10, x2: 31, y2: 25, cls: coco('car'), score: 0.8 },
  { x1: 36, y1: 30, x2: 60, y2: 50, cls: coco('truck'), score: 0.7 },
  { x1: 2, y1: 40, x2: 12, y2: 60, cls: coco('dog'), score: 0.95 },
  { x1: 40, y1: 2, x2: 46, y2: 14, cls: coco('person'), score: 0.1 },
];
const expected = [
  { cls: 'vehicle', score: 0.9, box: [10, 10, 30, 24] },
  { cls: 'large_vehicle', score: 0.7, box: [36, 30, 60, 50] },
];

t.test('ultralytics [1, 84, N]: class argmax, map, threshold, NMS', async (t) => {
  const d = await loadDetector(ultralyticsModel(scene), { intraOpNumThreads: 1 });
  t.equal(d.layout, 'ultralytics');
  t.match(d.inputSpec, { width: SIZE, height: SIZE, layout: 'NCHW', dtype: 'float32', maxBatch: Infinity, range: '0-1' });
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), expected);
  await d.close();
});

t.test('yolov5 [1, 3N, 85]: objectness × class', async (t) => {
  const boxes = scene.map((b) => ({ ...b, obj: b.score > 0.5 ? 0.95 : 0.05 }));
  const d = await loadDetector(yolov5Model(boxes), { intraOpNumThreads: 1 });
  t.equal(d.layout, 'yolov5');
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), expected);
  await d.close();
});

t.test('yolox [1, N, 85]: grid decode over strides 8/16/32', async (t) => {
  // 96×96: anchor 26 = stride 8 cell (2, 2); 152 = stride 16 cell (2, 1); 184 = stride 32 cell (1, 1)
  const d = await loadDetector(
    yoloxModel([
      { anchor: 26, t: [0.5, 0.25, Math.log(2), Math.log(1.5)], obj: 0.9, cls: coco('car'), p: 1 },
      { anchor: 152, t: [0.75, 0.5, Math.log(1), Math.log(0.5)], obj: 0.8, cls: coco('bus'), p: 0.9 },
      { anchor: 184, t: [0, 0, 0, 0], obj: 0.9, cls: coco('bicycle'), p: 0.2 },
    ]),
    { intraOpNumThreads: 1 },
  );
  t.equal(d.layout, 'yolox');
  t.equal(d.inputSpec.range, '0-255', 'YOLOX takes unnormalised pixels');
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), [
    { cls: 'vehicle', score: 0.9, box: [12, 12, 28, 24] }, // cx 20, cy 18, w 16, h 12
    { cls: 'large_vehicle', score: 0.72, box: [36, 20, 52, 28] }, // cx 44, cy 24, w 16, h 8
  ]);
  await d.close();
});

t.test('end2end [1, N, 6]: boxes as given; bus and truck on one object merge', async (t) => {
  const d = await loadDetector(
    end2endModel([
      { x1: 10, y1: 10, x2: 30, y2: 24, cls: coco('car'), score: 0.9 },
      { x1: 36, y1: 30, x2: 60, y2: 50, cls: coco('bus'), score: 0.7 },
      { x1: 37, y1: 30, x2: 60, y2: 51, cls: coco('truck'), score: 0.6 },
    ]),
    { intraOpNumThreads: 1 },
  );
  t.equal(d.layout, 'end2end');
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), expected);
  await d.close();
});

t.test('crosswatch [1, N, 4+nc] uint8 NHWC, known by metadata', async (t) => {
  const d = await loadDetector(
    crosswatchModel([
      { x1: 10, y1: 10, x2: 30, y2: 24, cls: 0, score: 0.9 },
      { x1: 36, y1: 30, x2: 60, y2: 50, cls: 1, score: 0.7 },
      { x1: 2, y1: 30, x2: 10, y2: 50, cls: 3, score: 0.6 },
    ]),
    { intraOpNumThreads: 1 },
  );
  t.equal(d.layout, 'crosswatch');
  t.match(d.inputSpec, { layout: 'NHWC', dtype: 'uint8' });
  t.same(d.modelClasses, ['vehicle', 'large_vehicle', 'non_motor', 'pedestrian']);
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), [...expected, { cls: 'pedestrian', score: 0.6, box: [2, 30, 10, 50] }]);
  await d.close();
});

t.test('a batch of 2 equals two single runs, for every layout', async (t) => {
  const models: [string, Uint8Array][] = [
    ['ultralytics', ultralyticsModel(scene, { shift: true })],
    ['ultralytics uint8', ultralyticsModel(scene, { shift: true, input: 'uint8-nhwc' })],
    ['yolov5', yolov5Model(scene.map((b) => ({ ...b, obj: 0.9 })), { shift: true })],
    ['yolox', yoloxModel([{ anchor: 18, t: [0.5, 0.5, 0, 0], obj: 0.9, cls: coco('car'), p: 1 }], { shift: true })],
    ['crosswatch', crosswatchModel([{ x1: 10, y1: 10, x2: 30, y2: 24, cls: 0, score: 0.9 }], { shift: true })],
  ];
  for (const [name, bytes] of models) {
    const d = await loadDetector(bytes, { intraOpNumThreads: 1 });
    const a = flatFrame(0, SIZE, 0);
    const b = flatFrame(6, SIZE, 1);
    const batch = await d.detect([a, b]);
    const singles = [...(await d.detect([a])), ...(await d.detect([b]))];
    t.same(batch, singles, `${name}: batch equals singles`);
    t.not(JSON.stringify(batch[0]), JSON.stringify(batch[1]), `${name}: the two frames differ`);
    await d.close();
  }
});

t.test('a model with a fixed batch of 1 still takes a batch of 3', async (t) => {
  const d = await loadDetector(ultralyticsModel(scene, { shift: true, batch: 1, input: 'uint8-nhwc' }), { intraOpNumThreads: 1 });
  t.equal(d.inputSpec.maxBatch, 1);
  const out = await d.detect([flatFrame(0), flatFrame(3), flatFrame(0)]);
  t.equal(out.length, 3);
  t.same(out[0], out[2]);
  t.equal(out[1]![0]!.box.x1, 13);
  await d.close();
});

t.test('boxes come back in source pixels, clipped', async (t) => {
  const d = await loadDetector(
    ultralyticsModel([
      { x1: 10, y1: 10, x2: 30, y2: 24, cls: coco('car'), score: 0.9 },
      { x1: 50, y1: 4, x2: 100, y2: 20, cls: coco('bus'), score: 0.8 }, // starts in the top padding, runs off the right
    ]),
    { intraOpNumThreads: 1 },
  );
  // Source 192×144 → model 96×96: scale 0.5, content 96×72, padY 12.
  const letterboxed = { ...flatFrame(0), source: { width: 192, height: 144 } };
  const fromDecode = await d.detect([letterboxed]);
  t.same(round(fromDecode[0]!), [
    { cls: 'vehicle', score: 0.9, box: [20, 0, 60, 24] },
    { cls: 'large_vehicle', score: 0.8, box: [100, 0, 192, 16] },
  ]);
  // The same source frame letterboxed in JavaScript gives the same boxes.
  const raw = { index: 0, t: 0, width: 192, height: 144, data: new Uint8Array(192 * 144 * 3) };
  t.same(await d.detect([raw]), fromDecode);
  await d.close();
});

t.test('rider on a bicycle merges into one non_motor; a pedestrian beside it stays', async (t) => {
  const d = await loadDetector(
    ultralyticsModel([
      { x1: 20, y1: 30, x2: 34, y2: 60, cls: coco('bicycle'), score: 0.8 },
      { x1: 22, y1: 10, x2: 32, y2: 50, cls: coco('person'), score: 0.9 }, // lower half (30..50) inside the bike
      { x1: 40, y1: 20, x2: 48, y2: 60, cls: coco('person'), score: 0.85 },
    ]),
    { intraOpNumThreads: 1 },
  );
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), [
    { cls: 'pedestrian', score: 0.85, box: [40, 20, 48, 60] },
    { cls: 'non_motor', score: 0.9, box: [20, 10, 34, 60] },
  ]);
  await d.close();
});

t.test('rider_merge: false (a model that boxes riders with their bikes): person boxes stay pedestrians', async (t) => {
  const d = await loadDetector(
    ultralyticsModel([
      { x1: 20, y1: 30, x2: 34, y2: 60, cls: coco('bicycle'), score: 0.8 },
      { x1: 22, y1: 10, x2: 32, y2: 50, cls: coco('person'), score: 0.9 },
    ]),
    { intraOpNumThreads: 1, config: { rider_merge: false } },
  );
  const [dets] = await d.detect([flatFrame(0)]);
  t.same(round(dets!), [
    { cls: 'pedestrian', score: 0.9, box: [22, 10, 32, 50] },
    { cls: 'non_motor', score: 0.8, box: [20, 30, 34, 60] },
  ]);
  await d.close();
});

t.test('loading the same model path twice shares one session', async (t) => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-detect-'));
  const file = path.join(dir, 'm.onnx');
  writeFileSync(file, ultralyticsModel(scene));
  const a = await loadDetector(file, { intraOpNumThreads: 1 });
  const b = await loadDetector(file, { intraOpNumThreads: 1 });
  t.same(await a.detect([flatFrame(0)]), await b.detect([flatFrame(0)]));
  await a.close();
  t.equal((await b.detect([flatFrame(0)]))[0]!.length, 2, 'the other handle still works after one closes');
  await b.close();
  await t.rejects(b.detect([flatFrame(0)]), /closed/);
});
