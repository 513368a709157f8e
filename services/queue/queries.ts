// SQL of the queue service (runs of a plan, run_windows), built in one place
// as { text, values }. The API reads runs through status.ts, not these.

export type RunWindowStatus = 'queued' | 'running' | 'done' | 'failed';

export interface RunRow {
  id: string;
  kind: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  reason: string | null;
  plan_id: string | null;
  params: Record<string, unknown>;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ClaimedWindow {
  camera_code: string;
  intersection_code: string;
  starts_at: Date;
  ends_at: Date;
  attempts: number;
}

export interface RunCounts {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  covered_seconds: number;
  planned_seconds: number;
  finished_seconds: number;
  first_started: Date | null;
  last_finished: Date | null;
}

export interface FailedWindowRow {
  seq: number;
  camera_code: string;
  starts_at: Date;
  reason: string;
  attempts: number;
}

const RUN_COLUMNS = `id::text, kind, status, reason, plan_id::text, params, created_at, started_at, finished_at`;

export const queueSql = {
  runOfPlan: (planId: string) => ({ text: `SELECT ${RUN_COLUMNS} FROM runs WHERE plan_id = $1`, values: [planId] }),

  run: (runId: string) => ({ text: `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, values: [runId] }),

  listRuns: (limit: number) => ({ text: `SELECT ${RUN_COLUMNS} FROM runs WHERE plan_id IS NOT NULL ORDER BY id DESC LIMIT $1`, values: [limit] }),

  /** The unique index on runs(plan_id) makes a second call find the first run (ON CONFLICT needs the index's predicate). */
  insertRun: (planId: string, kind: string, params: object, seed: string | null) => ({
    text: `WITH ins AS (
             INSERT INTO runs (kind, plan_id, params, seed) VALUES ($1, $2, $3, $4)
             ON CONFLICT (plan_id) WHERE plan_id IS NOT NULL DO NOTHING
             RETURNING ${RUN_COLUMNS}, true AS created
           )
           SELECT * FROM ins
           UNION ALL
           SELECT ${RUN_COLUMNS}, false AS created FROM runs WHERE plan_id = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
    values: [kind, planId, JSON.stringify(params), seed !== null && /^-?\d{1,18}$/.test(seed) ? seed : null],
  }),

  /** Rows for plan windows this run does not have yet; returns the new ones, whose jobs the caller inserts in the same transaction. */
  insertRunWindows: (runId: string, planId: string, seqs: number[], jobIds: string[]) => ({
    text: `INSERT INTO run_windows (run_id, seq, job_id)
           SELECT $1, s, j FROM unnest($3::int[], $4::uuid[]) AS x(s, j)
            WHERE EXISTS (SELECT 1 FROM plan_windows pw WHERE pw.plan_id = $2 AND pw.seq = x.s)
           ON CONFLICT (run_id, seq) DO NOTHING
           RETURNING seq, job_id::text`,
    values: [runId, planId, seqs, jobIds],
  }),

  missingSeqs: (runId: string, planId: string) => ({
    text: `SELECT pw.seq FROM plan_windows pw
            WHERE pw.plan_id = $2 AND NOT EXISTS (SELECT 1 FROM run_windows rw WHERE rw.run_id = $1 AND rw.seq = pw.seq)
            ORDER BY pw.seq`,
    values: [runId, planId],
  }),

  /**
   * Takes a window for processing. A window already done or failed is not
   * taken again (a duplicate delivery); 'running' is taken, since that is a
   * retry after a worker died or the job expired.
   */
  claim: (runId: string, seq: number, worker: string) => ({
    text: `UPDATE run_windows rw SET status = 'running', attempts = rw.attempts + 1, worker = $3, started_at = COALESCE(rw.started_at, now())
             FROM runs r, plan_windows pw
            WHERE rw.run_id = $1 AND rw.seq = $2 AND rw.status IN ('queued', 'running')
              AND r.id = rw.run_id AND pw.plan_id = r.plan_id AND pw.seq = rw.seq
           RETURNING pw.camera_code, pw.intersection_code, pw.starts_at, pw.ends_at, rw.attempts`,
    values: [runId, seq, worker],
  }),

  markRunStarted: (runId: string) => ({
    text: `UPDATE runs SET status = 'running', started_at = COALESCE(started_at, now()) WHERE id = $1 AND status = 'pending'`,
    values: [runId],
  }),

  finishWindow: (runId: string, seq: number, w: { status: 'done' | 'failed'; reason: string | null; windowId: string | null; coveredSeconds: number | null }) => ({
    text: `UPDATE run_windows SET status = $3, reason = $4, window_id = COALESCE($5, window_id), covered_seconds = $6, finished_at = now()
            WHERE run_id = $1 AND seq = $2 AND status IN ('queued', 'running')`,
    values: [runId, seq, w.status, w.reason, w.windowId, w.coveredSeconds],
  }),

  /** An unexpected error: back to queued with the error kept, for pg-boss to retry (or dead-letter). */
  releaseWindow: (runId: string, seq: number, reason: string, windowId: string | null) => ({
    text: `UPDATE run_windows SET status = 'queued', reason = $3, window_id = COALESCE($4, window_id)
            WHERE run_id = $1 AND seq = $2 AND status IN ('queued', 'running')`,
    values: [runId, seq, reason, windowId],
  }),

  /** Retries spent: failed for good, with the last error seen (or pg-boss's reason when the worker never reported one). */
  giveUpWindow: (runId: string, seq: number, fallbackReason: string) => ({
    text: `UPDATE run_windows SET status = 'failed', finished_at = now(),
                  reason = COALESCE(reason, $3) || ' (gave up after ' || attempts || ' attempt' || CASE WHEN attempts = 1 THEN '' ELSE 's' END || ')'
            WHERE run_id = $1 AND seq = $2 AND status IN ('queued', 'running')
           RETURNING window_id::text`,
    values: [runId, seq, fallbackReason],
  }),

  /**
   * Marks the run done once no window is open. Only the call that changes the
   * row gets it back, so exactly one worker runs the after-run work.
   */
  finishRunIfComplete: (runId: string) => ({
    text: `UPDATE runs r SET status = 'done', finished_at = now(), started_at = COALESCE(r.started_at, r.created_at),
                  reason = (SELECT CASE WHEN count(*) FILTER (WHERE status = 'failed') = 0 THEN NULL
                                        ELSE count(*) FILTER (WHERE status = 'failed') || ' of ' || count(*) || ' windows failed' END
                              FROM run_windows WHERE run_id = r.id)
            WHERE r.id = $1 AND r.status IN ('pending', 'running')
              AND NOT EXISTS (SELECT 1 FROM run_windows WHERE run_id = r.id AND status IN ('queued', 'running'))
           RETURNING r.id::text`,
    values: [runId],
  }),

  counts: (runId: string) => ({
    text: `SELECT count(*)::int AS total,
                  count(*) FILTER (WHERE rw.status = 'queued')::int AS queued,
                  count(*) FILTER (WHERE rw.status = 'running')::int AS running,
                  count(*) FILTER (WHERE rw.status = 'done')::int AS done,
                  count(*) FILTER (WHERE rw.status = 'failed')::int AS failed,
                  COALESCE(sum(rw.covered_seconds) FILTER (WHERE rw.status = 'done'), 0)::float8 AS covered_seconds,
                  COALESCE(sum(extract(epoch FROM pw.ends_at - pw.starts_at)), 0)::float8 AS planned_seconds,
                  COALESCE(sum(extract(epoch FROM pw.ends_at - pw.starts_at)) FILTER (WHERE rw.status IN ('done', 'failed')), 0)::float8 AS finished_seconds,
                  min(rw.started_at) AS first_started,
                  max(rw.finished_at) AS last_finished
             FROM run_windows rw
             JOIN runs r ON r.id = rw.run_id
             JOIN plan_windows pw ON pw.plan_id = r.plan_id AND pw.seq = rw.seq
            WHERE rw.run_id = $1`,
    values: [runId],
  }),

  failures: (runId: string, limit: number) => ({
    text: `SELECT rw.seq, pw.camera_code, pw.starts_at, rw.reason, rw.attempts
             FROM run_windows rw JOIN runs r ON r.id = rw.run_id JOIN plan_windows pw ON pw.plan_id = r.plan_id AND pw.seq = rw.seq
            WHERE rw.run_id = $1 AND rw.status = 'failed' ORDER BY rw.seq LIMIT $2`,
    values: [runId, limit],
  }),

  /** The local days (per intersection zone) a run's done windows fall on, for the after-run rollup. */
  runDays: (runId: string) => ({
    text: `SELECT to_char(min((pw.starts_at AT TIME ZONE i.time_zone)::date), 'YYYY-MM-DD') AS first,
                  to_char(max((pw.starts_at AT TIME ZONE i.time_zone)::date), 'YYYY-MM-DD') AS last
             FROM run_windows rw
             JOIN runs r ON r.id = rw.run_id
             JOIN plan_windows pw ON pw.plan_id = r.plan_id AND pw.seq = rw.seq
             JOIN intersections i ON i.code = pw.intersection_code
            WHERE rw.run_id = $1 AND rw.status = 'done'`,
    values: [runId],
  }),
};
