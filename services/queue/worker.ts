// The window worker: K pg-boss consumers in one process sharing one
// detector. A window's outcome is stored on run_windows; known failures
// (missing footage, unreadable file) are final at once, anything else is
// thrown back to pg-boss, which retries it with backoff and, once the retries
// are spent, moves it to the dead-letter queue, whose consumer marks it
// failed. Either way the run finishes when its last window does.
import os from 'node:os';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Detector } from '../../pipelines/detect/index.ts';
import { isConnectionError, waitForDatabase } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { runWindow, WindowSuperseded } from '../window/run-window.ts';
import { QUEUES, type WindowJobData } from './boss.ts';
import { queueSql } from './queries.ts';

/** How long a window whose database connection broke waits for the database before handing the job back. */
const DATABASE_WAIT_MS = 120_000;

export interface WorkerDeps {
  pool: pg.Pool;
  boss: PgBoss;
  detector: Detector;
  modelVersion: string;
  ffmpegPath: string;
  evidenceDir: string;
  sampleFps: number;
  log: Logger;
  /** Windows processed at once by this process. */
  concurrency: number;
  pollSeconds: number;
  /** After the last window of a run: rollups and ratings (see afterRun.ts). Errors are logged, never fail the window. */
  onRunFinished?: (runId: string) => Promise<void>;
}

export interface WindowWorker {
  /** host:pid, stored on the windows it takes. */
  name: string;
  /** Windows in progress here. */
  busy(): number;
  /** Windows this process finished (done or failed) since it started. */
  finished(): number;
  /** Stops taking jobs and lets windows in progress finish for drainMs, then aborts them (pg-boss retries them elsewhere). */
  stop(drainMs?: number): Promise<void>;
  /** Aborts windows in progress now. */
  abort(): void;
}

export async function startWindowWorker(deps: WorkerDeps): Promise<WindowWorker> {
  const name = `${os.hostname()}:${process.pid}`;
  const log = deps.log.child({ worker: name });
  const controller = new AbortController();
  let busy = 0;
  let finished = 0;
  const ctx: Ctx = { ...deps, log, name, signal: controller.signal };
  const work = { batchSize: 1, pollingIntervalSeconds: deps.pollSeconds };
  for (let i = 0; i < deps.concurrency; i++) {
    await deps.boss.work<WindowJobData>(QUEUES.window, work, async ([job]) => {
      busy++;
      try {
        if (await processWindowJob(job!, ctx)) finished++;
      } finally {
        busy--;
      }
    });
  }
  await deps.boss.work<WindowJobData>(QUEUES.windowFailed, { batchSize: 10, pollingIntervalSeconds: deps.pollSeconds, includeMetadata: true }, async (jobs) => {
    for (const job of jobs) if (await giveUp(job, ctx)) finished++;
  });
  log.info({ concurrency: deps.concurrency, model: deps.modelVersion }, 'window worker started');
  return {
    name,
    busy: () => busy,
    finished: () => finished,
    abort: () => controller.abort(),
    async stop(drainMs = 60_000) {
      const timer = setTimeout(() => {
        if (busy > 0) log.warn({ busy }, 'windows still in progress after the drain time: aborting them; pg-boss retries them');
        controller.abort();
      }, drainMs);
      try {
        await deps.boss.stop({ graceful: true, wait: true, timeout: drainMs + 10_000, close: true });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

interface Ctx extends WorkerDeps {
  name: string;
  signal: AbortSignal;
}

/** Returns true when the window reached a final state here. */
async function processWindowJob(job: PgBoss.Job<WindowJobData>, ctx: Ctx): Promise<boolean> {
  const { runId, seq } = job.data;
  const log = ctx.log.child({ run: runId, seq, job: job.id });
  const claimed = (await ctx.pool.query(queueSql.claim(runId, seq, ctx.name))).rows[0];
  if (!claimed) {
    // Delivered again after it finished (or its run was deleted): nothing to do.
    log.info('window already finished; job acknowledged');
    return false;
  }
  await ctx.pool.query(queueSql.markRunStarted(runId));
  let report;
  try {
    report = await runWindow(
      { cameraCode: claimed.camera_code, from: claimed.starts_at, to: claimed.ends_at, runId },
      { pool: ctx.pool, detector: ctx.detector, modelVersion: ctx.modelVersion, ffmpegPath: ctx.ffmpegPath, evidenceDir: ctx.evidenceDir, sampleFps: ctx.sampleFps, log, signal: ctx.signal },
    );
  } catch (err) {
    if (err instanceof WindowSuperseded) {
      // This job was presumed lost and retried while it still ran: the newer
      // attempt owns the window and reports it; acknowledge without a word.
      log.warn({ attempt: claimed.attempts }, err.message);
      return false;
    }
    const reason = (err as Error).message ?? String(err);
    log.warn({ attempt: claimed.attempts, reason }, 'window attempt failed (unexpected error): pg-boss retries it with backoff, or gives up once the retries are spent');
    // The database went away mid-window (restart, failover): wait for it, so
    // the release and pg-boss's retry are recorded now rather than after the
    // job's expiry (30 min by default).
    if (isConnectionError(err) && !(await waitForDatabase(ctx.pool, DATABASE_WAIT_MS))) log.warn('database still unreachable: the job expires and is retried');
    await ctx.pool.query(queueSql.releaseWindow(runId, seq, reason, null)).catch((e: unknown) => log.warn({ err: (e as Error).message }, 'could not release the window'));
    throw err;
  }
  if (report.status === 'failed' && ctx.signal.aborted) {
    // Interrupted by a stopping worker, not a fault of the window: another attempt will finish it.
    await ctx.pool.query(queueSql.releaseWindow(runId, seq, 'interrupted: worker stopping', report.windowId));
    throw new Error(`window ${report.windowId} interrupted: worker ${ctx.name} stopping`);
  }
  await ctx.pool.query(
    queueSql.finishWindow(runId, seq, {
      status: report.status,
      reason: report.reason,
      windowId: report.windowId,
      coveredSeconds: report.status === 'done' ? report.coveredSeconds : null,
    }),
  );
  await afterWindow(runId, ctx);
  return true;
}

/** A window whose retries are spent (pg-boss dead letter): failed for good, with the last error it gave. */
async function giveUp(job: PgBoss.JobWithMetadata<WindowJobData>, ctx: Ctx): Promise<boolean> {
  const { runId, seq } = job.data;
  const reason = `pg-boss: ${outputMessage(job.output)}`;
  const row = (await ctx.pool.query(queueSql.giveUpWindow(runId, seq, reason))).rows[0];
  if (!row) return false;
  ctx.log.warn({ run: runId, seq }, 'window failed for good: retries spent');
  await afterWindow(runId, ctx);
  return true;
}

async function afterWindow(runId: string, ctx: Ctx): Promise<void> {
  const finished = (await ctx.pool.query(queueSql.finishRunIfComplete(runId))).rows[0];
  if (!finished) return;
  ctx.log.info({ run: runId }, 'run done');
  try {
    await ctx.onRunFinished?.(runId);
  } catch (err) {
    ctx.log.error({ err, run: runId }, 'after-run work failed (rollups can be refreshed with `crosswatch rollup`)');
  }
}

function outputMessage(output: unknown): string {
  const o = output as { message?: unknown; value?: unknown } | null | undefined;
  if (typeof o?.message === 'string') return o.message;
  const v = o?.value as { message?: unknown } | string | undefined;
  if (typeof v === 'string') return v;
  if (typeof v?.message === 'string') return v.message;
  return output === null || output === undefined ? 'job failed without a message' : JSON.stringify(output);
}
