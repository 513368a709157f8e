// The nightly batch: K windows per camera from the previous local day, one
// plan per day and one run per plan however often the job fires; the cron
// schedule registered in the site's zone (or removed with 'off').
import t from 'tap';
import { loadConfig } from '../../../services/config.ts';
import { openBoss, stopBoss, QUEUES } from '../../../services/queue/boss.ts';
import { planNightly, previousLocalDay, registerNightly, runNightly } from '../../../services/scheduler/nightly.ts';
import { getPlan } from '../../../services/plan/store.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import { importTestSites, insertSegment, morningFootage } from '../plan/helpers.ts';

const config = { ...loadConfig({}), nightlyWindowsPerCamera: 4, windowMinutes: 10, nightlyHours: '07:00-20:00', jobRetryLimit: 1, jobRetryDelaySeconds: 1 };

t.test('previous local day in the schedule zone', async (t) => {
  // 02:30 on 5 March in Shanghai is 18:30Z on the 4th.
  t.equal(previousLocalDay('Asia/Shanghai', Date.parse('2025-03-04T18:30:00Z')), '2025-03-04');
  t.equal(previousLocalDay('UTC', Date.parse('2025-03-01T02:00:00Z')), '2025-02-28');
});

t.test('K windows per camera from one day, planned and queued once', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  await morningFootage(db.pool, 'XH-001-N', 3); // 1 h on each of March 1..3: room for 6 windows a day
  // SIM-CAM on the 3rd: 25 minutes only, room for 2 windows of 10 min.
  await insertSegment(db.pool, 'SIM-CAM', new Date('2025-03-03T00:00:00Z'), new Date('2025-03-03T00:25:00Z'));

  const plan = await planNightly(db.pool, '2025-03-03', config);
  t.match(plan, { created: true, date: '2025-03-03', windows: 6 });
  t.same(
    plan.cameras.map((c) => [c.cameraCode, c.asked, c.drawn, c.maxWindows]),
    [
      ['SIM-CAM', 4, 2, 2],
      ['XH-001-N', 4, 4, 6],
    ],
    'each camera its K windows, or as many as fit',
  );
  const stored = await getPlan(db.pool, plan.planId);
  t.equal(stored.plan.kind, 'nightly');
  t.equal(stored.plan.period_from, '2025-03-03');
  t.ok(stored.windows.every((w) => w.starts_at >= new Date('2025-03-03T00:00:00Z') && w.ends_at <= new Date('2025-03-03T01:00:00Z')), 'inside that day\'s footage');
  t.match((stored.plan.description as { problems: string[] }).problems, [/SIM-CAM: 2 of 4 windows \(0\.42 h of footage inside the hours, room for 2\)/]);

  const again = await planNightly(db.pool, '2025-03-03', config);
  t.match(again, { planId: plan.planId, created: false, windows: 6 }, 'the same night again finds its plan');

  const boss = await openBoss(db.url, testLog);
  t.teardown(() => stopBoss(boss, 1000));
  const first = await runNightly(db.pool, boss, config, '2025-03-03', testLog);
  const second = await runNightly(db.pool, boss, config, '2025-03-03', testLog);
  t.equal(first.run?.queued, 6);
  t.equal(second.run?.queued, 0, 'a repeated nightly job queues nothing');
  t.equal(second.run?.run.id, first.run?.run.id);
  const jobs = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [QUEUES.window]);
  t.equal(jobs.rows[0]!.n, 6);

  const empty = await runNightly(db.pool, boss, config, '2025-03-20', testLog);
  t.match(empty, { plan: { windows: 0 }, run: null }, 'a day without footage queues nothing');

  await registerNightly(boss, { ...config, nightlyCron: '0 2 * * *', nightlyTimeZone: 'Asia/Shanghai' }, testLog);
  t.match(await boss.getSchedules(), [{ name: QUEUES.nightly, cron: '0 2 * * *', timezone: 'Asia/Shanghai' }]);
  await t.rejects(registerNightly(boss, { ...config, nightlyCron: 'at two' }, testLog), /CROSSWATCH_NIGHTLY_CRON \(nightlyCron\)/);
  await registerNightly(boss, { ...config, nightlyCron: 'off' }, testLog);
  t.same(await boss.getSchedules(), [], "'off' removes it");
});
