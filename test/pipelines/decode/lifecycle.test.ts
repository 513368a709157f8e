// Abort, early exit and backpressure: no ffmpeg left behind, memory bounded.
import t from 'tap';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeWindow } from '../../../pipelines/decode/window.ts';
import { letterboxFor } from '../../../pipelines/decode/layout.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { FFMPEG, H, T, W, makeClip, segment, tempDir } from './fixtures.ts';

const { dir, cleanup } = await tempDir();
t.teardown(cleanup);
const A = join(dir, 'a.mp4');
await makeClip(A, { seconds: 4 });
const base = { ffmpegPath: FFMPEG, t0: T, t1: T + 4000, segments: [segment(A, T, 4)], detector: letterboxFor(W, H, 160, 160), sampleFps: 25 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

t.test('abort kills ffmpeg and the iterator rejects with ABORTED', async (t) => {
  const controller = new AbortController();
  const pids: number[] = [];
  const w = decodeWindow({ ...base, signal: controller.signal, onSpawn: (pid) => pids.push(pid) });
  let seen = 0;
  const err = await (async () => {
    for await (const f of w.frames) {
      f.release();
      if (++seen === 3) {
        t.ok(alive(pids[0]!), 'ffmpeg runs while frames flow');
        controller.abort();
      }
    }
  })().catch((e: unknown) => e);
  t.ok(isCrosswatchError(err, 'ABORTED'), String(err));
  t.equal(pids.length, 1);
  t.notOk(alive(pids[0]!), 'ffmpeg is gone once the iterator has settled');
  t.notOk(w.report().complete);
});

t.test('an already aborted signal starts nothing', async (t) => {
  const pids: number[] = [];
  const w = decodeWindow({ ...base, signal: AbortSignal.abort(), onSpawn: (pid) => pids.push(pid) });
  await t.rejects(w.frames.next(), { code: 'ABORTED' });
  t.equal(pids.length, 0);
});

t.test('breaking out of the loop ends ffmpeg', async (t) => {
  const pids: number[] = [];
  const w = decodeWindow({ ...base, onSpawn: (pid) => pids.push(pid) });
  for await (const f of w.frames) {
    f.release();
    break;
  }
  t.equal(pids.length, 1);
  t.notOk(alive(pids[0]!));
});

t.test('a slow consumer holds ffmpeg back: buffers stay bounded', async (t) => {
  const queueSize = 2;
  const w = decodeWindow({ ...base, queueSize });
  let n = 0;
  let peak = 0;
  for await (const f of w.frames) {
    await sleep(5);
    peak = Math.max(peak, w.report().buffersAllocated);
    f.release();
    n++;
  }
  t.equal(n, 100);
  t.ok(peak <= queueSize + 3, `at most ${queueSize + 3} frame buffers for 100 frames (peak ${peak})`);
  t.equal(w.report().frameBytes, 160 * 160 * 3);
});

t.test('a consumer that keeps its frames only costs what it keeps', async (t) => {
  const w = decodeWindow({ ...base, queueSize: 2 });
  const kept = [];
  for await (const f of w.frames) {
    kept.push(f);
    await sleep(2);
    t.ok(w.report().buffersAllocated <= kept.length + 2 + 3);
    if (kept.length === 20) break;
  }
  t.equal(new Set(kept.map((f) => f.data.buffer)).size, 20, 'frames kept are never overwritten');
});
