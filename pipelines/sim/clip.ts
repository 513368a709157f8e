// Writing a clip: PATH.mp4, PATH.gt.json.gz and PATH.sites.json. The only
// module of the twin that touches the file system.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { lookOf } from './conditions.ts';
import { startEncoder } from './encoder.ts';
import type { GroundTruth } from './ground-truth.ts';
import { renderFrames, simulateClip, type ClipOptions, type SimulatedClip } from './render.ts';

const gz = promisify(gzip);
const gunz = promisify(gunzip);

export interface WriteClipOptions extends ClipOptions {
  /** Output path without extension (a trailing .mp4 is accepted and dropped). */
  out: string;
  ffmpegPath: string;
  /** Also write PATH.sites.json (default true). */
  writeSites?: boolean;
  /** x264 preset (default veryfast). */
  preset?: string;
}

export interface WrittenClip {
  video: string;
  groundTruth: string;
  sites: string | null;
  clip: SimulatedClip;
}

export function clipPaths(out: string): { base: string; video: string; groundTruth: string; sites: string } {
  const base = out.endsWith('.mp4') ? out.slice(0, -4) : out;
  return { base, video: `${base}.mp4`, groundTruth: `${base}.gt.json.gz`, sites: `${base}.sites.json` };
}

export async function writeGroundTruth(file: string, gt: GroundTruth): Promise<void> {
  await writeFile(file, await gz(Buffer.from(JSON.stringify(gt))));
}

export async function readGroundTruth(file: string): Promise<GroundTruth> {
  return JSON.parse((await gunz(await readFile(file))).toString('utf8')) as GroundTruth;
}

export async function writeClip(opts: WriteClipOptions): Promise<WrittenClip> {
  const paths = clipPaths(opts.out);
  await mkdir(path.dirname(paths.video), { recursive: true });
  const clip = simulateClip(opts);
  const { width, height, fps } = clip.options;
  const encoder = startEncoder({ ffmpegPath: opts.ffmpegPath, out: paths.video, width, height, fps, crf: lookOf(clip.conditions).crf, ...(opts.preset ? { preset: opts.preset } : {}) });
  try {
    await renderFrames(clip, encoder);
  } finally {
    await encoder.finish();
  }
  await writeGroundTruth(paths.groundTruth, clip.groundTruth);
  const writeSites = opts.writeSites ?? true;
  if (writeSites) await writeFile(paths.sites, JSON.stringify(clip.sites, null, 2) + '\n');
  return { video: paths.video, groundTruth: paths.groundTruth, sites: writeSites ? paths.sites : null, clip };
}
