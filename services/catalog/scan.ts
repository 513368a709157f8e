// Scans a recordings folder into footage_segments: each file probed (bounded
// concurrency) and upserted as it is done, so an interrupted scan keeps its
// work. A file whose size and mtime are unchanged is not probed again; its
// start is still recomputed, since the site's time zone may have changed.
// A bad file becomes an `unreadable` row with its reason and never stops
// the scan.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { parseFootagePath, type FootagePath } from '../../pipelines/catalog/layout.ts';
import { parseWallTime } from '../../pipelines/time/zone.ts';
import type { Logger } from '../log.ts';
import { cameraTimeZones } from '../sites/import.ts';
import { probeFile, type ProbeResult } from './probe.ts';
import { catalogSql, type SegmentRow } from './queries.ts';
import { findRecordings, type FoundFile } from './walk.ts';

export interface ScanOptions {
  ffprobe: string;
  concurrency: number;
  /** Zone for cameras not in the sites yet. */
  defaultTimeZone: string;
  log: Logger;
  onTotal?: (files: number) => void;
  onFile?: (file: FoundFile) => void;
}

export interface ScanStats {
  root: string;
  files: number;
  probed: number;
  unchanged: number;
  removed: number;
  /** Files directly in ROOT, not in a camera folder: not catalogued. */
  outsideCameraFolders: string[];
}

type NewRow = Omit<SegmentRow, 'bytes'> & { bytes: number };

export async function scanFootage(pool: pg.Pool, rootArg: string, opts: ScanOptions): Promise<ScanStats> {
  const root = path.resolve(rootArg);
  const files = await findRecordings(root);
  opts.onTotal?.(files.length);
  const zones = await cameraTimeZones(pool);
  const existing = new Map((await pool.query<SegmentRow>(catalogSql.under(root))).rows.map((r) => [r.path, r]));
  const stats: ScanStats = { root, files: files.length, probed: 0, unchanged: 0, removed: 0, outsideCameraFolders: [] };
  await forEachLimit(files, opts.concurrency, async (f) => {
    try {
      await catalogFile(pool, f, { zones, existing, stats, opts });
    } catch (err) {
      // A database error on one row is logged and the scan goes on.
      opts.log.error({ err, file: f.path }, 'could not catalogue file');
    }
    opts.onFile?.(f);
  });
  stats.removed = await removeVanished(pool, root, files, existing.size, opts.log);
  return stats;
}

interface FileContext {
  zones: Map<string, string>;
  existing: Map<string, SegmentRow>;
  stats: ScanStats;
  opts: ScanOptions;
}

async function catalogFile(pool: pg.Pool, f: FoundFile, ctx: FileContext): Promise<void> {
  const parsed = parseFootagePath(f.rel);
  if (!parsed.camera) {
    ctx.stats.outsideCameraFolders.push(f.path);
    return;
  }
  const st = await stat(f.path);
  const mtime = new Date(Math.floor(st.mtimeMs));
  const prev = ctx.existing.get(f.path);
  let probe: ProbeResult;
  if (prev && Number(prev.bytes) === st.size && prev.mtime.getTime() === mtime.getTime()) {
    probe = probeFromRow(prev);
    ctx.stats.unchanged++;
  } else {
    probe = await probeFile(ctx.opts.ffprobe, f.path, st.size);
    ctx.stats.probed++;
  }
  const tz = ctx.zones.get(parsed.camera) ?? ctx.opts.defaultTimeZone;
  const row = buildRow(parsed.camera, f.path, probe, parsed, tz, st.size, mtime);
  if (prev && sameRow(prev, row)) return;
  await pool.query(catalogSql.upsert(row));
}

export function buildRow(camera: string, file: string, probe: ProbeResult, parsed: FootagePath, tz: string, bytes: number, mtime: Date): NewRow {
  const fromName = parsed.localStart ? parseWallTime(tz, parsed.localStart) : undefined;
  const start = fromName ?? probe.creationTime;
  const base: NewRow = {
    camera_code: camera,
    path: file,
    status: 'unreadable',
    reason: null,
    starts_at: start === undefined ? null : new Date(start),
    ends_at: null,
    time_source: fromName !== undefined ? 'name' : start !== undefined ? 'creation_time' : null,
    time_zone: fromName !== undefined ? tz : null,
    duration_s: null,
    creation_time: probe.creationTime === undefined ? null : new Date(probe.creationTime),
    codec: null,
    width: null,
    height: null,
    fps: null,
    frame_count: null,
    bytes,
    mtime,
  };
  if (!probe.ok) return { ...base, reason: probe.reason };
  const media = { duration_s: probe.durationS, codec: probe.codec, width: probe.width, height: probe.height, fps: probe.fps, frame_count: probe.frameCount };
  if (start === undefined) {
    return {
      ...base,
      ...media,
      reason: 'no start time: the name is not <HH-MM-SS>.mp4 inside a <YYYY-MM-DD> folder, and the file has no creation_time tag',
    };
  }
  return { ...base, ...media, status: 'ok', ends_at: new Date(start + Math.round(probe.durationS * 1000)) };
}

/** The probe stored with an unchanged file. */
function probeFromRow(r: SegmentRow): ProbeResult {
  const creationTime = r.creation_time?.getTime();
  if (r.duration_s !== null && r.codec !== null && r.width !== null && r.height !== null && r.fps !== null) {
    return { ok: true, durationS: r.duration_s, codec: r.codec, width: r.width, height: r.height, fps: r.fps, frameCount: r.frame_count ?? 0, creationTime };
  }
  return { ok: false, reason: r.reason ?? 'unreadable', creationTime };
}

function sameRow(a: SegmentRow, b: NewRow): boolean {
  const ms = (d: Date | null) => d?.getTime() ?? null;
  return (
    a.camera_code === b.camera_code &&
    a.status === b.status &&
    a.reason === b.reason &&
    ms(a.starts_at) === ms(b.starts_at) &&
    ms(a.ends_at) === ms(b.ends_at) &&
    a.time_zone === b.time_zone
  );
}

/** Rows of files gone from ROOT are removed, unless ROOT looks unmounted (empty while rows exist). */
async function removeVanished(pool: pg.Pool, root: string, files: FoundFile[], known: number, log: Logger): Promise<number> {
  if (files.length === 0 && known > 0) {
    log.warn({ root, rows: known }, 'no recordings found under the folder: keeping its catalogue rows (is the storage mounted?)');
    return 0;
  }
  const res = await pool.query(catalogSql.deleteMissing(root, files.map((f) => f.path)));
  return res.rowCount ?? 0;
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
