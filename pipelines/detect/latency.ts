// Latency of a detector as the eval reports it: batch 1, after one warm-up
// pass, median over every frame of every run (the median ignores the odd
// slow run caused by another process on the shared cores).
import type { Frame } from '../types.ts';
import type { Detector, LetterboxedFrame } from './types.ts';

/** Median milliseconds per frame over `runs` passes through `frames`, one frame per call. */
export async function measureLatency(detector: Detector, frames: readonly (Frame | LetterboxedFrame)[], runs = 5): Promise<number> {
  if (frames.length === 0 || runs < 1) throw new RangeError('measureLatency needs at least one frame and one run');
  for (const f of frames) await detector.detect([f]);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    for (const f of frames) {
      const t0 = process.hrtime.bigint();
      await detector.detect([f]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return median(times);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
