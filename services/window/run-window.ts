// Processes one window of one camera and stores the outcome: the window row,
// counts per category, violations with evidence. Results are written in one
// transaction after the evidence files; a failure stores its reason on the
// window, removes the evidence files it wrote and leaves earlier rows intact.
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { CrosswatchError, isCrosswatchError } from '../../pipelines/errors.ts';
import type { Detector } from '../../pipelines/detect/index.ts';
import type { FootageSegment } from '../../pipelines/decode/index.ts';
import { writeEvidence } from '../../pipelines/evidence/index.ts';
import { RULES_VERSION } from '../../pipelines/rules/index.ts';
import { CATEGORIES, type Category, type Violation, type WindowCounts } from '../../pipelines/types.ts';
import type { Calibration } from '../../pipelines/sites/schema.ts';
import { processWindow, type WindowOutcome } from '../../pipelines/window/process-window.ts';
import { composeWindowEvidence } from '../../pipelines/window/evidence.ts';
import { segmentsCovering } from '../catalog/segments.ts';
import type { Logger } from '../log.ts';
import { windowSql, type CameraRow } from './queries.ts';

export interface WindowRequest {
  cameraCode: string;
  from: Date;
  to: Date;
  runId?: string;
}

export interface WindowDeps {
  pool: pg.Pool;
  detector: Detector;
  modelVersion: string;
  ffmpegPath: string;
  evidenceDir: string;
  sampleFps: number;
  log: Logger;
  ffmpegThreads?: number;
  signal?: AbortSignal;
}

export interface StoredViolation extends Violation {
  id: string;
  evidencePath: string | null;
}

export interface WindowReport {
  windowId: string;
  status: 'done' | 'failed';
  reason: string | null;
  cameraCode: string;
  intersectionCode: string | null;
  from: Date;
  to: Date;
  coveredSeconds: number;
  framesAnalysed: number;
  counts: WindowCounts | null;
  unjudged: Record<Category, number> | null;
  violations: StoredViolation[];
  durationMs: number;
}

export async function runWindow(req: WindowRequest, deps: WindowDeps): Promise<WindowReport> {
  const started = Date.now();
  const camera = await loadCamera(deps.pool, req.cameraCode);
  if (!(req.to.getTime() > req.from.getTime())) throw new CrosswatchError('USAGE', `window end ${req.to.toISOString()} is not after its start ${req.from.toISOString()}`);
  const windowId = (await deps.pool.query<{ id: string }>(windowSql.start(camera.camera_id, req.from, req.to, req.runId ?? null))).rows[0]!.id;
  const base = { windowId, cameraCode: camera.code, intersectionCode: camera.intersection_code, from: req.from, to: req.to };
  const log = deps.log.child({ window: windowId, camera: camera.code, from: req.from.toISOString() });
  const written: string[] = [];
  try {
    const covering = await segmentsCovering(deps.pool, camera.code, req.from, req.to);
    if (covering.segments.length === 0) {
      throw new CrosswatchError('FOOTAGE_MISSING', `no readable footage of camera ${camera.code} covers ${req.from.toISOString()} – ${req.to.toISOString()}`);
    }
    const segments: FootageSegment[] = covering.segments.map((s) => ({
      path: s.path,
      startsAt: s.startsAt.getTime(),
      endsAt: s.endsAt.getTime(),
      fps: s.fps,
      width: s.width,
      height: s.height,
    }));
    const outcome = await processWindow({
      cameraCode: camera.code,
      calibration: (camera.calibration ?? undefined) as Calibration | undefined,
      resolution: { width: camera.width, height: camera.height },
      t0: req.from.getTime(),
      t1: req.to.getTime(),
      segments,
      detector: deps.detector,
      ffmpegPath: deps.ffmpegPath,
      sampleFps: deps.sampleFps,
      ...(deps.ffmpegThreads !== undefined ? { ffmpegThreads: deps.ffmpegThreads } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (outcome.framesAnalysed === 0) {
      throw new CrosswatchError('DECODE_FAILED', `no frame could be decoded from ${segments.map((s) => s.path).join(', ')}`);
    }
    const evidence = await composeWindowEvidence(outcome, {
      cameraCode: camera.code,
      timeZone: camera.time_zone,
      windowId,
      calibration: camera.calibration as Calibration,
      segments,
      ffmpegPath: deps.ffmpegPath,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const paths = new Map<Violation, string>();
    for (const e of evidence) {
      const rel = await writeEvidence(deps.evidenceDir, { cameraCode: camera.code, t: e.violation.t, timeZone: camera.time_zone, windowId, n: e.n }, e.jpeg).catch((cause) => {
        throw new CrosswatchError('EVIDENCE_WRITE_FAILED', `cannot write evidence under ${deps.evidenceDir}: ${(cause as Error).message}`, { cause });
      });
      written.push(rel);
      paths.set(e.violation, rel);
    }
    const report = await store(deps, windowId, outcome, paths, Date.now() - started);
    for (const stale of report.staleEvidence) if (!written.includes(stale)) await removeEvidence(deps.evidenceDir, stale);
    log.info({ frames: outcome.framesAnalysed, violations: report.violations.length, coveredSeconds: report.coveredSeconds }, 'window done');
    return { ...base, ...report, status: 'done', durationMs: Date.now() - started };
  } catch (err) {
    const reason = failureReason(err);
    for (const rel of written) await removeEvidence(deps.evidenceDir, rel);
    await deps.pool.query(windowSql.fail(windowId, reason)).catch((e: unknown) => log.error({ err: e }, 'could not store the failure reason'));
    log.warn({ reason }, 'window failed');
    // Known failures (no footage, unreadable file, no calibration) are final for
    // this window; anything else may be transient, so the caller may retry.
    if (!isCrosswatchError(err)) throw err;
    return { ...base, status: 'failed', reason, coveredSeconds: 0, framesAnalysed: 0, counts: null, unjudged: null, violations: [], durationMs: Date.now() - started };
  }
}

async function loadCamera(pool: pg.Pool, code: string): Promise<CameraRow> {
  const row = (await pool.query<CameraRow>(windowSql.camera(code))).rows[0];
  if (!row) throw new CrosswatchError('NOT_FOUND', `camera ${code} is not in the sites: import a sites file that lists it`);
  return row;
}

async function store(deps: WindowDeps, windowId: string, outcome: WindowOutcome, paths: Map<Violation, string>, durationMs: number) {
  const { judgement, decode } = outcome;
  const unjudged = Object.fromEntries(CATEGORIES.map((c) => [c, judgement.unjudged.filter((u) => u.category === c).length])) as Record<Category, number>;
  const coveredSeconds = decode.coveredMs / 1000;
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    const violations: StoredViolation[] = [];
    for (const v of judgement.violations) {
      const evidencePath = paths.get(v) ?? null;
      const id = (await client.query<{ id: string }>(windowSql.upsertViolation(windowId, v, evidencePath))).rows[0]!.id;
      violations.push({ ...v, id, evidencePath });
    }
    const stale = await client.query<{ evidence_path: string | null }>(windowSql.dropStale(windowId, violations.map((v) => v.id)));
    await client.query(windowSql.clearCounts(windowId));
    await client.query(windowSql.insertCounts(windowId, judgement.counts, unjudged));
    await client.query(
      windowSql.done(windowId, {
        modelVersion: deps.modelVersion,
        rulesVersion: RULES_VERSION,
        coveredSeconds,
        framesAnalysed: outcome.framesAnalysed,
        reason: coverageNote(outcome),
        decodeReport: decode,
        durationMs,
      }),
    );
    await client.query('COMMIT');
    return {
      reason: coverageNote(outcome),
      coveredSeconds,
      framesAnalysed: outcome.framesAnalysed,
      counts: judgement.counts,
      unjudged,
      violations,
      staleEvidence: stale.rows.map((r) => r.evidence_path).filter((p): p is string => p !== null),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A done window that did not see all of its footage says so, with the numbers. */
function coverageNote(outcome: WindowOutcome): string | null {
  const d = outcome.decode;
  const notes: string[] = [];
  if (d.gaps.length > 0) notes.push(`${d.gaps.length} gap(s) without footage`);
  if (d.missingFrames > 0) notes.push(`${d.missingFrames} of ${d.expectedFrames} frames missing (${d.segments.filter((s) => s.holes.length > 0).map((s) => s.path).join(', ')})`);
  for (const s of d.segments) if (s.error) notes.push(`${s.path}: ${s.error.message}`);
  return notes.length > 0 ? notes.join('; ') : null;
}

function failureReason(err: unknown): string {
  if (isCrosswatchError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

async function removeEvidence(root: string, rel: string): Promise<void> {
  await unlink(path.join(root, rel)).catch(() => undefined);
}
