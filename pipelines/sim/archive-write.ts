// Renders an archive plan: DIR/<camera>/<YYYY-MM-DD>/<HH-MM-SS>.mp4 with its
// .gt.json.gz beside it, and DIR/sites.json for every intersection.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planArchive, type ArchivePlanOptions, type PlannedClip } from './archive.ts';
import { writeClip } from './clip.ts';
import { sitesFor } from './sites-for.ts';

export interface WriteArchiveOptions extends ArchivePlanOptions {
  out: string;
  ffmpegPath: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Called after each clip (progress bars). */
  onClip?: (clip: PlannedClip, index: number, total: number) => void;
}

export interface WrittenArchive {
  sites: string;
  clips: number;
  counts: Record<string, { exposures: number; violations: number }>;
}

export async function writeArchive(o: WriteArchiveOptions): Promise<WrittenArchive> {
  const { profiles, clips } = planArchive(o);
  await mkdir(o.out, { recursive: true });
  const sites = {
    format: 'crosswatch-sites/1' as const,
    intersections: profiles.map((p) => {
      const one = sitesFor({ seed: p.seed, layout: p.layout, width: o.width ?? 1280, height: o.height ?? 720, cameraCode: p.cameraCode, intersectionCode: p.code, intersectionName: p.name, timeZone: o.timeZone });
      return { ...one.intersections[0]!, district: `Simulated district (${p.trend})` };
    }),
  };
  const sitesPath = path.join(o.out, 'sites.json');
  await writeFile(sitesPath, JSON.stringify(sites, null, 2) + '\n');
  const counts: WrittenArchive['counts'] = {};
  for (let i = 0; i < clips.length; i++) {
    const c = clips[i]!;
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
      out: path.join(o.out, c.relPath),
      ffmpegPath: o.ffmpegPath,
      writeSites: false,
      ...(o.width ? { width: o.width } : {}),
      ...(o.height ? { height: o.height } : {}),
      ...(o.fps ? { fps: o.fps } : {}),
    });
    for (const [cat, v] of Object.entries(written.clip.groundTruth.counts)) {
      const acc = (counts[cat] ??= { exposures: 0, violations: 0 });
      acc.exposures += v.exposures;
      acc.violations += v.violations;
    }
    o.onClip?.(c, i, clips.length);
  }
  return { sites: sitesPath, clips: clips.length, counts };
}
