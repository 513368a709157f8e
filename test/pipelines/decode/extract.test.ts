// extractFrame finds, at full resolution, the very frame the decoder delivered.
import t from 'tap';
import { join } from 'node:path';
import { decodeWindow } from '../../../pipelines/decode/window.ts';
import { extractFrame, extractMoments } from '../../../pipelines/decode/extract.ts';
import { letterboxFor } from '../../../pipelines/decode/layout.ts';
import { FFMPEG, H, RED, T, W, makeClip, readCounter, segment, tempDir } from './fixtures.ts';

const { dir, cleanup } = await tempDir();
t.teardown(cleanup);
const A = join(dir, 'a.mp4');
await makeClip(A, { seconds: 4 });
const seg = segment(A, T, 4);

t.test('the frame at a decoded time, full size, same content', async (t) => {
  const w = decodeWindow({ ffmpegPath: FFMPEG, t0: T + 2100, t1: T + 2600, segments: [seg], detector: letterboxFor(W, H, 160, 160) });
  for await (const f of w.frames) {
    const full = await extractFrame(seg, f.t, { ffmpegPath: FFMPEG });
    t.equal(full.t, f.t);
    t.equal(full.width, W);
    t.equal(full.height, H);
    t.equal(full.data.length, W * H * 3);
    t.equal(readCounter(full.data, W * 3), (f.t - T) / 40, 'the burnt-in number matches the time');
    const i = ((RED.y + 15) * W + RED.x + 15) * 3;
    t.ok(full.data[i]! > 200 && full.data[i + 1]! < 60, 'red square where it was drawn');
    f.release();
  }
});

t.test('a time between frames gives the nearest frame; a missing file is DECODE_FAILED', async (t) => {
  t.equal((await extractFrame(seg, T + 1010, { ffmpegPath: FFMPEG })).t, T + 1000);
  t.equal((await extractFrame(seg, T + 1025, { ffmpegPath: FFMPEG })).t, T + 1040);
  await t.rejects(extractFrame(segment(join(dir, 'none.mp4'), T, 4), T, { ffmpegPath: FFMPEG }), { code: 'DECODE_FAILED' });
  await t.rejects(extractFrame(seg, T + 9000, { ffmpegPath: FFMPEG }), { code: 'DECODE_FAILED', message: /no frame/ });
});

t.test('moments across two files come from the file that holds each time', async (t) => {
  const B = join(dir, 'b.mp4');
  await makeClip(B, { seconds: 4, first: 100 });
  const frames = await extractMoments([segment(B, T + 4000, 4), seg], [T + 3960, T + 4000, T + 4400], { ffmpegPath: FFMPEG });
  t.same(frames.map((f) => f.t - T), [3960, 4000, 4400]);
  t.same(frames.map((f) => readCounter(f.data, W * 3)), [99, 100, 110]);
  await t.rejects(extractMoments([seg], [T + 5000], { ffmpegPath: FFMPEG }), { code: 'FOOTAGE_MISSING' });
});
