// Pre-assessment over stored windows with known answers: every window of
// XH-001 has exactly one red-light violation, none of SIM-IX's has any.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { CATEGORIES } from '../../../pipelines/types.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { DEFAULT_SCORING_RULE, type ScoringRule } from '../../../pipelines/assessment/index.ts';
import { main } from '../../../services/cli/main.ts';
import { getSimulation, listSimulations, simulateMonth } from '../../../services/simulate/simulate.ts';
import { testDatabase } from '../../helpers/db.ts';
import { importTestSites } from '../plan/helpers.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-simulate-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const rule: ScoringRule = { ...DEFAULT_SCORING_RULE, start: 100, deductions: { red_light: 3 }, floor: 0, passMark: 80 };

t.test('known answers per intersection and city-wide, stored with their parameters', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  // 15 ten-minute windows each on March 3..17 (Shanghai morning): XH-001 one red light each, SIM-IX none.
  for (let d = 0; d < 15; d++) {
    await insertWindow(db.pool, 'XH-001-N', new Date(Date.UTC(2025, 2, 3 + d, 1)), 1);
    await insertWindow(db.pool, 'SIM-CAM', new Date(Date.UTC(2025, 2, 3 + d, 2)), 0);
  }
  await insertWindow(db.pool, 'SIM-CAM', new Date(Date.UTC(2025, 2, 20, 2)), 0, 'failed'); // not processed: not used
  await insertWindow(db.pool, 'SIM-CAM', new Date(Date.UTC(2025, 3, 1, 2)), 1); // April: not this month

  const sim = await simulateMonth(db.pool, { month: '2025-03', windows: 10, windowMinutes: 10, draws: 4000, seed: 7, rule });
  t.equal(sim.windowsFound, 30, 'thirty done windows found in March');
  const a = sim.assessment;
  const xh = a.intersections.find((i) => i.intersectionCode === 'XH-001')!.estimate!;
  const simIx = a.intersections.find((i) => i.intersectionCode === 'SIM-IX')!.estimate!;
  // Ten windows of one violation at 3 points: always 70, never passes.
  t.match(xh, { windowsUsed: 15, expectedScore: 70, band: { p5: 70, p95: 70 }, passProbability: 0 });
  t.match(simIx, { windowsUsed: 15, expectedScore: 100, band: { p5: 100, p95: 100 }, passProbability: 1 });
  // City: 10 of 30 windows, half costing 3 points: 100 - 3·Bin(10, 1/2); passes when at most 6 violations (P = 0.828125).
  t.equal(a.city.windowsUsed, 30);
  t.ok(Math.abs(a.city.expectedScore - 85) < 4 * a.city.scoreStdError, `expected score ${a.city.expectedScore} ≈ 85 (s.e. ${a.city.scoreStdError})`);
  t.ok(Math.abs(a.city.passProbability - 0.828125) < 4 * a.city.passProbabilityStdError, `pass probability ${a.city.passProbability} ≈ 0.828`);
  t.ok(a.city.costliestWindows.filter((w) => w.expectedDeduction > 0).every((w) => w.intersectionCode === 'XH-001'), 'the costly windows are XH-001 ones');

  const stored = await getSimulation(db.pool, sim.id);
  t.equal(stored?.month, '2025-03');
  t.match(stored?.params, { windows: 10, windowMinutes: 10, draws: 4000, seed: 7, rule });
  t.equal(stored?.windows_found, 30);
  t.same(stored?.results.city.expectedScore, a.city.expectedScore);
  const [listed] = await listSimulations(db.pool, { month: '2025-03' });
  t.same(
    listed!.targets.map((x) => [x.target, x.windows_used, x.expected_score, x.pass_probability, x.refusal]),
    [
      ['city', 30, a.city.expectedScore, a.city.passProbability, null],
      ['SIM-IX', 15, 100, 1, null],
      ['XH-001', 15, 70, 0, null],
    ],
  );

  const ruleFile = path.join(tmp, 'rule.json');
  writeFileSync(ruleFile, JSON.stringify({ deductions: { red_light: 3 }, passMark: 80 }));
  const out: string[] = [];
  await withDatabaseUrl(db.url, async () =>
    t.equal(await main(['simulate', '--month', '2025-03', '--windows', '10', '--minutes', '10', '--draws', '2000', '--seed', '7', '--rule', ruleFile], (s) => out.push(s)), 0),
  );
  const text = out.join('\n');
  t.match(text, /^Pre-assessment of 2025-03 \(simulation \d+\): rests on 30 processed window\(s\) of 10 min \(30 done windows found, 0 of other lengths left out\)/);
  t.match(text, /XH-001\s+15\s+70\.00 \(± 0\.00\)\s+70\.0 – 70\.0\s+0\.0% \(± 0\.0\)/);
  t.match(text, /Costliest windows city-wide/);
});

t.test('too few processed windows: refused with the numbers, nothing stored', async (t) => {
  const db = await testDatabase(t);
  await importTestSites(db.pool);
  for (let d = 0; d < 5; d++) await insertWindow(db.pool, 'XH-001-N', new Date(Date.UTC(2025, 2, 3 + d, 1)), 1);
  const err = await simulateMonth(db.pool, { month: '2025-03', windows: 20, windowMinutes: 10, draws: 100, seed: 1, rule }).catch((e: unknown) => e);
  t.ok(isCrosswatchError(err, 'ASSESSMENT_INSUFFICIENT'));
  t.match((err as Error).message, /^Cannot pre-assess 2025-03: 5 done window\(s\) in the month; city-wide: 5 processed windows of 10 min \(±5%\), at least 20 needed/);
  const none = await simulateMonth(db.pool, { month: '2025-04', windows: 20, windowMinutes: 10, draws: 100, seed: 1, rule }).catch((e: unknown) => e);
  t.match((none as Error).message, /Cannot pre-assess 2025-04: no processed \(done\) windows in that month/);
  await withDatabaseUrl(db.url, async () => t.equal(await main(['simulate', '--month', '2025-03'], () => undefined), 1, 'the command exits 1'));
  const n = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM simulations');
  t.equal(n.rows[0]!.n, 0);
});

async function insertWindow(pool: pg.Pool, camera: string, starts: Date, redLights: number, status: 'done' | 'failed' = 'done'): Promise<void> {
  const id = (
    await pool.query<{ id: string }>({
      text: `INSERT INTO windows (camera_id, starts_at, ends_at, status, reason, model_version, rules_version, covered_seconds, processed_at)
             SELECT id, $2, $3, $4, $5, 'm@1', 'r@1', 600, now() FROM cameras WHERE code = $1 RETURNING id`,
      values: [camera, starts, new Date(starts.getTime() + 600_000), status, status === 'failed' ? 'DECODE_FAILED: test' : null],
    })
  ).rows[0]!.id;
  if (status !== 'done') return;
  for (const c of CATEGORIES) {
    const v = c === 'red_light' ? redLights : 0;
    await pool.query(`INSERT INTO window_counts (window_id, category, exposures, violations) VALUES ($1, $2, $3, $4)`, [id, c, v + 5, v]);
  }
}

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
