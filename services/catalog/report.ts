// The catalogue of one recordings folder, per camera and local day: what
// `crosswatch catalog` prints (the --json shape is a documented interface).
import type pg from 'pg';
import { coverageByDay, gapsBetween } from '../../pipelines/catalog/coverage.ts';
import { cameraTimeZones } from '../sites/import.ts';
import { catalogSql, type SegmentRow } from './queries.ts';
import type { ScanStats } from './scan.ts';

export interface CameraReport {
  camera: string;
  /** false: a folder of a camera not (yet) in the sites. */
  known: boolean;
  time_zone: string;
  footage_hours: number;
  segments: number;
  unreadable: number;
  gaps: number;
  /** First and last recorded instant, ISO UTC. */
  first: string | null;
  last: string | null;
  days: { date: string; footage_hours: number; segments: number; gaps: number }[];
}

export interface CatalogReport {
  segments: number;
  unreadable: { path: string; reason: string }[];
  gaps: { camera: string; from: string; to: string }[];
  cameras: CameraReport[];
  scan: { root: string; files: number; probed: number; unchanged: number; removed: number; outside_camera_folders: string[] };
}

export async function catalogReport(pool: pg.Pool, stats: ScanStats, defaultTimeZone: string): Promise<CatalogReport> {
  const rows = (await pool.query<SegmentRow>(catalogSql.under(stats.root))).rows;
  const zones = await cameraTimeZones(pool);
  const byCamera = new Map<string, SegmentRow[]>();
  for (const r of rows) byCamera.set(r.camera_code, [...(byCamera.get(r.camera_code) ?? []), r]);
  const cameras = [...byCamera].map(([camera, rs]) => cameraReport(camera, rs, zones.get(camera), defaultTimeZone));
  return {
    segments: rows.filter((r) => r.status === 'ok').length,
    unreadable: rows.filter((r) => r.status === 'unreadable').map((r) => ({ path: r.path, reason: r.reason ?? '' })),
    gaps: [...byCamera].flatMap(([camera, rs]) =>
      gapsBetween(okSpans(rs)).map((g) => ({ camera, from: new Date(g.from).toISOString(), to: new Date(g.to).toISOString() })),
    ),
    cameras,
    scan: {
      root: stats.root,
      files: stats.files,
      probed: stats.probed,
      unchanged: stats.unchanged,
      removed: stats.removed,
      outside_camera_folders: stats.outsideCameraFolders,
    },
  };
}

function okSpans(rows: SegmentRow[]) {
  return rows.filter((r) => r.status === 'ok').map((r) => ({ startsAt: r.starts_at!.getTime(), endsAt: r.ends_at!.getTime() }));
}

function cameraReport(camera: string, rows: SegmentRow[], zone: string | undefined, defaultTimeZone: string): CameraReport {
  const tz = zone ?? defaultTimeZone;
  const spans = okSpans(rows);
  const days = coverageByDay(spans, tz).map((d) => ({ date: d.date, footage_hours: round(d.footageHours), segments: d.segments, gaps: d.gaps }));
  return {
    camera,
    known: zone !== undefined,
    time_zone: tz,
    footage_hours: round(days.reduce((s, d) => s + d.footage_hours, 0)),
    segments: spans.length,
    unreadable: rows.length - spans.length,
    gaps: gapsBetween(spans).length,
    first: spans.length ? new Date(Math.min(...spans.map((s) => s.startsAt))).toISOString() : null,
    last: spans.length ? new Date(Math.max(...spans.map((s) => s.endsAt))).toISOString() : null,
    days,
  };
}

const round = (h: number) => Math.round(h * 1e6) / 1e6;
