// detectMoving: frame buffers go to the detector worker and come back instead
// of being copied; same detections, the caller's buffers detached meanwhile,
// and a detached frame refused at once rather than never answered.
import t from 'tap';
import { loadDetector } from '../../../pipelines/detect/detector.ts';
import { distinctBuffers, loadDetectorInWorker } from '../../../pipelines/detect/worker.ts';
import { coco, flatFrame, ultralyticsModel } from './layout-models.ts';

const scene = [
  { x1: 10, y1: 10, x2: 30, y2: 24, cls: coco('car'), score: 0.9 },
  { x1: 36, y1: 30, x2: 60, y2: 50, cls: coco('person'), score: 0.7 },
];

t.test('moved frames give the copied frames\' detections and come back whole', async (t) => {
  const bytes = ultralyticsModel(scene, { shift: true, input: 'uint8-nhwc' });
  const local = await loadDetector(bytes, { intraOpNumThreads: 1 });
  const remote = await loadDetectorInWorker(bytes, { intraOpNumThreads: 1 });
  t.teardown(async () => {
    await remote.close();
    await local.close();
  });
  const frames = [flatFrame(0), flatFrame(5, undefined, 1)];
  const expected = await local.detect(frames);
  // Each frame a view at the start of a larger buffer, as the decoder's packed frames are.
  const packed = frames.map((f) => {
    const whole = new Uint8Array(f.data.length + 1000).fill(7);
    whole.set(f.data);
    return { ...f, data: whole.subarray(0, f.data.length) };
  });
  const originals = packed.map((f) => f.data.buffer);
  const pending = remote.detectMoving!(packed);
  t.equal(originals[0]!.byteLength, 0, 'the caller\'s buffer is detached while the worker has it');
  const { detections, buffers } = await pending;
  t.same(detections, expected);
  t.equal(buffers.length, 2);
  const back = new Uint8Array(buffers[1]!);
  t.equal(back.length, frames[1]!.data.length + 1000, 'the whole packed buffer comes back');
  t.same(back.subarray(0, frames[1]!.data.length), frames[1]!.data, 'with its pixels');
  t.equal(back[back.length - 1], 7, 'and the bytes past the frame');
});

t.test('a detached frame is refused, not left unanswered', async (t) => {
  const remote = await loadDetectorInWorker(ultralyticsModel(scene, { input: 'uint8-nhwc' }), { intraOpNumThreads: 1 });
  t.teardown(() => remote.close());
  const f = flatFrame(0);
  await remote.detectMoving!([f]);
  await t.rejects(remote.detectMoving!([f]), /frame 0: its buffer is detached/);
  await t.rejects(remote.detect([f]), /detached/);
});

t.test('distinctBuffers names each buffer once, in first-use order', async (t) => {
  const a = new Uint8Array(8);
  const b = new Uint8Array(8);
  const frame = (data: Uint8Array) => ({ index: 0, t: 0, width: 1, height: 1, data });
  const got = distinctBuffers([frame(a.subarray(0, 3)), frame(b), frame(a.subarray(3))]);
  t.equal(got.length, 2);
  t.equal(got[0], a.buffer);
  t.equal(got[1], b.buffer);
});
