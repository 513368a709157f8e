// Sites files: read, validate (pipelines/sites/validate.ts) and upsert into
// intersections and cameras in one transaction. Importing a file again
// updates what changed and never duplicates.
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { CrosswatchError, formatIssues } from '../../pipelines/errors.ts';
import type { SitesFile } from '../../pipelines/sites/schema.ts';
import { validateSites } from '../../pipelines/sites/validate.ts';
import { sitesSql } from './queries.ts';

/** Reads and validates a sites file; SITES_UNREADABLE or SITES_INVALID (details: the PathIssues) name the file. */
export async function readSitesFile(file: string): Promise<SitesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CrosswatchError('SITES_UNREADABLE', `Cannot read sites file ${file}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CrosswatchError('SITES_UNREADABLE', `Sites file ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const result = validateSites(json);
  if (!result.ok) {
    const n = result.issues.length;
    throw new CrosswatchError('SITES_INVALID', `Sites file ${file} has ${n} problem${n === 1 ? '' : 's'}:\n${formatIssues(result.issues)}`, {
      details: result.issues,
    });
  }
  return result.sites;
}

export interface ImportSummary {
  intersections: { inserted: number; updated: number };
  cameras: { inserted: number; updated: number };
}

export async function importSites(pool: pg.Pool, sites: SitesFile, defaultTimeZone: string): Promise<ImportSummary> {
  const summary: ImportSummary = { intersections: { inserted: 0, updated: 0 }, cameras: { inserted: 0, updated: 0 } };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const ix of sites.intersections) {
      const { rows } = await client.query<{ id: string; inserted: boolean }>(sitesSql.upsertIntersection(ix, ix.time_zone ?? defaultTimeZone));
      const row = rows[0]!;
      summary.intersections[row.inserted ? 'inserted' : 'updated']++;
      for (const cam of ix.cameras) {
        const c = (await client.query<{ inserted: boolean }>(sitesSql.upsertCamera(cam, row.id))).rows[0]!;
        summary.cameras[c.inserted ? 'inserted' : 'updated']++;
      }
    }
    await client.query('COMMIT');
    return summary;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new CrosswatchError('DATABASE', `Importing sites failed, nothing was changed: ${(err as Error).message}`, { cause: err });
  } finally {
    client.release();
  }
}

export interface SiteRow {
  intersection: string;
  name: string;
  district: string | null;
  responsible_unit: string | null;
  time_zone: string;
  camera: string | null;
  camera_name: string | null;
  width: number | null;
  height: number | null;
  calibrated: boolean | null;
  /** The calibration has ground points: speeds are read in metres a second. */
  ground_mapped: boolean | null;
}

export async function listSites(pool: pg.Pool): Promise<SiteRow[]> {
  return (await pool.query<SiteRow>(sitesSql.list())).rows;
}

/** Camera code → its intersection's IANA time zone. */
export async function cameraTimeZones(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ code: string; time_zone: string }>(sitesSql.cameraZones());
  return new Map(rows.map((r) => [r.code, r.time_zone]));
}
