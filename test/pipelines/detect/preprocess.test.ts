import t from 'tap';
import { letterbox } from '../../../pipelines/detect/letterbox.ts';
import { letterboxRgb, toInputTensor } from '../../../pipelines/detect/preprocess.ts';
import type { InputSpec } from '../../../pipelines/detect/types.ts';

const spec = (o: Partial<InputSpec>): InputSpec => ({ name: 'images', width: 2, height: 2, layout: 'NHWC', dtype: 'uint8', maxBatch: Infinity, range: '0-1', ...o });
const frame = (bytes: number[], index = 0) => ({ index, t: 0, width: 2, height: 2, data: Uint8Array.from(bytes) });
const px = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];

t.test('uint8 NHWC, one frame: the frame buffer is the tensor (no copy)', async (t) => {
  const f = frame(px);
  const out = toInputTensor([f], spec({}));
  t.equal(out.data, f.data);
  t.same(out.dims, [1, 2, 2, 3]);
});

t.test('uint8 NHWC, batch: frames stacked', async (t) => {
  const out = toInputTensor([frame(px), frame(px.map((v) => v + 1), 1)], spec({}));
  t.same(Array.from(out.data.subarray(12, 15)), [11, 21, 31]);
  t.same(out.dims, [2, 2, 2, 3]);
});

t.test('float32 NCHW: planes, / 255', async (t) => {
  const out = toInputTensor([frame(px)], spec({ layout: 'NCHW', dtype: 'float32' }));
  t.same(out.dims, [1, 3, 2, 2]);
  t.same(Array.from(out.data, (v) => Math.round(v * 255)), [10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120]);
});

t.test('float32 NCHW 0-255 (YOLOX) and float32 NHWC', async (t) => {
  t.same(Array.from(toInputTensor([frame(px)], spec({ layout: 'NCHW', dtype: 'float32', range: '0-255' })).data.subarray(0, 4)), [10, 40, 70, 100]);
  t.same(Array.from(toInputTensor([frame(px)], spec({ dtype: 'float32', range: '0-255' })).data), px);
});

t.test('rejects a frame of the wrong size', async (t) => {
  t.throws(() => toInputTensor([{ ...frame(px), width: 3 }], spec({})), /takes 2x2 RGB24/);
});

t.test('JS letterbox: content scaled, padding grey, exact placement', async (t) => {
  // 4×2 source, left half black, right half white → 4×4 model: content 4×2 at padY 1.
  const src = new Uint8Array(4 * 2 * 3);
  for (let y = 0; y < 2; y++) for (let x = 2; x < 4; x++) src.fill(255, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
  const lb = letterbox({ width: 4, height: 2 }, { width: 4, height: 4 });
  const out = letterboxRgb({ index: 0, t: 0, width: 4, height: 2, data: src }, lb);
  const row = (y: number) => Array.from({ length: 4 }, (_, x) => out.data[(y * 4 + x) * 3]);
  t.same(row(0), [114, 114, 114, 114]);
  t.same(row(1), [0, 0, 255, 255]);
  t.same(row(2), [0, 0, 255, 255]);
  t.same(row(3), [114, 114, 114, 114]);
});
