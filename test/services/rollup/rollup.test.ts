// Daily rollups equal the sums of window_counts over done windows, per local
// day, intersection and category; a refresh is idempotent; month-to-date
// ratings carry the compliance rate with its Wilson interval and sample size.
import t from 'tap';
import type pg from 'pg';
import { CATEGORIES, type Category } from '../../../pipelines/types.ts';
import { complianceRate } from '../../../pipelines/stats/rates.ts';
import { main } from '../../../services/cli/main.ts';
import { refreshRollups } from '../../../services/rollup/refresh.ts';
import { testDatabase } from '../../helpers/db.ts';
import { importTestSites } from '../plan/helpers.ts';

interface Win {
  camera: string;
  startsAt: string;
  status?: 'done' | 'failed';
  covered?: number;
  counts: Partial<Record<Category, [exposures: number, violations: number, unjudged?: number]>>;
  /** Violations per category a reviewer rejected. */
  rejected?: Partial<Record<Category, number>>;
}

// Shanghai is UTC+8: 15:30Z is 23:30 on the 3rd, 16:30Z is 00:30 on the 4th.
const WINDOWS: Win[] = [
  { camera: 'XH-001-N', startsAt: '2025-03-03T01:00:00Z', counts: { red_light: [10, 2, 1], jaywalk: [4, 1] }, rejected: { red_light: 1 } },
  { camera: 'XH-001-S', startsAt: '2025-03-03T02:00:00Z', covered: 420, counts: { red_light: [6, 0], stop_line_overrun: [3, 3] } },
  { camera: 'XH-001-N', startsAt: '2025-03-03T15:30:00Z', counts: { red_light: [5, 1], non_motor_red_light: [7, 2] }, rejected: { non_motor_red_light: 2 } },
  { camera: 'XH-001-N', startsAt: '2025-03-03T16:30:00Z', counts: { red_light: [8, 3] } },
  { camera: 'SIM-CAM', startsAt: '2025-03-04T03:00:00Z', counts: { jaywalk: [9, 4, 2] } },
  { camera: 'SIM-CAM', startsAt: '2025-03-04T04:00:00Z', status: 'failed', counts: {} },
  { camera: 'SIM-CAM', startsAt: '2025-03-06T04:00:00Z', counts: { red_light: [3, 1] } }, // outside the refreshed days
];

t.test('rollups are the sums of window_counts, idempotently; ratings follow', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  for (const w of WINDOWS) await insertWindow(db.pool, w);

  const result = await refreshRollups(db.pool, { from: '2025-03-03', to: '2025-03-04' });
  t.match(result, { from: '2025-03-03', to: '2025-03-04', windows: 5, intersectionDays: 3, months: ['2025-03'] });
  const rows = await rollups(db.pool);
  t.same(rows, expected(WINDOWS.filter((w) => w.startsAt < '2025-03-05')), 'per day, intersection and category: sums over done windows');

  await refreshRollups(db.pool, { from: '2025-03-03', to: '2025-03-04' });
  t.same(await rollups(db.pool), rows, 'a second refresh gives the same rows');

  await db.pool.query(`DELETE FROM windows WHERE starts_at = '2025-03-03T16:30:00Z'`);
  await refreshRollups(db.pool, { from: '2025-03-04', to: '2025-03-04' });
  t.same(await rollups(db.pool), expected(WINDOWS.filter((w) => w.startsAt < '2025-03-05' && w.startsAt !== '2025-03-03T16:30:00Z')), 'a window gone is gone from its day');

  await refreshRollups(db.pool, { from: '2025-03-01', to: '2025-03-31' });
  const ratings = (await db.pool.query(`SELECT i.code, r.category, to_char(r.through_day, 'YYYY-MM-DD') AS through_day, r.days, r.windows, r.covered_seconds, r.exposures, r.violations,
                                              r.compliance_rate, r.ci_low, r.ci_high, r.violations_per_hour
                                         FROM monthly_ratings r JOIN intersections i ON i.id = r.intersection_id
                                        WHERE r.month = '2025-03-01' AND r.category = 'all' ORDER BY i.code`)).rows;
  // SIM-IX: jaywalk 9/4 on the 4th and red light 3/1 on the 6th: 12 exposures, 5 violations, 2 windows of 600 s.
  const sim = complianceRate(12, 5, 1200);
  t.same(ratings.find((r) => r.code === 'SIM-IX'), {
    code: 'SIM-IX', category: 'all', through_day: '2025-03-06', days: 2, windows: 2, covered_seconds: 1200, exposures: 12, violations: 5,
    compliance_rate: sim.rate, ci_low: sim.interval!.low, ci_high: sim.interval!.high, violations_per_hour: sim.violationsPerHour,
  });
  // XH-001 after the deletion: 10+4+6+3+5+7 = 35 exposures; 2+1+0+3+1+2 = 9 violations, 3 rejected → 6 counted.
  const xh = ratings.find((r) => r.code === 'XH-001')!;
  t.match(xh, { windows: 3, exposures: 35, violations: 6, covered_seconds: 600 + 420 + 600, through_day: '2025-03-03' });
  t.equal(xh.compliance_rate, 1 - 6 / 35);

  const out: string[] = [];
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = db.url;
  try {
    t.equal(await main(['rollup', '--month', '2025-03'], (s) => out.push(s)), 0);
  } finally {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  }
  t.match(out.join('\n'), /Rollups refreshed for 2025-03-01 – 2025-03-31: 5 done window\(s\) over 3 intersection-day\(s\)/);
  t.match(out.join('\n'), /2025-03\s+SIM-IX\s+2025-03-06\s+2\s+0\.33\s+12\s+5\s+58\.3% \(\d+\.\d%–\d+\.\d%\)\s+15\.00/);
});

async function insertWindow(pool: pg.Pool, w: Win): Promise<void> {
  const starts = new Date(w.startsAt);
  const status = w.status ?? 'done';
  const id = (
    await pool.query<{ id: string }>({
      text: `INSERT INTO windows (camera_id, starts_at, ends_at, status, reason, model_version, rules_version, covered_seconds, processed_at)
             SELECT id, $2, $3, $4, $5, 'm@1', 'r@1', $6, now() FROM cameras WHERE code = $1 RETURNING id`,
      values: [w.camera, starts, new Date(starts.getTime() + 600_000), status, status === 'failed' ? 'DECODE_FAILED: test' : null, w.covered ?? 600],
    })
  ).rows[0]!.id;
  if (status !== 'done') return;
  for (const c of CATEGORIES) {
    const [e, v, u] = w.counts[c] ?? [0, 0, 0];
    await pool.query(`INSERT INTO window_counts (window_id, category, exposures, violations, unjudged) VALUES ($1, $2, $3, $4, $5)`, [id, c, e, v, u ?? 0]);
    for (let k = 0; k < v; k++) {
      const rejected = k < (w.rejected?.[c] ?? 0);
      await pool.query(
        `INSERT INTO violations (window_id, category, track_id, road_user_class, zone_id, t, score, moments, review_status, reviewed_at)
         VALUES ($1, $2, $3, 'vehicle', 'north', $4, 0.9, '[]', $5, $6)`,
        [id, c, k, starts, rejected ? 'rejected' : 'pending', rejected ? new Date() : null],
      );
    }
  }
}

const INTERSECTION: Record<string, string> = { 'XH-001-N': 'XH-001', 'XH-001-S': 'XH-001', 'SIM-CAM': 'SIM-IX' };

/** The rollup rows computed here from the fixture, in the query's order. */
function expected(windows: Win[]) {
  const rows = new Map<string, { day: string; code: string; category: string; windows: number; covered_seconds: number; exposures: number; violations: number; rejected: number; unjudged: number }>();
  for (const w of windows) {
    if ((w.status ?? 'done') !== 'done') continue;
    const day = new Date(new Date(w.startsAt).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const c of CATEGORIES) {
      const key = `${day}|${INTERSECTION[w.camera]}|${c}`;
      const r = rows.get(key) ?? { day, code: INTERSECTION[w.camera]!, category: c, windows: 0, covered_seconds: 0, exposures: 0, violations: 0, rejected: 0, unjudged: 0 };
      const [e, v, u] = w.counts[c] ?? [0, 0, 0];
      r.windows += 1;
      r.covered_seconds += w.covered ?? 600;
      r.exposures += e;
      r.violations += v;
      r.rejected += Math.min(v, w.rejected?.[c] ?? 0);
      r.unjudged += u ?? 0;
      rows.set(key, r);
    }
  }
  return [...rows.values()].sort((a, b) => (a.day + a.code + a.category < b.day + b.code + b.category ? -1 : 1));
}

async function rollups(pool: pg.Pool) {
  return (
    await pool.query(`SELECT to_char(r.day, 'YYYY-MM-DD') AS day, i.code, r.category, r.windows, r.covered_seconds, r.exposures, r.violations, r.rejected, r.unjudged
                        FROM daily_rollups r JOIN intersections i ON i.id = r.intersection_id
                       ORDER BY r.day, i.code, r.category`)
  ).rows;
}
