// Footage for the fault suite: one twin camera whose road users break the
// rules often (so windows have violations and evidence), rendered once and
// copied to several local hours of one day in the NVR layout, imported and
// catalogued into a database.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { writeClip, readGroundTruth, type GroundTruth } from '../../../pipelines/sim/index.ts';
import type { SitesFile } from '../../../pipelines/sites/schema.ts';
import { scanFootage } from '../../../services/catalog/scan.ts';
import { importSites } from '../../../services/sites/import.ts';
import { binaries } from '../../helpers/clips.ts';
import { testLog } from '../../helpers/db.ts';
import type { OracleSegment } from './oracle.ts';

export const CAMERA = 'CAM-F';
export const INTERSECTION = 'IX-F';
export const DATE = '2025-03-03';

export interface FaultFootage {
  root: string;
  /** Footage files by their HH-MM-SS name. */
  files: Record<string, string>;
  sites: SitesFile;
  gtFile: string;
  gt: GroundTruth;
  video: string;
}

export async function renderFootage(root: string, o: { times: string[]; seconds: number; seed?: number; width?: number; height?: number; cameraCode?: string }): Promise<FaultFootage> {
  const camera = o.cameraCode ?? CAMERA;
  const clip = await writeClip({
    out: path.join(root, '..', `render-${camera}-${o.width ?? 320}`),
    ffmpegPath: binaries.ffmpeg,
    seed: o.seed ?? 1,
    seconds: o.seconds,
    width: o.width ?? 320,
    height: o.height ?? 180,
    fps: 10,
    cameraCode: camera,
    intersectionCode: INTERSECTION,
    timeZone: 'Asia/Shanghai',
    start: new Date('2025-03-03T00:00:00Z'),
    preset: 'ultrafast',
    writeSites: false,
    behaviour: { redLightRun: 1, nonMotorRedRun: 1, jaywalkPerMinute: 20, demand: 2 },
  });
  const dir = path.join(root, camera, DATE);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const time of o.times) {
    files[time] = path.join(dir, `${time}.mp4`);
    copyFileSync(clip.video, files[time]);
  }
  return { root, files, sites: clip.clip.sites, gtFile: clip.groundTruth, gt: clip.clip.groundTruth, video: clip.video };
}

/** Imports the sites and catalogues the footage into a database. */
export async function loadFootage(pool: pg.Pool, f: FaultFootage): Promise<void> {
  await importSites(pool, f.sites, 'Asia/Shanghai');
  await scanFootage(pool, f.root, { ffprobe: binaries.ffprobe, concurrency: 2, defaultTimeZone: 'UTC', log: testLog });
}

/** The oracle's segments: every catalogued file of the camera, each showing the clip's ground truth. */
export async function oracleSegments(pool: pg.Pool, gtFile: string): Promise<OracleSegment[]> {
  const gt = await readGroundTruth(gtFile);
  const { rows } = await pool.query<{ starts_at: Date; ends_at: Date }>(`SELECT starts_at, ends_at FROM footage_segments WHERE status = 'ok' ORDER BY starts_at`);
  return rows.map((r) => ({ startsAt: r.starts_at.getTime(), endsAt: r.ends_at.getTime(), gt }));
}
