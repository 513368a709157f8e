// Which recordings cover [t0, t1) for a camera: the ok segments in time order,
// each with the part of the file inside the range, and the gaps in between.
import type pg from 'pg';
import { coveredMs, DEFAULT_GAP_TOLERANCE_MS, gapsWithin } from '../../pipelines/catalog/coverage.ts';
import { catalogSql, type SegmentRow } from './queries.ts';

export interface CoveringSegment {
  path: string;
  startsAt: Date;
  endsAt: Date;
  codec: string;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Seconds into the file where the overlap with [t0, t1) starts and ends (seek here). */
  fromS: number;
  toS: number;
}

export interface Covering {
  segments: CoveringSegment[];
  gaps: { from: Date; to: Date }[];
  coveredSeconds: number;
}

export async function segmentsCovering(
  pool: pg.Pool,
  cameraCode: string,
  t0: Date,
  t1: Date,
  toleranceMs = DEFAULT_GAP_TOLERANCE_MS,
): Promise<Covering> {
  const rows = (await pool.query<SegmentRow>(catalogSql.covering(cameraCode, t0, t1))).rows;
  const a = t0.getTime();
  const b = t1.getTime();
  const spans = rows.map((r) => ({ startsAt: r.starts_at!.getTime(), endsAt: r.ends_at!.getTime() }));
  return {
    segments: rows.map((r) => toCovering(r, a, b)),
    gaps: gapsWithin(spans, a, b, toleranceMs).map((g) => ({ from: new Date(g.from), to: new Date(g.to) })),
    coveredSeconds: coveredMs(spans, a, b) / 1000,
  };
}

function toCovering(r: SegmentRow, a: number, b: number): CoveringSegment {
  const start = r.starts_at!.getTime();
  const end = r.ends_at!.getTime();
  return {
    path: r.path,
    startsAt: r.starts_at!,
    endsAt: r.ends_at!,
    codec: r.codec!,
    width: r.width!,
    height: r.height!,
    fps: r.fps!,
    frameCount: r.frame_count ?? 0,
    fromS: (Math.max(a, start) - start) / 1000,
    toS: (Math.min(b, end) - start) / 1000,
  };
}
