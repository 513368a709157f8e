// Renders an archive plan: DIR/<camera>/<YYYY-MM-DD>/<HH-MM-SS>.mp4 with its
// .gt.json.gz beside it, and DIR/sites.json for every intersection.
// Resumable: a clip is written under hidden partial names and renamed into
// place, ground truth last (clip.ts), so a clip whose ground truth is there
// and matches the plan is finished and a re-run into the same folder skips
// it; one cut short by a killed run is rendered again.
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { planArchive, type ArchivePlanOptions, type PlannedClip } from './archive.ts';
import { clipPaths, readGroundTruth, writeClip, writeFileAtomic } from './clip.ts';
import type { GroundTruth } from './ground-truth.ts';
import { sitesFor } from './sites-for.ts';

export interface WriteArchiveOptions extends ArchivePlanOptions {
  out: string;
  ffmpegPath: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Called after each clip (progress bars); skipped: it was already on disk from an earlier run. */
  onClip?: (clip: PlannedClip, index: number, total: number, skipped: boolean) => void;
}

export interface WrittenArchive {
  sites: string;
  clips: number;
  /** Clips found finished from an earlier run and left as they were. */
  skipped: number;
  counts: Record<string, { exposures: number; violations: number }>;
}

export async function writeArchive(o: WriteArchiveOptions): Promise<WrittenArchive> {
  const { profiles, clips } = planArchive(o);
  const width = o.width ?? 1280;
  const height = o.height ?? 720;
  const fps = o.fps ?? 25;
  await mkdir(o.out, { recursive: true });
  const sites = {
    format: 'crosswatch-sites/1' as const,
    intersections: profiles.map((p) => {
      const one = sitesFor({ seed: p.seed, layout: p.layout, width, height, cameraCode: p.cameraCode, intersectionCode: p.code, intersectionName: p.name, timeZone: o.timeZone });
      return { ...one.intersections[0]!, district: `Simulated district (${p.trend})` };
    }),
  };
  const sitesPath = path.join(o.out, 'sites.json');
  await writeFileAtomic(sitesPath, JSON.stringify(sites, null, 2) + '\n');
  const counts: WrittenArchive['counts'] = {};
  let skipped = 0;
  for (let i = 0; i < clips.length; i++) {
    const c = clips[i]!;
    const out = path.join(o.out, c.relPath);
    const found = await finishedClip(out, c, { seconds: o.clipSeconds, width, height, fps, timeZone: o.timeZone });
    if (found) skipped++;
    const gt = found ?? (await renderClip(o, c, out, { width, height, fps }));
    for (const [cat, v] of Object.entries(gt.counts)) {
      const acc = (counts[cat] ??= { exposures: 0, violations: 0 });
      acc.exposures += v.exposures;
      acc.violations += v.violations;
    }
    o.onClip?.(c, i, clips.length, found !== null);
  }
  return { sites: sitesPath, clips: clips.length, skipped, counts };
}

async function renderClip(o: WriteArchiveOptions, c: PlannedClip, out: string, size: { width: number; height: number; fps: number }): Promise<GroundTruth> {
  const written = await writeClip({
    seed: c.seed,
    seconds: o.clipSeconds,
    conditions: c.conditions,
    layout: c.intersection.layout,
    start: c.start,
    timeZone: o.timeZone,
    cameraCode: c.intersection.cameraCode,
    intersectionCode: c.intersection.code,
    intersectionName: c.intersection.name,
    behaviour: c.behaviour,
    out,
    ffmpegPath: o.ffmpegPath,
    writeSites: false,
    ...size,
  });
  return written.clip.groundTruth;
}

/**
 * The ground truth of a clip already on disk, when it is finished and is the
 * planned one (same seed, start, camera, size, rate, length and conditions);
 * null when the clip is missing, cut short or from another plan.
 */
async function finishedClip(out: string, c: PlannedClip, o: { seconds: number; width: number; height: number; fps: number; timeZone: string }): Promise<GroundTruth | null> {
  const paths = clipPaths(out);
  let gt: GroundTruth;
  try {
    await access(paths.video);
    gt = await readGroundTruth(paths.groundTruth);
  } catch {
    return null;
  }
  const same =
    gt.seed === c.seed &&
    gt.start === c.start.toISOString() &&
    gt.timeZone === o.timeZone &&
    gt.cameraCode === c.intersection.cameraCode &&
    gt.intersectionCode === c.intersection.code &&
    gt.width === o.width &&
    gt.height === o.height &&
    gt.fps === o.fps &&
    gt.frameCount === Math.round(o.seconds * o.fps) &&
    gt.conditions.join(',') === c.conditions.join(',');
  return same ? gt : null;
}
