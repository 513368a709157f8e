// Where footage exists, as the sampler needs it: readable segments of
// calibrated cameras, merged per camera (NVR file cuts are rarely exact, so
// gaps up to the catalog's tolerance count as footage), each camera with its
// site's time zone.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DEFAULT_GAP_TOLERANCE_MS, mergeSpans } from '../../pipelines/catalog/coverage.ts';
import type { CameraCoverage } from '../../pipelines/sampling/index.ts';
import { parseDate, parseMonth, toEpochDay, type CalendarDate } from '../../pipelines/time/calendar.ts';
import { planSql, type CoverageRow, type ExcludedCameraRow } from './queries.ts';

export interface Coverage {
  cameras: CameraCoverage[];
  /** Cameras with footage in the period that cannot be drawn, and why. */
  excluded: ExcludedCameraRow[];
  /** SHA-256 of the coverage, stored with a plan: the same digest means the same footage to draw from. */
  digest: string;
}

const DAY_MS = 86_400_000;

/**
 * Coverage for local dates first..last. Zones differ by at most a day from
 * UTC, so a day's margin either side of the UTC dates holds every local day;
 * the sampler itself cuts the period in each camera's zone.
 */
export async function loadCoverage(pool: pg.Pool, period: { first: CalendarDate; last: CalendarDate }): Promise<Coverage> {
  const lo = new Date((toEpochDay(period.first) - 1) * DAY_MS);
  const hi = new Date((toEpochDay(period.last) + 2) * DAY_MS);
  const [rows, excluded] = await Promise.all([
    pool.query<CoverageRow>(planSql.coverage(lo, hi)).then((r) => r.rows),
    pool.query<ExcludedCameraRow>(planSql.excluded(lo, hi)).then((r) => r.rows),
  ]);
  const byCamera = new Map<string, CoverageRow[]>();
  for (const r of rows) byCamera.set(r.camera_code, [...(byCamera.get(r.camera_code) ?? []), r]);
  const cameras = [...byCamera.entries()].map(([cameraCode, segs]): CameraCoverage => ({
    cameraCode,
    intersectionCode: segs[0]!.intersection_code,
    timeZone: segs[0]!.time_zone,
    intervals: mergeSpans(segs.map((s) => ({ startsAt: s.starts_at.getTime(), endsAt: s.ends_at.getTime() })), DEFAULT_GAP_TOLERANCE_MS).map((s) => ({
      from: s.startsAt,
      to: s.endsAt,
    })),
  }));
  return { cameras, excluded, digest: digestOf(cameras) };
}

export function digestOf(cameras: CameraCoverage[]): string {
  const canonical = [...cameras].sort((a, b) => (a.cameraCode < b.cameraCode ? -1 : 1)).map((c) => [c.cameraCode, c.intersectionCode, c.timeZone, c.intervals.map((i) => [i.from, i.to])]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** A month 'YYYY-MM' or { from, to } dates as calendar dates; null when malformed (the sampler reports it). */
export function periodDates(period: string | { from: string; to: string }): { first: CalendarDate; last: CalendarDate } | null {
  if (typeof period === 'string') return parseMonth(period);
  const first = parseDate(period.from);
  const last = parseDate(period.to);
  return first && last ? { first, last } : null;
}
