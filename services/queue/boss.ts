// pg-boss in the application database (its own schema, `pgboss`): the queue
// names, the job payloads, and starting and stopping it. pg-boss registers no
// process signal handlers; callers stop it (gracefully) themselves.
import PgBoss from 'pg-boss';
import { CrosswatchError } from '../../pipelines/errors.ts';
import type { Config } from '../config.ts';
import { APPLICATION_NAME, describeUrl, isConnectionError } from '../db/pool.ts';
import type { Logger } from '../log.ts';

export const QUEUES = {
  /** One job per window of a run. */
  window: 'crosswatch-window',
  /** pg-boss moves a window job here once its retries are spent (or it expired on its last try). */
  windowFailed: 'crosswatch-window-failed',
  /** The nightly cron fires here: plan yesterday and queue it. */
  nightly: 'crosswatch-nightly',
} as const;

export const BOSS_SCHEMA = 'pgboss';

export interface WindowJobData {
  runId: string;
  seq: number;
}

export interface NightlyJobData {
  /** Local date to plan ('YYYY-MM-DD'); default the day before the job was created, in the schedule's zone. */
  date?: string;
}

export type RetryConfig = Pick<Config, 'jobRetryLimit' | 'jobRetryDelaySeconds' | 'jobExpireSeconds'>;

export interface BossOptions {
  /**
   * A worker process also supervises (expires lost jobs, archives) and keeps
   * the cron clock; a CLI command that only queues or reads does neither.
   */
  worker?: boolean;
  /** Seconds between maintenance passes (expiry of lost jobs); pg-boss's default 120. */
  maintenanceIntervalSeconds?: number;
}

/**
 * pg-boss 10 completes or fails a job after its handler without awaiting the
 * promise (manager.js onFetch: `this.complete(...)`, `this.fail(...)`). When
 * the database is down at that moment the rejection is unhandled, and Node
 * ends the process: a worker died with every PostgreSQL restart (found by
 * test/faults/pg-restart.test.ts). Such a lost completion costs nothing: the
 * job stays active, expires and is retried, and a window already finished is
 * acknowledged on its next delivery. So a connection error raised inside
 * pg-boss is logged and dropped; every other unhandled rejection still ends
 * the process as Node's default would.
 */
let guarded = false;
function dropLostCompletions(log: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    const stack = (reason as Error | undefined)?.stack ?? '';
    if (isConnectionError(reason) && /[\\/]pg-boss[\\/]/.test(stack)) {
      log.warn({ err: (reason as Error).message }, 'pg-boss could not record a job outcome (database unreachable); the job expires and is retried');
      return;
    }
    throw reason;
  });
}

export async function openBoss(url: string, log: Logger, opts: BossOptions = {}): Promise<PgBoss> {
  const worker = opts.worker ?? false;
  dropLostCompletions(log);
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    // Same name as the app's own pool: the embedded server's close() counts other processes by it.
    application_name: APPLICATION_NAME,
    max: 4,
    supervise: worker,
    schedule: worker,
    migrate: true,
    ...(opts.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds } : {}),
  });
  // A lost connection (server restart) surfaces here; pg-boss keeps polling and recovers on its own.
  boss.on('error', (err) => log.warn({ err: err.message }, 'pg-boss error'));
  try {
    await boss.start();
    await ensureQueues(boss);
  } catch (cause) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new CrosswatchError('DATABASE', `pg-boss on ${describeUrl(url)} could not start: ${(cause as Error).message}`, { cause });
  }
  return boss;
}

/**
 * Idempotent (pg-boss inserts queues ON CONFLICT DO NOTHING); the dead-letter
 * queue first, since the window queue names it.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  await createQueueRacing(boss, QUEUES.windowFailed);
  await createQueueRacing(boss, QUEUES.window, { name: QUEUES.window, deadLetter: QUEUES.windowFailed });
  await createQueueRacing(boss, QUEUES.nightly);
}

const DEADLOCK = '40P01';

/**
 * pg-boss 10 creates a queue without its advisory lock: the queue row, then a
 * partition attached to its job table. Two processes starting together on a
 * fresh database (two `crosswatch run`s, or workers on several machines) can
 * deadlock there: each holds what the other's ATTACH PARTITION needs, and
 * PostgreSQL aborts one. The aborted creation rolled back whole, so trying
 * again is safe, and by then the winner's queue exists and the retry is a no-op.
 */
async function createQueueRacing(boss: PgBoss, name: string, options?: PgBoss.Queue, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(name)) return;
      await boss.createQueue(name, options);
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== DEADLOCK || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** Per-job retry and expiry: set when queued, from the queueing process's configuration. */
export function windowJobOptions(c: RetryConfig) {
  return {
    retryLimit: c.jobRetryLimit,
    retryDelay: c.jobRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: c.jobExpireSeconds,
    deadLetter: QUEUES.windowFailed,
  };
}

export async function stopBoss(boss: PgBoss, timeoutMs = 30_000): Promise<void> {
  await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
}
