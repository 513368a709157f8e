import t from 'tap';
import { deductionDistribution, sampleDeduction } from '../../../pipelines/assessment/deductions.ts';
import { parseScoringRule } from '../../../pipelines/assessment/scoring.ts';
import { createRng } from '../../../pipelines/sampling/random.ts';

const rule = parseScoringRule({ deductions: { red_light: 2, jaywalk: 1 } });

t.test('a window of the assessors\' length costs a fixed amount', async (t) => {
  const d = deductionDistribution({ red_light: { violations: 2 }, jaywalk: { violations: 1 } }, rule, 1);
  t.same(d.values, [5]);
  t.equal(d.mean, 5);
  const capped = deductionDistribution({ red_light: { violations: 2 } }, { ...rule, capPerWindow: 3 }, 1);
  t.same(capped.values, [3]);
});

t.test('thinning gives the binomial', async (t) => {
  const d = deductionDistribution({ red_light: { violations: 3 } }, rule, 1 / 3);
  t.same(d.values, [0, 2, 4, 6]);
  const pmf = [8 / 27, 12 / 27, 6 / 27, 1 / 27];
  d.cdf.forEach((c, i) => t.ok(Math.abs(c - pmf.slice(0, i + 1).reduce((s, p) => s + p, 0)) < 1e-12, `cdf ${i}`));
  t.ok(Math.abs(d.mean - 2) < 1e-12);
  const capped = deductionDistribution({ red_light: { violations: 3 } }, { ...rule, capPerWindow: 3 }, 1 / 3);
  t.same(capped.values, [0, 2, 3]);
  t.ok(Math.abs(capped.mean - (12 / 27) * 2 - (7 / 27) * 3) < 1e-12);
});

t.test('many violations do not underflow', async (t) => {
  const d = deductionDistribution({ jaywalk: { violations: 5000 } }, rule, 0.1);
  t.ok(Math.abs(d.mean - 500) < 1e-6, `mean ${d.mean}`);
});

t.test('sampling follows the distribution', async (t) => {
  const d = deductionDistribution({ red_light: { violations: 3 } }, rule, 1 / 3);
  const rng = createRng(3);
  const hits = new Map<number, number>();
  const n = 27000;
  for (let i = 0; i < n; i++) {
    const x = sampleDeduction(d, rng);
    hits.set(x, (hits.get(x) ?? 0) + 1);
  }
  for (const [x, p] of [[0, 8 / 27], [2, 12 / 27], [4, 6 / 27], [6, 1 / 27]] as const) {
    const se = Math.sqrt((p * (1 - p)) / n);
    t.ok(Math.abs((hits.get(x) ?? 0) / n - p) < 4 * se, `P(${x})`);
  }
});
