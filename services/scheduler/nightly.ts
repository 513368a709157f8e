// The nightly batch: a pg-boss cron schedule fires a job (default 02:00 in the
// sites' zone) that draws K windows per camera from the previous local day,
// stores them as that day's plan and queues its run. The workers take it from
// there, and the worker that finishes the run refreshes rollups and ratings.
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { describePlan, drawSample, type CameraCoverage, type SampledWindow, type SamplingRequest } from '../../pipelines/sampling/index.ts';
import { addDays, formatDate, parseDate } from '../../pipelines/time/calendar.ts';
import { isTimeZone, localDateAt } from '../../pipelines/time/zone.ts';
import { ENV_NAMES, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { loadCoverage } from '../plan/coverage.ts';
import { nightlyPlan, storePlan } from '../plan/store.ts';
import { QUEUES, type NightlyJobData, type RetryConfig } from '../queue/boss.ts';
import { startRun, type StartedRun } from '../queue/enqueue.ts';

export type NightlyConfig = Pick<Config, 'nightlyCron' | 'nightlyTimeZone' | 'defaultTimeZone' | 'nightlyWindowsPerCamera' | 'nightlyHours' | 'windowMinutes'>;

export interface NightlyCamera {
  cameraCode: string;
  intersectionCode: string;
  timeZone: string;
  /** Footage inside the hours that day, hours. */
  eligibleHours: number;
  /** Most non-overlapping windows that fit. */
  maxWindows: number;
  asked: number;
  drawn: number;
}

export interface NightlyPlan {
  planId: string;
  /** False when the day already had its plan (a repeated job): the stored one is returned. */
  created: boolean;
  date: string;
  windows: number;
  cameras: NightlyCamera[];
}

export function nightlyZone(config: NightlyConfig): string {
  const zone = config.nightlyTimeZone ?? config.defaultTimeZone;
  if (!isTimeZone(zone)) throw new CrosswatchError('CONFIG_INVALID', `Invalid configuration:\n  ${ENV_NAMES.nightlyTimeZone} (nightlyTimeZone): not an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(zone)}`);
  return zone;
}

/** Creates or updates the cron schedule; CROSSWATCH_NIGHTLY_CRON=off removes it. */
export async function registerNightly(boss: PgBoss, config: NightlyConfig, log: Logger): Promise<{ cron: string | null; timeZone: string }> {
  const timeZone = nightlyZone(config);
  if (config.nightlyCron.trim().toLowerCase() === 'off') {
    await boss.unschedule(QUEUES.nightly);
    log.info('nightly schedule removed (CROSSWATCH_NIGHTLY_CRON=off)');
    return { cron: null, timeZone };
  }
  try {
    await boss.schedule(QUEUES.nightly, config.nightlyCron, {}, { tz: timeZone });
  } catch (cause) {
    throw new CrosswatchError('CONFIG_INVALID', `Invalid configuration:\n  ${ENV_NAMES.nightlyCron} (nightlyCron): ${(cause as Error).message}, got ${JSON.stringify(config.nightlyCron)}`, { cause });
  }
  log.info({ cron: config.nightlyCron, timeZone }, 'nightly schedule registered');
  return { cron: config.nightlyCron, timeZone };
}

/** The local date before the one `instant` falls on in `zone`. */
export function previousLocalDay(zone: string, instant: number): string {
  return formatDate(addDays(parseDate(localDateAt(zone, instant))!, -1));
}

/**
 * Draws up to K windows per camera from `date` (each camera's own local
 * day and hours). A camera with less footage gets the windows that fit and
 * a note; one without gets none. The draw is seeded by the date, so the same
 * day and footage always give the same windows.
 */
export async function planNightly(pool: pg.Pool, date: string, config: NightlyConfig): Promise<NightlyPlan> {
  const day = parseDate(date);
  if (!day) throw new CrosswatchError('USAGE', `a nightly date is 'YYYY-MM-DD', got ${JSON.stringify(date)}`);
  const existing = await nightlyPlan(pool, date);
  if (existing) return fromStored(existing.id, date, existing.description, false);
  const hours = config.nightlyHours.split(',').map((h) => h.trim()).filter((h) => h !== '');
  const seed = `nightly/${date}`;
  const coverage = await loadCoverage(pool, { first: day, last: day });
  const cameras: NightlyCamera[] = [];
  const windows: SampledWindow[] = [];
  for (const cam of [...coverage.cameras].sort((a, b) => (a.cameraCode < b.cameraCode ? -1 : 1))) {
    const { camera, drawn } = drawCamera(cam, { period: { from: date, to: date }, hours, windows: config.nightlyWindowsPerCamera, windowMinutes: config.windowMinutes, scope: 'city', seed: `${seed}/${cam.cameraCode}` });
    cameras.push(camera);
    windows.push(...drawn);
  }
  windows.sort((x, y) => x.from - y.from || (x.cameraCode < y.cameraCode ? -1 : 1));
  const problems = cameras.filter((c) => c.drawn < c.asked).map((c) => `${c.cameraCode}: ${c.drawn} of ${c.asked} windows (${c.eligibleHours.toFixed(2)} h of footage inside the hours, room for ${c.maxWindows})`);
  const description = { cameras, excluded: coverage.excluded, problems };
  const params = { date, windowsPerCamera: config.nightlyWindowsPerCamera, windowMinutes: config.windowMinutes, hours, seed };
  try {
    const planId = await storePlan(pool, {
      kind: 'nightly',
      params,
      seed,
      periodFrom: date,
      periodTo: date,
      windowMinutes: config.windowMinutes,
      description,
      coverageDigest: coverage.digest,
      nightlyDate: date,
      windows,
    });
    return { planId, created: true, date, windows: windows.length, cameras };
  } catch (err) {
    // Another worker stored this day's plan first (unique nightly_date): use that one.
    if ((err as { code?: string }).code !== '23505') throw err;
    const stored = await nightlyPlan(pool, date);
    if (!stored) throw err;
    return fromStored(stored.id, date, stored.description, false);
  }
}

function drawCamera(cam: CameraCoverage, request: SamplingRequest): { camera: NightlyCamera; drawn: SampledWindow[] } {
  const description = describePlan([cam], request);
  const figures = description.groups[0]?.strata ?? [];
  const maxWindows = figures.reduce((s, f) => s + f.maxWindows, 0);
  const eligibleHours = figures.reduce((s, f) => s + f.eligibleHours, 0);
  const k = Math.min(request.windows, maxWindows);
  const camera = { cameraCode: cam.cameraCode, intersectionCode: cam.intersectionCode, timeZone: cam.timeZone, eligibleHours, maxWindows, asked: request.windows, drawn: k };
  return { camera, drawn: k === 0 ? [] : drawSample([cam], { ...request, windows: k }).windows };
}

function fromStored(planId: string, date: string, description: unknown, created: boolean): NightlyPlan {
  const cameras = ((description as { cameras?: NightlyCamera[] }).cameras ?? []) as NightlyCamera[];
  return { planId, created, date, windows: cameras.reduce((s, c) => s + c.drawn, 0), cameras };
}

/** The nightly job: plan the day and queue its run (both idempotent, so a retried job changes nothing). */
export async function runNightly(
  pool: pg.Pool,
  boss: PgBoss,
  config: NightlyConfig & RetryConfig,
  date: string,
  log: Logger,
): Promise<{ plan: NightlyPlan; run: StartedRun | null }> {
  const plan = await planNightly(pool, date, config);
  if (plan.windows === 0) {
    log.warn({ date, cameras: plan.cameras.length }, 'nightly: no footage inside the hours that day; nothing queued');
    return { plan, run: null };
  }
  const run = await startRun(pool, boss, plan.planId, config);
  log.info({ date, plan: plan.planId, run: run.run.id, queued: run.queued }, 'nightly run queued');
  return { plan, run };
}

/** Consumes the cron's jobs in a worker process. */
export async function workNightly(pool: pg.Pool, boss: PgBoss, config: NightlyConfig & RetryConfig, log: Logger, pollSeconds: number): Promise<void> {
  const zone = nightlyZone(config);
  await boss.work<NightlyJobData>(QUEUES.nightly, { batchSize: 1, pollingIntervalSeconds: pollSeconds, includeMetadata: true }, async ([job]) => {
    const date = job!.data?.date ?? previousLocalDay(zone, new Date(job!.createdOn).getTime());
    await runNightly(pool, boss, config, date, log.child({ nightly: date }));
  });
}
