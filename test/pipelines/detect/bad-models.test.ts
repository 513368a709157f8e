// Issue 4 item 6: bad input fails at load, saying what is wrong and where.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDetector } from '../../../pipelines/detect/detector.ts';
import { parseModelConfig } from '../../../pipelines/detect/model-config.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { knownOutputModel } from '../../../models/onnx/fixtures.ts';
import { GraphBuilder } from '../../../models/onnx/writer.ts';
import { ANCHORS, SIZE, coco, crosswatchModel, end2endModel, ultralyticsModel } from './layout-models.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bad-models-'));
const write = (name: string, bytes: Uint8Array | string) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const float = { type: 'float', layout: 'NCHW', width: SIZE, height: SIZE } as const;

async function rejectsModelInvalid(t: Tap, p: Promise<unknown>, re: RegExp) {
  try {
    await p;
    t.fail('expected MODEL_INVALID');
  } catch (err) {
    t.ok(isCrosswatchError(err, 'MODEL_INVALID'), `code MODEL_INVALID (${(err as Error).message})`);
    t.match((err as Error).message, re);
  }
}
type Tap = Pick<typeof t, 'ok' | 'fail' | 'match'>;

t.test('outputs of no known layout: names the shapes found and the layouts known', async (t) => {
  const p = write('odd.onnx', knownOutputModel({ input: float, shape: [7, 100], values: new Float32Array(700), outputName: 'weird' }));
  await rejectsModelInvalid(t, loadDetector(p), /odd\.onnx: its outputs weird \[1, 7, 100\] \(input 96x96\) match no known layout; known layouts:\n  ultralytics: \[B, 4\+nc, N\].*\n  yolov5: .*\n  yolox: .*\n  end2end: .*\n  crosswatch: /s);
});

t.test('two outputs: both shapes named', async (t) => {
  const bytes = knownOutputModel({
    input: float, shape: [84, ANCHORS], values: new Float32Array(84 * ANCHORS),
    extraOutputs: [{ name: 'proto', shape: [32, 24, 24], values: new Float32Array(32 * 24 * 24) }],
  });
  await rejectsModelInvalid(t, loadDetector(bytes), /outputs output0 \[1, 84, 189\], proto \[1, 32, 24, 24\] .* match no known layout/);
});

t.test('layout named by the config that the outputs do not fit', async (t) => {
  await rejectsModelInvalid(t, loadDetector(ultralyticsModel([]), { config: { layout: 'yolov5' } }), /do not fit layout "yolov5" \(named by the model config\), which expects \[B, N, 5\+nc\]/);
});

t.test('crosswatch metadata naming an unknown layout', async (t) => {
  await rejectsModelInvalid(t, loadDetector(crosswatchModel([], { metadata: { 'crosswatch.layout': 'ssd' } })), /crosswatch.layout "ssd" is not one of/);
});

t.test('class names: count mismatch and none at all', async (t) => {
  await rejectsModelInvalid(t, loadDetector(ultralyticsModel([], { nc: 3, metadata: { names: "{0: 'car', 1: 'bus'}" } })), /3 classes but the model metadata names lists 2/);
  await rejectsModelInvalid(t, loadDetector(ultralyticsModel([], { nc: 3 })), /3 classes but no class names; give "classes" in the model config/);
});

t.test('class map naming classes the model lacks fails validation with its path', async (t) => {
  const names = "{0: 'car', 1: 'person', 2: 'bicycle'}";
  await rejectsModelInvalid(
    t,
    loadDetector(ultralyticsModel([], { nc: 3, metadata: { names } }), { config: { class_map: { car: 'vehicle', tram: 'large_vehicle' } } }),
    /class map is invalid:\n  \/class_map\/tram: the model has no class "tram" \(it has "car", "person", "bicycle"\)/,
  );
});

t.test('Ultralytics names metadata and a user class map are used', async (t) => {
  const names = "{0: 'car', 1: 'person', 2: \"rider's bike\"}";
  const d = await loadDetector(
    ultralyticsModel([{ x1: 1, y1: 1, x2: 9, y2: 9, cls: 2, score: 0.9 }], { nc: 3, metadata: { names } }),
    { config: { class_map: { car: 'vehicle', "rider's bike": 'non_motor' } }, intraOpNumThreads: 1 },
  );
  t.same(d.modelClasses, ['car', 'person', "rider's bike"]);
  const [dets] = await d.detect([{ index: 0, t: 0, width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 3) }]);
  t.equal(dets![0]!.cls, 'non_motor');
  await d.close();
});

t.test('missing model file names the path', async (t) => {
  const p = path.join(dir, 'nope', 'model.onnx');
  await rejectsModelInvalid(t, loadDetector(p), new RegExp(`cannot read model ${p.replace(/[.]/g, '\\.')}: no such file`));
});

t.test('corrupt bytes name the path', async (t) => {
  const junk = write('junk.onnx', 'this is not a protobuf \xff\xfe');
  await rejectsModelInvalid(t, loadDetector(junk), /junk\.onnx is not an ONNX model \(corrupt or truncated\?\)/);
  const good = ultralyticsModel([]);
  const truncated = write('truncated.onnx', good.subarray(0, good.length >> 1));
  await rejectsModelInvalid(t, loadDetector(truncated), /truncated\.onnx is not an ONNX model \(corrupt or truncated\?\)/);
  const empty = write('empty.onnx', '');
  await rejectsModelInvalid(t, loadDetector(empty), /empty\.onnx is not an ONNX model \(corrupt or truncated\?\)/);
});

t.test('a model ONNX Runtime rejects names the path', async (t) => {
  const g = new GraphBuilder();
  const x = g.input('images', 'float', [1, 3, SIZE, SIZE]);
  g.output(g.op('NoSuchOp', [x]), 'out', 'float', [1, 3, SIZE, SIZE]);
  await rejectsModelInvalid(t, loadDetector(write('badop.onnx', g.encode())), /ONNX Runtime cannot load model .*badop\.onnx: .*NoSuchOp/s);
});

t.test('inputs we cannot feed', async (t) => {
  const g = new GraphBuilder();
  const x = g.input('images', 'float', [1, 1, SIZE, SIZE]);
  g.output(g.op('Identity', [x]), 'out', 'float', [1, 1, SIZE, SIZE]);
  await rejectsModelInvalid(t, loadDetector(g.encode()), /input images has shape \[1, 1, 96, 96\]; expected \[B, H, W, 3\] or \[B, 3, H, W\]/);
  const dyn = knownOutputModel({ input: { ...float, width: 'w', height: 'h' }, shape: [84, ANCHORS], values: new Float32Array(84 * ANCHORS) });
  await rejectsModelInvalid(t, loadDetector(dyn), /dynamic size \[batch, 3, h, w\]; give "input"/);
  const d = await loadDetector(dyn, { config: { input: { width: SIZE, height: SIZE } }, intraOpNumThreads: 1 });
  t.equal(d.layout, 'ultralytics', 'a dynamic input works with the configured size');
  await d.close();
});

t.test('model config: every error names its JSON path', async (t) => {
  const bad = { layout: 'ssd', classes: ['car', ''], class_map: { car: 3 }, score_threshold: 2, nms_iou: 0, cross_class_iou: 1.5, rider_score_ratio: 2, rider_merge: 'no', max_detections: 1.5, input: { width: -1 }, strides: [8, 'x'], letterbox: 'right', colour: 'blue' };
  try {
    parseModelConfig(bad, 'm.json');
    t.fail('expected MODEL_INVALID');
  } catch (err) {
    t.ok(isCrosswatchError(err, 'MODEL_INVALID'));
    const paths = ((err as { details: { issues: { path: string }[] } }).details.issues).map((i) => i.path);
    t.same(paths, ['/layout', '/classes/1', '/class_map/car', '/score_threshold', '/nms_iou', '/cross_class_iou', '/rider_score_ratio', '/rider_merge', '/max_detections', '/input/width', '/input/height', '/strides/1', '/letterbox', '/colour']);
    t.match((err as Error).message, /model config m\.json is invalid:\n  \/layout: must be one of "ultralytics"/);
  }
  t.same(parseModelConfig({ layout: 'yolox', score_threshold: 0.3 }, 'ok.json'), { layout: 'yolox', score_threshold: 0.3 });
});

t.test('config file beside the model is picked up; a broken one names its path', async (t) => {
  const model = write('e2e.onnx', end2endModel([{ x1: 1, y1: 1, x2: 9, y2: 9, cls: coco('car'), score: 0.4 }]));
  write('e2e.json', JSON.stringify({ score_threshold: 0.5 }));
  const d = await loadDetector(model, { intraOpNumThreads: 1 });
  const [dets] = await d.detect([{ index: 0, t: 0, width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 3) }]);
  t.same(dets, [], 'score 0.4 is below the configured 0.5');
  await d.close();
  const model2 = write('e2e-broken.onnx', end2endModel([]));
  const cfg = write('e2e-broken.json', '{ "layout": ');
  await rejectsModelInvalid(t, loadDetector(model2), new RegExp(`model config ${cfg.replace(/[.]/g, '\\.')} is not JSON`));
});

t.test('outputs that fit two layouts ask for the layout in the config', async (t) => {
  // At 64×64 there are 84 anchors: [1, 84, 84] is Ultralytics (80 classes) or YOLOX (79).
  const input = { type: 'float', layout: 'NCHW', width: 64, height: 64 } as const;
  const bytes = knownOutputModel({ input, shape: [84, 84], values: new Float32Array(84 * 84) });
  await rejectsModelInvalid(t, loadDetector(bytes), /fit several layouts \(ultralytics, yolox\); name one as "layout" in the model config/);
  const d = await loadDetector(bytes, { config: { layout: 'ultralytics' }, intraOpNumThreads: 1 });
  t.equal(d.layout, 'ultralytics');
  await d.close();
});
