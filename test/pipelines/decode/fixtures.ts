// Test clips made with ffmpeg's lavfi sources (no fonts needed). Each frame
// carries its number as 8 bars across the top 2/3 (bar b white = bit b of
// number), so any output, scaled or not, tells which source frame it shows.
// A red 30×30 square sits at (250, 180) for the signal-crop tests.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import type { FootageSegment } from '../../../pipelines/decode/types.ts';

const run = promisify(execFile);
export const FFMPEG: string = process.env.FFMPEG_PATH ?? (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;

export const W = 320;
export const H = 240;
export const FPS = 25;
export const RED = { x: 250, y: 180, width: 30, height: 30 };
/** A fixed UTC instant: 2024-05-01T00:00:00Z. */
export const T = Date.UTC(2024, 4, 1);

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-decode-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A clip of `seconds` whose frame n shows number n + first; keyframe every second. */
export async function makeClip(file: string, o: { seconds: number; first?: number; container?: 'mp4' | 'ts' }): Promise<void> {
  const first = o.first ?? 0;
  const geq = `geq=lum='if(lt(Y,160),255*mod(floor((N+${first})/pow(2,floor(X*8/W))),2),60)':cb=128:cr=128`;
  const box = `drawbox=x=${RED.x}:y=${RED.y}:w=${RED.width}:h=${RED.height}:color=red:t=fill`;
  const container = o.container === 'ts' ? ['-f', 'mpegts'] : ['-movflags', '+faststart'];
  await run(FFMPEG, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=gray:s=${W}x${H}:r=${FPS}:d=${o.seconds}`,
    '-vf', `${geq},${box}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '10', '-g', String(FPS), '-pix_fmt', 'yuv420p',
    ...container, file,
  ]);
}

export function segment(path: string, startsAt: number, seconds: number): FootageSegment {
  return { path, startsAt, endsAt: startsAt + seconds * 1000, fps: FPS, width: W, height: H };
}

/** The frame number drawn into an RGB image of the whole source frame, scaled by `scale` and offset by (dx, dy). */
export function readCounter(data: Uint8Array, stride: number, scale = 1, dx = 0, dy = 0): number {
  let n = 0;
  for (let b = 0; b < 8; b++) {
    const x = Math.round(dx + (b * 40 + 20) * scale);
    const y = Math.round(dy + 80 * scale);
    if (data[y * stride + x * 3]! > 128) n |= 1 << b;
  }
  return n;
}
