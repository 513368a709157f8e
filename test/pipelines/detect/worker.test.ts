import t from 'tap';
import { loadDetector } from '../../../pipelines/detect/detector.ts';
import { loadDetectorInWorker } from '../../../pipelines/detect/worker.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { coco, flatFrame, ultralyticsModel } from './layout-models.ts';

const scene = [
  { x1: 10, y1: 10, x2: 30, y2: 24, cls: coco('car'), score: 0.9 },
  { x1: 36, y1: 30, x2: 60, y2: 50, cls: coco('person'), score: 0.7 },
];

t.test('the worker detector gives the same results as the in-process one', async (t) => {
  const bytes = ultralyticsModel(scene, { shift: true, input: 'uint8-nhwc' });
  const local = await loadDetector(bytes, { intraOpNumThreads: 1 });
  const remote = await loadDetectorInWorker(bytes, { intraOpNumThreads: 1 });
  t.same(remote.inputSpec, local.inputSpec);
  t.equal(remote.layout, 'ultralytics');
  const frames = [flatFrame(0), flatFrame(5, undefined, 1)];
  const [a, b] = await Promise.all([remote.detect(frames), remote.detect([frames[1]!])]);
  t.same(a, await local.detect(frames));
  t.same(b, [a![1]]);
  await remote.close();
  await t.rejects(remote.detect(frames), /closed/);
  await local.close();
});

t.test('load errors cross the thread with their code', async (t) => {
  try {
    await loadDetectorInWorker('/nonexistent/model.onnx');
    t.fail('expected MODEL_INVALID');
  } catch (err) {
    t.ok(isCrosswatchError(err, 'MODEL_INVALID'));
    t.match((err as Error).message, /cannot read model \/nonexistent\/model\.onnx/);
  }
});
