// Tiny test clips made by ffmpeg (lavfi testsrc), a few KB each.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadConfig } from '../../services/config.ts';
import { mediaBinaries } from '../../services/media/binaries.ts';

const run = promisify(execFile);

export const binaries = mediaBinaries(loadConfig());

export interface ClipOptions {
  seconds: number;
  /** Written as the container's creation_time tag (ISO UTC). */
  creationTime?: string;
  /** Put the index (moov) first, as many NVRs do. */
  faststart?: boolean;
  fps?: number;
}

export async function makeClip(file: string, opts: ClipOptions): Promise<void> {
  const args = ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=64x48:rate=${opts.fps ?? 10}`, '-t', String(opts.seconds)];
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (opts.creationTime) args.push('-metadata', `creation_time=${opts.creationTime}`);
  if (opts.faststart) args.push('-movflags', '+faststart');
  await run(binaries.ffmpeg, [...args, '-y', file]);
}
