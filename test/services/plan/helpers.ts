// Sites and catalogued footage written straight into the tables (no files):
// planning only reads footage_segments.
import type pg from 'pg';
import { sitesFor } from '../../../pipelines/sim/index.ts';
import type { SitesFile } from '../../../pipelines/sites/schema.ts';
import { importSites } from '../../../services/sites/import.ts';
import { exampleSites } from '../../helpers/sites.ts';

/** XH-001 (XH-001-N calibrated, XH-001-S not) and SIM-IX (SIM-CAM calibrated), all in Asia/Shanghai. */
export async function importTestSites(pool: pg.Pool): Promise<SitesFile> {
  const sites = exampleSites();
  sites.intersections.push(...sitesFor({ seed: 5, cameraCode: 'SIM-CAM', intersectionCode: 'SIM-IX', intersectionName: 'Sim junction' }).intersections);
  await importSites(pool, sites, 'Asia/Shanghai');
  return sites;
}

let n = 0;

/** One readable segment [from, to) of a camera. */
export async function insertSegment(pool: pg.Pool, camera: string, from: Date, to: Date): Promise<void> {
  await pool.query({
    text: `INSERT INTO footage_segments (camera_code, path, status, starts_at, ends_at, time_source, time_zone, duration_s, codec, width, height, fps, frame_count, bytes, mtime)
           VALUES ($1, $2, 'ok', $3, $4, 'name', 'Asia/Shanghai', $5, 'h264', 1920, 1080, 25, 0, 1000, now())`,
    values: [camera, `/footage/${camera}/${n++}.mp4`, from, to, (to.getTime() - from.getTime()) / 1000],
  });
}

/**
 * 08:00–09:00 Shanghai (00:00–01:00Z) on March 1..days 2025, cut into two
 * files with a 200 ms gap between them (an NVR's inexact cut, merged as footage).
 */
export async function morningFootage(pool: pg.Pool, camera: string, days: number): Promise<void> {
  for (let d = 1; d <= days; d++) {
    const day = `2025-03-${String(d).padStart(2, '0')}`;
    await insertSegment(pool, camera, new Date(`${day}T00:00:00Z`), new Date(`${day}T00:30:00Z`));
    await insertSegment(pool, camera, new Date(`${day}T00:30:00.200Z`), new Date(`${day}T01:00:00Z`));
  }
}
