// Where a run stands: windows done, failed, running and queued, footage
// throughput and the time left. Also the read module the API calls for runs.
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { queueSql, type FailedWindowRow, type RunCounts, type RunRow } from './queries.ts';

export interface RunStatus {
  id: string;
  planId: string | null;
  kind: string;
  status: RunRow['status'];
  /** Why the run ended as it did (e.g. "2 of 20 windows failed"), or null. */
  reason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  windows: { total: number; queued: number; running: number; done: number; failed: number };
  /** Footage the done windows covered, seconds. */
  coveredSeconds: number;
  /** Footage the plan asks for, seconds. */
  plannedSeconds: number;
  /** Wall time from the first window started to now (or to the last finished, once done), seconds. */
  wallSeconds: number;
  /** Hours of planned footage finished (done or failed) per hour of wall time; null before any window finished. */
  footageHoursPerWallHour: number | null;
  /** Estimated seconds until every window is finished, at the rate so far; null before any window finished, 0 when done. */
  etaSeconds: number | null;
  /** Windows the rate rests on. */
  finishedWindows: number;
  failures: { seq: number; cameraCode: string; startsAt: Date; reason: string; attempts: number }[];
}

export async function runStatus(pool: pg.Pool, runId: string, opts: { now?: Date; failureLimit?: number } = {}): Promise<RunStatus> {
  if (!/^\d{1,18}$/.test(runId)) throw new CrosswatchError('USAGE', `a run id is a positive integer, got ${JSON.stringify(runId)}`);
  const run = (await pool.query<RunRow>(queueSql.run(runId))).rows[0];
  if (!run) throw new CrosswatchError('NOT_FOUND', `run ${runId} does not exist: \`crosswatch run --plan ID\` starts one and prints its id`);
  const [counts, failures] = await Promise.all([
    pool.query<RunCounts>(queueSql.counts(runId)).then((r) => r.rows[0]!),
    pool.query<FailedWindowRow>(queueSql.failures(runId, opts.failureLimit ?? 20)).then((r) => r.rows),
  ]);
  return toStatus(run, counts, failures, opts.now ?? new Date());
}

export async function listRuns(pool: pg.Pool, limit = 50): Promise<RunStatus[]> {
  const runs = (await pool.query<RunRow>(queueSql.listRuns(limit))).rows;
  return Promise.all(runs.map((r) => runStatus(pool, r.id, { failureLimit: 5 })));
}

function toStatus(run: RunRow, c: RunCounts, failures: FailedWindowRow[], now: Date): RunStatus {
  const finished = c.done + c.failed;
  const open = c.queued + c.running;
  const end = open === 0 && c.last_finished ? c.last_finished : now;
  const wallSeconds = c.first_started ? Math.max(0, (end.getTime() - c.first_started.getTime()) / 1000) : 0;
  const rate = finished > 0 && wallSeconds > 0 ? c.finished_seconds / wallSeconds : null;
  // Time left from windows per second so far: windows of a plan share one length, so this equals the footage rate.
  const windowsPerSecond = finished > 0 && wallSeconds > 0 ? finished / wallSeconds : null;
  return {
    id: run.id,
    planId: run.plan_id,
    kind: run.kind,
    status: run.status,
    reason: run.reason,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    windows: { total: c.total, queued: c.queued, running: c.running, done: c.done, failed: c.failed },
    coveredSeconds: c.covered_seconds,
    plannedSeconds: c.planned_seconds,
    wallSeconds,
    footageHoursPerWallHour: rate,
    etaSeconds: open === 0 ? 0 : windowsPerSecond ? open / windowsPerSecond : null,
    finishedWindows: finished,
    failures: failures.map((f) => ({ seq: f.seq, cameraCode: f.camera_code, startsAt: f.starts_at, reason: f.reason, attempts: f.attempts })),
  };
}
