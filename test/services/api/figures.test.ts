// Trends, ratings and review against rows inserted here: the numbers, the
// Wilson interval and the sample size, the local calendar, and review
// changing the rates with its audit trail.
import t from 'tap';
import { complianceRate, wilson } from '../../../pipelines/stats/rates.ts';
import { addSite, addWindow, apiFixture } from './helpers.ts';

const f = await apiFixture(t, { flagCount: 1, ratingMinExposures: 30 });
const A = await addSite(f.db, 'A', { unit: 'U1' });
const B = await addSite(f.db, 'B', { unit: 'U1' });
const C = await addSite(f.db, 'C', { unit: 'U2' });
const a1 = await addWindow(f.db, A.cameraId, '2024-05-10T02:00:00Z', { red_light: [100, 5], jaywalk: [20, 0] });
await addWindow(f.db, B.cameraId, '2024-05-11T02:00:00Z', { red_light: [50, 10] });
await addWindow(f.db, C.cameraId, '2024-05-12T02:00:00Z', { red_light: [10, 0] });
// 2024-06-01 01:00 in Shanghai: June there, though still May in UTC.
await addWindow(f.db, A.cameraId, '2024-05-31T17:00:00Z', { red_light: [10, 10] });
// Not processed: never counts.
await addWindow(f.db, A.cameraId, '2024-05-13T02:00:00Z', {}, { status: 'failed' });

const get = async (url: string, role: 'viewer' | 'reviewer' = 'viewer') => {
  const res = await f.app.inject({ url, headers: f.as(role) });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const review = (id: string, payload: object, role: 'viewer' | 'reviewer' = 'reviewer') =>
  f.app.inject({ method: 'POST', url: `/api/violations/${id}/review`, headers: f.as(role), payload });

t.test('intersection trend by local day, week and month', async (t) => {
  const range = 'from=2024-05-01T00:00:00Z&to=2024-06-03T00:00:00Z';
  const day = await get(`/api/intersections/A/trends?granularity=day&${range}`);
  t.same(day.buckets.map((b: { bucket: string }) => b.bucket), ['2024-05-10', '2024-06-01']);
  const may10 = day.buckets[0];
  t.equal(may10.exposures, 120, 'sample size: every category of the window');
  t.equal(may10.violations, 5);
  t.equal(may10.rate, 1 - 5 / 120);
  t.same(may10.interval, wilson(115, 120), '95% Wilson interval');
  t.equal(may10.coveredHours, 600 / 3600);
  t.equal(may10.violationsPerHour, 5 / (600 / 3600));
  t.equal(may10.windows, 1);
  const week = await get(`/api/intersections/A/trends?granularity=week&${range}`);
  t.same(week.buckets.map((b: { bucket: string }) => b.bucket), ['2024-05-06', '2024-05-27'], 'weeks start on local Monday');
  const month = await get(`/api/intersections/A/trends?granularity=month&${range}`);
  t.same(month.buckets.map((b: { bucket: string }) => b.bucket), ['2024-05-01', '2024-06-01']);
  t.same(month.total, { windows: 2, ...complianceRate(130, 15, 1200) });
  const jay = await get(`/api/intersections/A/trends?granularity=month&category=jaywalk&${range}`);
  t.same(jay.buckets.map((b: { exposures: number; violations: number }) => [b.exposures, b.violations]), [[20, 0], [0, 0]]);
  t.same(jay.buckets[0].interval, wilson(20, 20));
});

t.test('city trend adds every intersection', async (t) => {
  const city = await get('/api/trends/city?granularity=month&from=2024-05-01T00:00:00Z&to=2024-07-01T00:00:00Z');
  t.equal(city.scope, 'city');
  t.same(city.buckets.map((b: { bucket: string; exposures: number; violations: number; windows: number }) => [b.bucket, b.exposures, b.violations, b.windows]), [
    ['2024-05-01', 180, 15, 3],
    ['2024-06-01', 10, 10, 1],
  ]);
});

t.test('monthly ratings: bands, ranks, flags, units', async (t) => {
  const r = await get('/api/ratings?month=2024-05');
  t.same(r.items.map((i: { key: string; rank: number | null; band: string; redFlag: boolean; blackFlag: boolean }) => [i.key, i.rank, i.band, i.redFlag, i.blackFlag]), [
    ['A', 1, 'B', true, false],
    ['B', 2, 'D', false, true],
    ['C', null, 'unrated', false, false],
  ]);
  t.equal(r.items[0].compliance.exposures, 120);
  t.same(r.items[0].compliance.interval, wilson(115, 120));
  t.equal(r.rules.flagCount, 1);
  const units = await get('/api/ratings?month=2024-05&by=unit');
  t.same(units.items.map((i: { key: string; intersections: number; rank: number | null }) => [i.key, i.intersections, i.rank]), [['U1', 2, 1], ['U2', 1, null]]);
  t.same(units.items[0].compliance, complianceRate(170, 15, 1200));
  const june = await get('/api/ratings?month=2024-06');
  t.same(june.items.find((i: { key: string }) => i.key === 'A').compliance.exposures, 10, 'the local-June window');
});

t.test('review: rejected violations stop counting, audit keeps the trail', async (t) => {
  const [v1, v2, v3] = a1.violationIds as [string, string, string];
  const forbidden = await review(v1, { decision: 'reject', reason: 'a shadow' }, 'viewer');
  t.equal(forbidden.statusCode, 403);
  const noReason = await review(v1, { decision: 'reject' });
  t.equal(noReason.statusCode, 400);
  t.equal(noReason.json().error.details[0].path, '/body/reason');
  t.equal((await review('999999', { decision: 'confirm' })).statusCode, 404);

  t.equal((await review(v1, { decision: 'reject', reason: 'a shadow, not a car' })).statusCode, 200);
  t.equal((await review(v2, { decision: 'reject', reason: 'crossed on amber' })).statusCode, 200);
  const confirmed = await review(v3, { decision: 'confirm' });
  t.equal(confirmed.json().violation.reviewStatus, 'confirmed');
  t.equal(confirmed.json().violation.reviewedBy, 'reviewer-key');

  const r = await get('/api/ratings?month=2024-05');
  const a = r.items.find((i: { key: string }) => i.key === 'A');
  t.equal(a.compliance.violations, 3, '5 - 2 rejected; pending and confirmed count');
  t.equal(a.compliance.exposures, 120, 'exposures do not change');
  t.same(a.compliance.interval, wilson(117, 120));
  const trend = await get('/api/intersections/A/trends?granularity=month&from=2024-05-01T00:00:00Z&to=2024-06-01T00:00:00Z');
  t.equal(trend.buckets[0].violations, 3);
  const win = await get(`/api/windows/${a1.windowId}`);
  t.same(win.counts.find((c: { category: string }) => c.category === 'red_light'), { category: 'red_light', exposures: 100, violations: 5, rejected: 2, counted: 3 });

  // Changing one's mind is allowed and recorded: the rate follows the latest decision.
  t.equal((await review(v1, { decision: 'confirm', reason: 'second look: it was a car' })).statusCode, 200);
  const after = (await get('/api/ratings?month=2024-05')).items.find((i: { key: string }) => i.key === 'A');
  t.equal(after.compliance.violations, 4);

  const detail = await get(`/api/violations/${v1}`);
  t.same(detail.audit.map((e: { actor: string; from: string; to: string; reason: string | null }) => [e.actor, e.from, e.to, e.reason]), [
    ['reviewer-key', 'pending', 'rejected', 'a shadow, not a car'],
    ['reviewer-key', 'rejected', 'confirmed', 'second look: it was a car'],
  ]);
  const { rows } = await f.db.pool.query('SELECT count(*)::int AS n FROM review_audit');
  t.equal(rows[0].n, 4, 'one row per decision, failed attempts none');
  await t.rejects(f.db.pool.query(`UPDATE review_audit SET reason = 'edited'`), /append-only/);
  await t.rejects(f.db.pool.query(`DELETE FROM review_audit`), /append-only/);
});

t.test('figures written by another process show at the next request (replies are reused only while nothing changed)', async (t) => {
  const before = await get('/api/ratings?month=2024-05');
  t.same(await get('/api/ratings?month=2024-05'), before, 'unchanged figures, the same reply');
  const cTrend = await get('/api/intersections/C/trends?granularity=month&from=2024-05-01T00:00:00Z&to=2024-06-01T00:00:00Z');
  // As a worker would: rows written straight into the database.
  await addWindow(f.db, C.cameraId, '2024-05-20T02:00:00Z', { red_light: [25, 5] });
  const after = await get('/api/ratings?month=2024-05');
  const c = after.items.find((i: { key: string }) => i.key === 'C');
  t.same([c.compliance.exposures, c.compliance.violations], [35, 5], 'C now has the new window');
  const cAfter = await get('/api/intersections/C/trends?granularity=month&from=2024-05-01T00:00:00Z&to=2024-06-01T00:00:00Z');
  t.equal(cAfter.total.windows, cTrend.total.windows + 1);
  t.equal(cAfter.total.exposures, cTrend.total.exposures + 25);
});
