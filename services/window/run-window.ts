// Processes one window of one camera and stores the outcome: the window row,
// counts per category, violations with evidence. Results are written in one
// transaction after the evidence files; a failure stores its reason on the
// window, removes the evidence files it wrote and leaves earlier rows intact.
//
// Crash safety (test/faults): every attempt writes its own evidence names, so
// it never overwrites files that committed rows show; files a killed attempt
// left are swept when the window is taken again; and the commit is fenced by
// the attempt number, so an attempt that was presumed lost and retried
// elsewhere cannot overwrite the newer attempt's rows.
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
import { withTransaction } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { attemptName, removeEvidence, sweepWindowEvidence } from './evidence-files.ts';
import { faultPoint } from './faults.ts';
import { windowSql, type CameraRow } from './queries.ts';

/**
 * Thrown when a later attempt took the window while this one still ran: this
 * attempt stored nothing and must not report an outcome (the later one will).
 */
export class WindowSuperseded extends Error {
  constructor(windowId: string, attempt: number, latest: number | undefined) {
    super(`window ${windowId}: attempt ${attempt} was superseded by attempt ${latest ?? '(window gone)'}; nothing stored`);
    this.name = 'WindowSuperseded';
  }
}

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
  /** Evidence frames from the window's decode (default) or, with false, all by seeking afterwards (pipelines/window/evidence-archive.ts). */
  evidenceArchive?: false;
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
  const claimed = (await deps.pool.query<{ id: string; attempts: number }>(windowSql.start(camera.camera_id, req.from, req.to, req.runId ?? null))).rows[0]!;
  const windowId = claimed.id;
  const attempt = claimed.attempts;
  const base = { windowId, cameraCode: camera.code, intersectionCode: camera.intersection_code, from: req.from, to: req.to };
  const log = deps.log.child({ window: windowId, camera: camera.code, from: req.from.toISOString() });
  const written: string[] = [];
  try {
    const referenced = new Set((await deps.pool.query<{ evidence_path: string }>(windowSql.evidencePaths(windowId))).rows.map((r) => r.evidence_path));
    const swept = await sweepWindowEvidence(deps.evidenceDir, { cameraCode: camera.code, timeZone: camera.time_zone, windowId, from: req.from, to: req.to }, referenced);
    if (swept.length > 0) log.info({ swept }, 'removed evidence files an interrupted attempt left behind');
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
      ...(deps.evidenceArchive === false ? { evidenceArchive: false as const } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    // A decoder killed by a signal (the OOM killer, an operator) says nothing
    // about the file: retry the window rather than store a partial result.
    const killed = outcome.decode.segments.find((s) => s.error && /killed with signal/.test(s.error.message));
    if (killed) throw new Error(`${firstLine(killed.error!.message)} (a transient fault: the window is retried)`);
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
      const loc = { cameraCode: camera.code, t: e.violation.t, timeZone: camera.time_zone, windowId: attemptName(windowId, attempt), n: e.n };
      const rel = await writeEvidence(deps.evidenceDir, loc, e.jpeg).catch((cause) => {
        throw new CrosswatchError('EVIDENCE_WRITE_FAILED', `cannot write evidence under ${deps.evidenceDir}: ${(cause as Error).message}`, { cause });
      });
      written.push(rel);
      paths.set(e.violation, rel);
    }
    await faultPoint('after-evidence');
    const report = await store(deps, windowId, attempt, outcome, paths, Date.now() - started);
    // After the commit: files no row points to any more (replaced or dropped violations).
    for (const stale of report.staleEvidence) await removeEvidence(deps.evidenceDir, stale);
    log.info({ frames: outcome.framesAnalysed, violations: report.violations.length, coveredSeconds: report.coveredSeconds }, 'window done');
    return { ...base, ...report, status: 'done', durationMs: Date.now() - started };
  } catch (err) {
    for (const rel of written) await removeEvidence(deps.evidenceDir, rel);
    if (err instanceof WindowSuperseded) {
      log.warn(err.message);
      throw err;
    }
    const reason = failureReason(err);
    await deps.pool.query(windowSql.fail(windowId, attempt, reason)).catch((e: unknown) => log.error({ err: e }, 'could not store the failure reason'));
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

async function store(deps: WindowDeps, windowId: string, attempt: number, outcome: WindowOutcome, paths: Map<Violation, string>, durationMs: number) {
  const { judgement, decode } = outcome;
  const unjudged = Object.fromEntries(CATEGORIES.map((c) => [c, judgement.unjudged.filter((u) => u.category === c).length])) as Record<Category, number>;
  const coveredSeconds = decode.coveredMs / 1000;
  const evidenceOf = async (client: pg.PoolClient) => new Set((await client.query<{ evidence_path: string }>(windowSql.evidencePaths(windowId))).rows.map((r) => r.evidence_path));
  return withTransaction(deps.pool, async (client) => {
    const latest = (await client.query<{ attempts: number }>(windowSql.lockAttempt(windowId))).rows[0]?.attempts;
    if (latest !== attempt) throw new WindowSuperseded(windowId, attempt, latest);
    const before = await evidenceOf(client);
    const violations: StoredViolation[] = [];
    for (const v of judgement.violations) {
      const evidencePath = paths.get(v) ?? null;
      const id = (await client.query<{ id: string }>(windowSql.upsertViolation(windowId, v, evidencePath))).rows[0]!.id;
      violations.push({ ...v, id, evidencePath });
    }
    await client.query(windowSql.dropStale(windowId, violations.map((v) => v.id)));
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
    const after = await evidenceOf(client);
    await faultPoint('before-commit');
    return {
      reason: coverageNote(outcome),
      coveredSeconds,
      framesAnalysed: outcome.framesAnalysed,
      counts: judgement.counts,
      unjudged,
      violations,
      staleEvidence: [...before].filter((p) => !after.has(p)),
    };
  });
}

/** A done window that did not see all of its footage says so, with the numbers. */
function coverageNote(outcome: WindowOutcome): string | null {
  const d = outcome.decode;
  const notes: string[] = [];
  if (d.gaps.length > 0) notes.push(`${d.gaps.length} gap(s) without footage`);
  if (d.missingFrames > 0) notes.push(`${d.missingFrames} of ${d.expectedFrames} frames missing (${d.segments.filter((s) => s.holes.length > 0).map((s) => s.path).join(', ')})`);
  for (const s of d.segments) if (s.error) notes.push(`${s.path}: ${firstLine(s.error.message)}`);
  return notes.length > 0 ? notes.join('; ') : null;
}

/** The stored reason: the cause's first line and the lines naming the error (ffmpeg's full stderr tail stays in the log). */
function failureReason(err: unknown): string {
  if (isCrosswatchError(err)) return `${err.code}: ${firstLine(err.message)}`;
  return err instanceof Error ? firstLine(err.message) : String(err);
}

/** The first line, and up to two later lines that say what went wrong (ffmpeg's "No such file", "moov atom not found"). */
function firstLine(text: string): string {
  const [head, ...rest] = text.split('\n');
  const causes = rest.map((l) => l.trim()).filter((l) => /error|no such file|invalid|not found|denied|corrupt|truncat/i.test(l)).slice(0, 2);
  return [head!, ...causes].join(' — ');
}
