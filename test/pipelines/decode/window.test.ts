// decodeWindow on real ffmpeg with clips whose frames carry their number.
import t from 'tap';
import { copyFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWindow, type DecodeWindowOptions } from '../../../pipelines/decode/window.ts';
import { letterboxFor } from '../../../pipelines/decode/layout.ts';
import type { DecodedFrame } from '../../../pipelines/decode/types.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { FFMPEG, FPS, H, RED, T, W, makeClip, readCounter, segment, tempDir } from './fixtures.ts';

const { dir, cleanup } = await tempDir();
t.teardown(cleanup);
const A = join(dir, 'a.mp4');
const B = join(dir, 'b.mp4');
const TS = join(dir, 'c.ts');
await Promise.all([makeClip(A, { seconds: 4 }), makeClip(B, { seconds: 4, first: 100 }), makeClip(TS, { seconds: 4, container: 'ts' })]);

// 320×240 into 160×160: scale 0.5, image at y 20..140, grey bars above and below.
const detector = letterboxFor(W, H, 160, 160);
const counterOf = (f: DecodedFrame) => readCounter(f.data, 160 * 3, 0.5, 0, 20);

function options(o: Partial<DecodeWindowOptions> & Pick<DecodeWindowOptions, 't0' | 't1' | 'segments'>): DecodeWindowOptions {
  return { ffmpegPath: FFMPEG, detector, ...o };
}

async function collect(o: DecodeWindowOptions) {
  const w = decodeWindow(o);
  const frames: { index: number; t: number; n: number }[] = [];
  for await (const f of w.frames) {
    frames.push({ index: f.index, t: f.t, n: counterOf(f) });
    f.release();
  }
  return { frames, report: w.report() };
}

t.test('trims exactly at both ends and stamps each frame with its source time', async (t) => {
  const seg = segment(A, T, 4);
  const { frames, report } = await collect(options({ t0: T + 1300, t1: T + 2700, segments: [seg] }));
  // Source frames every 40 ms; each 125 ms slot from t0 takes its first frame.
  t.same(frames.map((f) => f.t - T), [1320, 1440, 1560, 1680, 1800, 1960, 2080, 2200, 2320, 2440, 2560, 2680]);
  t.same(frames.map((f) => f.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  for (const f of frames) t.equal(f.t - T, f.n * 1000 / FPS, `frame ${f.n} shown at its own time`);
  t.ok(frames.every((f) => f.t >= T + 1300 && f.t < T + 2700));
  t.match(report, { expectedFrames: 12, deliveredFrames: 12, missingFrames: 0, coveredMs: 1400, gaps: [], complete: true });
});

t.test('a frame exactly at t0 is kept and one exactly at t1 is not', async (t) => {
  const { frames } = await collect(options({ t0: T + 1000, t1: T + 2000, segments: [segment(A, T, 4)], sampleFps: 25 }));
  t.equal(frames.length, 25);
  t.equal(frames[0]!.n, 25);
  t.equal(frames.at(-1)!.n, 49);
});

t.test('a window spanning two segments continues across the boundary', async (t) => {
  const { frames, report } = await collect(options({ t0: T + 3000, t1: T + 5000, segments: [segment(B, T + 4000, 4), segment(A, T, 4)] }));
  t.equal(frames.length, 16);
  t.same(frames.map((f) => f.index), [...Array(16).keys()]);
  const second = frames.filter((f) => f.t >= T + 4000);
  t.equal(second.length, 8);
  t.same(second.map((f) => f.n - 100), second.map((f) => (f.t - T - 4000) / 40), 'frames after 4 s come from the second file, at their times');
  t.equal(report.segments.length, 2);
  t.equal(report.missingFrames, 0);
  t.equal(report.coveredMs, 2000);
});

t.test('a gap between segments is reported and not counted as covered', async (t) => {
  const { frames, report } = await collect(options({ t0: T + 3000, t1: T + 6000, segments: [segment(A, T, 4), segment(B, T + 5000, 4)] }));
  t.same(report.gaps, [{ from: T + 4000, to: T + 5000 }]);
  t.equal(frames.length, 16);
  t.equal(report.coveredMs, 2000);
  t.notOk(frames.some((f) => f.t >= T + 4000 && f.t < T + 5000));
  t.ok(frames.some((f) => f.index === 16), 'slots count on through the gap');
});

t.test('letterbox: output size and pad colour', async (t) => {
  const w = decodeWindow(options({ t0: T, t1: T + 200, segments: [segment(A, T, 4)], padColour: [114, 114, 114] }));
  for await (const f of w.frames) {
    t.equal(f.width, 160);
    t.equal(f.height, 160);
    t.equal(f.data.length, 160 * 160 * 3);
    const px = (x: number, y: number) => [...f.data.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3)];
    t.same(px(5, 5), [114, 114, 114], 'top pad');
    t.same(px(80, 155), [114, 114, 114], 'bottom pad');
    const red = px(Math.round((RED.x + 15) / 2), Math.round(20 + (RED.y + 15) / 2));
    t.ok(red[0]! > 200 && red[1]! < 60 && red[2]! < 60, `red square scaled into place: ${red}`);
    f.release();
  }
});

t.test('signal crops come from their region at full resolution and 2×', async (t) => {
  const signals = [
    { id: 'head', region: { x: RED.x - 5, y: RED.y - 5, width: 40, height: 40 } },
    { id: 'bars', region: { x: 0, y: 0, width: 40, height: 20 } },
  ];
  for (const signalScale of [1, 2]) {
    const w = decodeWindow(options({ t0: T + 400, t1: T + 500, segments: [segment(A, T, 4)], signals, signalScale }));
    for await (const f of w.frames) {
      const head = f.signals.get('head')!;
      t.equal(head.width, 40 * signalScale);
      const at = (x: number, y: number) => [...head.data.subarray(head.offset + y * head.stride + x * 3, head.offset + y * head.stride + x * 3 + 3)];
      const inside = at(20 * signalScale, 20 * signalScale);
      t.ok(inside[0]! > 200 && inside[1]! < 60, `scale ${signalScale}: red inside the square ${inside}`);
      const outside = at(1, 1);
      t.ok(outside[0]! < 100, `scale ${signalScale}: background at the crop corner ${outside}`);
      const bars = f.signals.get('bars')!;
      // Frame 10 = 0b1010: bar 0 (x 0..39) is black.
      t.equal(f.t - T, 400);
      t.ok(bars.data[bars.offset + 5 * bars.stride + 5 * 3]! < 60);
      f.release();
    }
  }
});

t.test('a truncated file reports the frames it lost at its end, not a crash', async (t) => {
  const cut = join(dir, 'cut.mp4');
  await copyFile(A, cut);
  await truncate(cut, Math.floor((await stat(cut)).size * 0.55));
  const { frames, report } = await collect(options({ t0: T, t1: T + 4000, segments: [segment(cut, T, 4)] }));
  t.ok(frames.length > 5 && frames.length < 32, `${frames.length} frames before the cut`);
  const seg = report.segments[0]!;
  t.equal(seg.expectedFrames, 32);
  t.equal(seg.missingFrames, 32 - frames.length);
  t.equal(seg.holes.length, 1);
  t.equal(seg.holes[0]!.reason, 'ended_early');
  t.equal(seg.holes[0]!.to, T + 4000);
  t.ok(report.coveredMs < 4000 && report.coveredMs === frames.length * 125);
});

t.test('a corrupt stretch mid-file is a hole, the rest still decodes', async (t) => {
  const bytes = await readFile(TS);
  const packets = bytes.length / 188;
  const cutTs = join(dir, 'cut.ts');
  await writeFile(cutTs, Buffer.concat([bytes.subarray(0, Math.floor(packets / 3) * 188), bytes.subarray(Math.floor((packets * 2) / 3) * 188)]));
  const { frames, report } = await collect(options({ t0: T, t1: T + 4000, segments: [segment(cutTs, T, 4)] }));
  const seg = report.segments[0]!;
  t.equal(seg.missingFrames, 32 - frames.length);
  t.ok(seg.holes.some((h) => h.reason === 'corrupt' && h.from > T && h.to < T + 4000), JSON.stringify(seg.holes));
  for (const f of frames) t.equal(f.t - T, f.n * 40, 'frames after the hole keep their own time');
});

t.test('no footage: FOOTAGE_MISSING; unreadable file: DECODE_FAILED naming it', async (t) => {
  await t.rejects(collect(options({ t0: T + 10_000, t1: T + 11_000, segments: [segment(A, T, 4)] })), { code: 'FOOTAGE_MISSING' });
  const missing = join(dir, 'nope.mp4');
  const err = await collect(options({ t0: T, t1: T + 1000, segments: [segment(missing, T, 4)] })).catch((e: unknown) => e);
  t.ok(isCrosswatchError(err, 'DECODE_FAILED'));
  t.match((err as Error).message, missing);
  t.match((err as Error).message, /No such file/);
  // One bad file among good ones is reported and the window goes on.
  const { frames, report } = await collect(options({ t0: T + 3000, t1: T + 5000, segments: [segment(A, T, 4), segment(missing, T + 4000, 4)] }));
  t.equal(frames.length, 8);
  t.match(report.segments[1], { path: missing, deliveredFrames: 0, error: { code: 'DECODE_FAILED' } });
});
