// Writing a clip: PATH.mp4, PATH.gt.json.gz and PATH.sites.json. The only
// module of the twin that touches the file system (with archive-write.ts).
// Each file is written under a hidden temporary name (.NAME.partial, which
// the catalog ignores) and renamed into place when complete, the ground truth
// last: a killed run leaves no half clip under a final name, and a clip whose
// ground truth exists is a finished one.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
  /** x264 options on top of the preset (see EncoderOptions.x264Params). */
  x264Params?: string;
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

/** The hidden name a file is written under until it is complete. */
export function partialPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.partial`);
}

/** Writes a file under its partial name, then renames it into place. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = partialPath(file);
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export async function writeGroundTruth(file: string, gt: GroundTruth): Promise<void> {
  await writeFileAtomic(file, await gz(Buffer.from(JSON.stringify(gt))));
}

export async function readGroundTruth(file: string): Promise<GroundTruth> {
  return JSON.parse((await gunz(await readFile(file))).toString('utf8')) as GroundTruth;
}

export async function writeClip(opts: WriteClipOptions): Promise<WrittenClip> {
  const paths = clipPaths(opts.out);
  await mkdir(path.dirname(paths.video), { recursive: true });
  // An old ground truth must not vouch for the new video while it is being written.
  await rm(paths.groundTruth, { force: true });
  const clip = simulateClip(opts);
  const { width, height, fps } = clip.options;
  const tmpVideo = partialPath(paths.video);
  // A fresh file: an ffmpeg left over from a killed run may still hold the old one open.
  await rm(tmpVideo, { force: true });
  const encoder = startEncoder({ ffmpegPath: opts.ffmpegPath, out: tmpVideo, width, height, fps, crf: lookOf(clip.conditions).crf, ...(opts.preset ? { preset: opts.preset } : {}), ...(opts.x264Params !== undefined ? { x264Params: opts.x264Params } : {}) });
  try {
    try {
      await renderFrames(clip, encoder);
    } finally {
      await encoder.finish();
    }
  } catch (err) {
    await rm(tmpVideo, { force: true });
    throw err;
  }
  await rename(tmpVideo, paths.video);
  const writeSites = opts.writeSites ?? true;
  if (writeSites) await writeFileAtomic(paths.sites, JSON.stringify(clip.sites, null, 2) + '\n');
  await writeGroundTruth(paths.groundTruth, clip.groundTruth);
  return { video: paths.video, groundTruth: paths.groundTruth, sites: writeSites ? paths.sites : null, clip };
}
