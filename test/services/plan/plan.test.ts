// Plans: drawn from the catalogued footage of calibrated cameras, stored
// with what reproduces them, refused with the numbers when impossible.
import t from 'tap';
import { CrosswatchError, isCrosswatchError } from '../../../pipelines/errors.ts';
import { drawSample, type SamplingRequest } from '../../../pipelines/sampling/index.ts';
import { main } from '../../../services/cli/main.ts';
import { loadCoverage, periodDates } from '../../../services/plan/coverage.ts';
import { createPlan } from '../../../services/plan/create-plan.ts';
import { getPlan } from '../../../services/plan/store.ts';
import { testDatabase } from '../../helpers/db.ts';
import { importTestSites, insertSegment, morningFootage } from './helpers.ts';

const request: SamplingRequest = { period: '2025-03', hours: ['07:00-20:00'], windows: 12, windowMinutes: 10, scope: 'city', seed: 42 };

t.test('a plan is stored and reproducible from its seed', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  await morningFootage(db.pool, 'XH-001-N', 10);
  await morningFootage(db.pool, 'SIM-CAM', 10);
  await morningFootage(db.pool, 'XH-001-S', 10); // not calibrated: cannot be judged
  await insertSegment(db.pool, 'CAM-X', new Date('2025-03-02T00:00:00Z'), new Date('2025-03-02T01:00:00Z')); // not in the sites

  const created = await createPlan(db.pool, request);
  const stored = await getPlan(db.pool, created.id);
  t.equal(stored.plan.kind, 'assessment');
  t.equal(stored.plan.seed, '42');
  t.same(stored.plan.params, request, 'the request is stored as given');
  t.equal(stored.plan.period_from, '2025-03-01');
  t.equal(stored.plan.period_to, '2025-03-31');
  t.equal(stored.windows.length, 12);
  t.same(
    stored.windows.map((w) => [w.camera_code, w.starts_at.getTime(), w.ends_at.getTime()]),
    created.sample.windows.map((w) => [w.cameraCode, w.from, w.to]),
    'the stored windows are the drawn ones',
  );
  t.ok(stored.windows.every((w) => ['XH-001-N', 'SIM-CAM'].includes(w.camera_code)), 'only calibrated cameras are drawn');
  t.same(created.excluded, [
    { camera_code: 'CAM-X', why: 'not in the sites' },
    { camera_code: 'XH-001-S', why: 'not calibrated' },
  ]);
  // The 200 ms cut inside each hour is footage: 10-min windows fit 6 an hour, 10 days, per camera.
  const cams = (stored.plan.description as { cameras: { cameraCode: string; strata: { eligibleHours: number; maxWindows: number }[] }[] }).cameras;
  t.same(
    cams.map((c) => [c.cameraCode, Number(c.strata[0]!.eligibleHours.toFixed(3)), c.strata[0]!.maxWindows]),
    [
      ['SIM-CAM', 10, 60],
      ['XH-001-N', 10, 60],
    ],
  );

  // Reproducible: the stored request over the same footage draws the same windows.
  const coverage = await loadCoverage(db.pool, periodDates(stored.plan.params['period'] as string)!);
  t.equal(coverage.digest, stored.plan.coverage_digest, 'the footage is unchanged since the plan');
  const again = drawSample(coverage.cameras, stored.plan.params as unknown as SamplingRequest);
  t.same(again.windows.map((w) => [w.cameraCode, w.from]), created.sample.windows.map((w) => [w.cameraCode, w.from]));
  const twin = await createPlan(db.pool, request);
  t.not(twin.id, created.id);
  t.same(twin.sample.windows, created.sample.windows, 'same seed, same windows');
  const other = await createPlan(db.pool, { ...request, seed: 43 });
  t.notSame(other.sample.windows, created.sample.windows, 'another seed, other windows');

  const out: string[] = [];
  await withDatabaseUrl(db.url, async () => {
    t.equal(await main(['plan', '--month', '2025-03', '--windows', '4', '--minutes', '20', '--seed', '9', '--strata', 'dayType', '--json'], (s) => out.push(s)), 0);
  });
  const json = JSON.parse(out.join('\n'));
  t.equal(json.windows.length, 4);
  t.equal(json.seed, '9');
  t.match(json.params, { windowMinutes: 20, strata: { by: ['dayType'] }, hours: ['07:00-20:00'] });
  t.match(json.windows[0].from_local, /^2025-03-\d\d 0[78]:\d\d:\d\d$/, 'windows shown in site time');
  const shown: string[] = [];
  await withDatabaseUrl(db.url, async () => t.equal(await main(['plan', 'show', String(json.id)], (s) => shown.push(s)), 0));
  t.match(shown.join('\n'), new RegExp(`^Plan ${json.id} \\(assessment\\): 4 windows of 20 min = 80 min \\(1\\.33 h\\) of footage, city-wide`));
  t.match(shown.join('\n'), /SIM-CAM\s+SIM-IX\s+Asia\/Shanghai\s+10\s+30\s+\d/, 'eligible hours and capacity (20-min windows: 3 an hour) per camera');
  t.match(shown.join('\n'), /Left out \(footage but cannot be judged\): CAM-X \(not in the sites\), XH-001-S \(not calibrated\)/);
});

t.test('an impossible plan is refused with the numbers and nothing is stored', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  await morningFootage(db.pool, 'XH-001-N', 2);
  await morningFootage(db.pool, 'SIM-CAM', 2);
  const err = await createPlan(db.pool, { ...request, windows: 25 }).catch((e: unknown) => e);
  t.ok(isCrosswatchError(err, 'SAMPLING_IMPOSSIBLE'), 'SAMPLING_IMPOSSIBLE');
  t.match((err as CrosswatchError).message, 'asked for 25 windows of 10 min; city-wide, 2 cameras have 4 h of eligible footage, at most 24 non-overlapping windows');
  const perIntersection = await createPlan(db.pool, { ...request, windows: 13, scope: 'intersection' }).catch((e: unknown) => e);
  t.match((perIntersection as Error).message, /intersection SIM-IX has 2 h of eligible footage, at most 12 non-overlapping windows/);
  const empty = await createPlan(db.pool, { ...request, period: '2025-04' }).catch((e: unknown) => e);
  t.match((empty as Error).message, /no calibrated camera has readable footage in the period/);

  const stderr = await captureStderr(() =>
    withDatabaseUrl(db.url, async () => t.equal(await main(['plan', '--month', '2025-03', '--windows', '25', '--minutes', '10']), 1, 'the command exits 1')),
  );
  t.match(stderr, /crosswatch plan: Cannot draw the sample:\n\s+asked for 25 windows of 10 min.*at most 24 non-overlapping windows/);
  const plans = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM plans');
  t.equal(plans.rows[0]!.n, 0);
});

async function withDatabaseUrl(url: string, fn: () => Promise<unknown>): Promise<void> {
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = url;
  try {
    await fn();
  } finally {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  }
}

async function captureStderr(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return text;
}
