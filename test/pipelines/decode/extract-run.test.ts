// extractMany/extractRun: the frames extractFrame finds, from fewer seeks.
import t from 'tap';
import { join } from 'node:path';
import { extractFrame } from '../../../pipelines/decode/extract.ts';
import { extractMany, extractRun } from '../../../pipelines/decode/extract-run.ts';
import { FFMPEG, T, W, makeClip, readCounter, segment, tempDir } from './fixtures.ts';

const { dir, cleanup } = await tempDir();
t.teardown(cleanup);
const A = join(dir, 'a.mp4');
await makeClip(A, { seconds: 4 });
const seg = segment(A, T, 4);
const o = { ffmpegPath: FFMPEG };

t.test('one run gives, time for time, the frame extractFrame gives', async (t) => {
  // Decoded times, times between frames, a repeat, out of order, the very first frame.
  const times = [T + 2000, T + 1010, T + 1025, T + 2000, T + 3960, T, T + 1040];
  const run = await extractRun(seg, times, o);
  t.equal(run.length, times.length);
  for (const [i, tm] of times.entries()) {
    const one = await extractFrame(seg, tm, o);
    t.equal(run[i]!.t, one.t, `t for ${tm - T}`);
    t.equal(readCounter(run[i]!.data, W * 3), readCounter(one.data, W * 3), `counter for ${tm - T}`);
    t.ok(run[i]!.data.equals(one.data), `pixels for ${tm - T}`);
  }
  t.equal(run[0], run[3], 'a repeated time shares its frame');
});

t.test('many: split by file and by gap, in the caller\'s order; a time without footage is FOOTAGE_MISSING', async (t) => {
  const B = join(dir, 'b.mp4');
  await makeClip(B, { seconds: 4, first: 100 });
  const segs = [segment(B, T + 4000, 4), seg];
  const frames = await extractMany(segs, [T + 4400, T + 3960, T + 200, T + 4000], { ...o, gapS: 1 });
  t.same(frames.map((f) => f.t - T), [4400, 3960, 200, 4000]);
  t.same(frames.map((f) => readCounter(f.data, W * 3)), [110, 99, 5, 100]);
  await t.rejects(extractMany([seg], [T + 5000], o), { code: 'FOOTAGE_MISSING' });
  await t.rejects(extractRun(seg, [T + 9000], o), { code: 'DECODE_FAILED' });
});
