// Runs and simulations through HTTP on the real database and pg-boss: a run
// drawn from plan parameters queues one job per window; a simulation's
// figures follow from the windows stored; refusals name the field or the numbers.
import t from 'tap';
import { DEFAULT_SCORING_RULE } from '../../../pipelines/assessment/index.ts';
import { QUEUES } from '../../../services/queue/boss.ts';
import { importTestSites, morningFootage } from '../plan/helpers.ts';
import { addSite, addWindow, apiFixture } from './helpers.ts';

t.test('runs: created from plan parameters, queued once, followed', async (t) => {
  const f = await apiFixture(t, {}, { queue: true });
  await importTestSites(f.db.pool);
  await morningFootage(f.db.pool, 'SIM-CAM', 5);
  const post = (body: object, role: 'operator' | 'viewer' | 'reviewer' = 'operator') =>
    f.app.inject({ method: 'POST', url: '/api/runs', headers: f.as(role), payload: body });

  const created = await post({ month: '2025-03', windows: 6, minutes: 10, seed: 7 });
  t.equal(created.statusCode, 201, created.statusCode === 201 ? 'answered 201' : created.body);
  const c = created.json();
  t.equal(c.plan.windows, 6);
  t.equal(c.plan.created, true);
  t.equal(c.queued, 6);
  t.equal(c.alreadyQueued, 0);
  t.same(c.run.windows, { total: 6, queued: 6, running: 0, done: 0, failed: 0 });
  t.equal(c.run.plannedHours, 1, '6 windows of 10 min');
  t.equal(c.run.etaSeconds, null, 'no estimate before a window finished');
  const jobs = await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [QUEUES.window]);
  t.equal(jobs.rows[0]!.n, 6, 'one pg-boss job per window');
  const plan = await f.db.pool.query<{ seed: string; n: number }>(`SELECT p.seed, (SELECT count(*)::int FROM plan_windows w WHERE w.plan_id = p.id) AS n FROM plans p WHERE p.id = $1`, [c.plan.id]);
  t.same(plan.rows[0], { seed: '7', n: 6 }, 'the plan is stored with its seed');

  const again = await post({ planId: c.plan.id });
  t.equal(again.statusCode, 201, again.statusCode === 201 ? 'answered 201' : again.body);
  t.match(again.json(), { plan: { id: c.plan.id, created: false }, run: { id: c.run.id }, queued: 0, alreadyQueued: 6 }, 'queuing a plan twice queues nothing new');
  const jobsAfter = await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [QUEUES.window]);
  t.equal(jobsAfter.rows[0]!.n, 6);

  const one = await f.app.inject({ url: `/api/runs/${c.run.id}`, headers: f.as('viewer') });
  t.equal(one.statusCode, 200);
  t.same(one.json().windows, c.run.windows);
  const list = await f.app.inject({ url: '/api/runs', headers: f.as('viewer') });
  t.same(list.json().items.map((r: { id: string }) => r.id), [c.run.id]);

  // Refusals.
  t.equal((await post({ month: '2025-03', windows: 1 }, 'viewer')).statusCode, 403, 'a viewer cannot queue');
  t.equal((await post({ month: '2025-03', windows: 1 }, 'reviewer')).statusCode, 403, 'a reviewer cannot queue');
  const missing = await post({ windows: 3 });
  t.equal(missing.statusCode, 400);
  t.match(missing.json().error, { code: 'VALIDATION', message: /\/body\/month: is required/ });
  const both = await post({ planId: c.plan.id, windows: 3 });
  t.equal(both.statusCode, 400);
  t.match(both.json().error.message, /\/body\/windows: must be left out when planId names a stored plan/);
  const badHours = await post({ month: '2025-03', windows: 2, hours: ['7-20'] });
  t.equal(badHours.statusCode, 400);
  t.match(badHours.json().error.message, /\/body\/hours\/0/);
  const tooMany = await post({ month: '2025-03', windows: 500, minutes: 10 });
  t.equal(tooMany.statusCode, 409, tooMany.statusCode === 409 ? 'answered 409' : tooMany.body);
  t.match(tooMany.json().error.message, /30/, 'the refusal gives the numbers (5 h of footage fit 30 windows)');
  t.equal((await post({ planId: '999999' })).statusCode, 404);
  t.equal((await f.app.inject({ url: '/api/runs/999999', headers: f.as('viewer') })).statusCode, 404);
  const plans = await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM plans`);
  t.equal(plans.rows[0]!.n, 1, 'refused requests store no plan');
});

t.test('runs: a server without a queue says so and stores nothing', async (t) => {
  const f = await apiFixture(t);
  await importTestSites(f.db.pool);
  await morningFootage(f.db.pool, 'SIM-CAM', 2);
  const res = await f.app.inject({ method: 'POST', url: '/api/runs', headers: f.as('operator'), payload: { month: '2025-03', windows: 2 } });
  t.equal(res.statusCode, 503);
  t.match(res.json().error.message, /without a job queue/);
  t.equal((await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM plans`)).rows[0]!.n, 0);
});

t.test('simulations: figures follow from the stored windows, latest is served in full', async (t) => {
  const f = await apiFixture(t);
  const orderly = await addSite(f.db, 'ORD');
  const poor = await addSite(f.db, 'POOR');
  const few = await addSite(f.db, 'FEW');
  // 12 ten-minute windows each in March (Shanghai): ORD has no violations, POOR
  // exactly 3 red-light runners in every window, FEW only 4 windows.
  for (let d = 1; d <= 12; d++) {
    const at = `2025-03-${String(d).padStart(2, '0')}T02:00:00Z`;
    await addWindow(f.db, orderly.cameraId, at, { red_light: [20, 0] });
    await addWindow(f.db, poor.cameraId, at, { red_light: [20, 3] });
    if (d <= 4) await addWindow(f.db, few.cameraId, at, { jaywalk: [5, 1] });
  }
  const post = (body: object, role: 'operator' | 'viewer' = 'operator') => f.app.inject({ method: 'POST', url: '/api/simulations', headers: f.as(role), payload: body });

  t.equal((await f.app.inject({ url: '/api/simulations/latest', headers: f.as('viewer') })).statusCode, 404, 'none yet');
  const res = await post({ month: '2025-03', windows: 5, minutes: 10, draws: 2000, seed: 3 });
  t.equal(res.statusCode, 201, res.statusCode === 201 ? 'answered 201' : res.body);
  const sim = res.json();
  t.equal(sim.windowsFound, 28);
  t.equal(sim.city.windowsUsed, 28);
  const by = Object.fromEntries(sim.intersections.map((i: { code: string }) => [i.code, i]));
  t.equal(by.ORD.name, 'Junction ORD');
  t.match(by.ORD.estimate, { windowsUsed: 12, expectedScore: 100, passProbability: 1, band: { p5: 100, p95: 100 } });
  // Every POOR window costs 3 × 2 points; 5 windows per assessment: 100 − 30, always.
  const perWindow = 3 * DEFAULT_SCORING_RULE.deductions.red_light!;
  t.match(by.POOR.estimate, { windowsUsed: 12, expectedScore: 100 - 5 * perWindow, passProbability: 0 });
  t.equal(by.POOR.estimate.costliestWindows[0].pointsPerDraw, perWindow);
  t.equal(by.POOR.estimate.costliestWindows[0].intersection, 'POOR');
  t.equal(by.FEW.estimate, null, 'too few windows: no estimate');
  t.match(by.FEW.refusal, /4 processed windows/);
  t.ok(sim.city.expectedScore < 100 && sim.city.expectedScore > 100 - 5 * perWindow, 'the city draw mixes both');

  const latest = await f.app.inject({ url: '/api/simulations/latest', headers: f.as('viewer') });
  t.equal(latest.statusCode, 200);
  t.same(latest.json(), sim, 'latest is the stored result');
  t.same((await f.app.inject({ url: `/api/simulations/${sim.id}`, headers: f.as('viewer') })).json(), sim);
  const list = (await f.app.inject({ url: '/api/simulations?month=2025-03', headers: f.as('viewer') })).json();
  t.match(list.items, [{ id: sim.id, month: '2025-03', windowsUsed: 28, city: { expectedScore: sim.city.expectedScore } }]);

  // A custom rule: red light costs nothing, so POOR scores 100.
  const lenient = await post({ month: '2025-03', windows: 5, minutes: 10, draws: 500, rule: { deductions: { jaywalk: 1 } } });
  t.equal(lenient.statusCode, 201, lenient.statusCode === 201 ? 'answered 201' : lenient.body);
  t.equal(lenient.json().intersections.find((i: { code: string }) => i.code === 'POOR').estimate.expectedScore, 100);
  t.equal((await f.app.inject({ url: '/api/simulations/latest', headers: f.as('viewer') })).json().id, lenient.json().id, 'latest is the newest');

  // Refusals.
  t.equal((await post({ month: '2025-03' }, 'viewer')).statusCode, 403);
  const badRule = await post({ month: '2025-03', rule: { deductions: { red_light: -1 } } });
  t.equal(badRule.statusCode, 400);
  t.match(badRule.json().error.message, /\/body\/rule\/deductions\/red_light/);
  const empty = await post({ month: '2025-04', minutes: 10 });
  t.equal(empty.statusCode, 409);
  t.match(empty.json().error.message, /no processed \(done\) windows/);
  const tooFew = await post({ month: '2025-03', windows: 50, minutes: 10 });
  t.equal(tooFew.statusCode, 409);
  t.match(tooFew.json().error.message, /28 done window\(s\)/);
  t.equal((await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM simulations`)).rows[0]!.n, 2, 'refused requests store nothing');
});
