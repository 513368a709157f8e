import t from 'tap';
import { preAssess, type PreAssessmentOptions, type ProcessedWindow } from '../../../pipelines/assessment/index.ts';
import { CrosswatchError } from '../../../pipelines/errors.ts';

const rule = { start: 100, deductions: { red_light: 5 }, capPerWindow: null, floor: 0, passMark: 80 };
const base: PreAssessmentOptions = { windows: 10, windowMinutes: 10, draws: 2000, seed: 7, rule };

function windows(intersectionCode: string, count: number, violations: (i: number) => number, minutes = 10): ProcessedWindow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${intersectionCode}-${String(i).padStart(3, '0')}`,
    intersectionCode,
    cameraCode: `${intersectionCode}-cam`,
    coveredSeconds: minutes * 60,
    counts: { red_light: { violations: violations(i) } },
  }));
}

/** P(K <= k) for K ~ Binomial(n, p). */
function binomCdf(k: number, n: number, p: number): number {
  let c = 1;
  let s = 0;
  for (let i = 0; i <= k; i++) {
    s += c * p ** i * (1 - p) ** (n - i);
    c = (c * (n - i)) / (i + 1);
  }
  return s;
}

t.test('known answer: one violation in every window', async (t) => {
  const ws = [...windows('A', 30, () => 1), ...windows('B', 12, () => 1)];
  const r = preAssess(ws, { ...base, rule: { ...rule, deductions: { red_light: 2 } } });
  for (const e of [r.city, ...r.intersections.map((i) => i.estimate!)]) {
    t.equal(e.expectedScore, 80, 'every draw scores 100 - 10 x 2');
    t.same(e.band, { p5: 80, p95: 80 });
    t.equal(e.passProbability, 1, 'exactly at the pass mark passes');
    t.equal(e.scoreStdError, 0);
    t.equal(e.expectedDeduction, 20);
  }
  const failing = preAssess(ws, { ...base, rule: { ...rule, deductions: { red_light: 2 }, passMark: 80.5 } });
  t.equal(failing.city.passProbability, 0);
  const top = r.intersections[0]!.estimate!.costliestWindows;
  t.equal(top.length, 10);
  t.ok(top.every((w) => Math.abs(w.drawsPerAssessment - 10 / 30) < 1e-12 && Math.abs(w.share - 1 / 30) < 1e-12 && w.deductionPerDraw === 2));
  t.equal(top[0]!.id, 'A-000', 'ties listed by id');
});

t.test('mixed case against the binomial, within Monte Carlo error', async (t) => {
  // Half the windows cost 5 points: the deduction is 5 K, K ~ Binomial(10, 1/2); pass when K <= 4.
  const r = preAssess(windows('A', 40, (i) => i % 2), { ...base, draws: 20000 });
  const e = r.city;
  const p = binomCdf(4, 10, 0.5); // 386 / 1024
  t.ok(Math.abs(e.passProbability - p) < 4 * Math.sqrt((p * (1 - p)) / 20000), `pass ${e.passProbability} vs ${p}`);
  const sd = 5 * Math.sqrt(10 * 0.25);
  t.ok(Math.abs(e.expectedScore - 75) < (4 * sd) / Math.sqrt(20000), `score ${e.expectedScore} vs 75`);
  t.ok(Math.abs(e.scoreStdError - sd / Math.sqrt(20000)) < 0.1 * e.scoreStdError, 'standard error');
  // 5% of K is 2 and 95% is 8 (P(K<=1) = 1.1%, P(K<=2) = 5.5%, P(K>=8) = 5.5%).
  t.same(e.band, { p5: 60, p95: 90 });
  t.equal(e.costliestWindows.length, 10);
  t.ok(e.costliestWindows.every((w) => w.deductionPerDraw === 5 && Math.abs(w.share - 1 / 20) < 1e-12));
});

t.test("longer windows: left out under 'match', thinned under 'thin'", async (t) => {
  const long = windows('A', 40, () => 3, 30);
  const err = t.throws(() => preAssess(long, base)) as CrosswatchError;
  t.equal(err.code, 'ASSESSMENT_INSUFFICIENT');
  t.match(err.message, "0 processed windows of 10 min (±5%), at least 10 needed (10 per assessment, minimum 10); 40 more of other lengths were left out (lengthPolicy 'thin' can use the longer ones)");
  // Each draw keeps Binomial(3, 1/3) of the 3 violations: over 10 draws K ~ Binomial(30, 1/3), deduction 5 K; pass when K <= 4.
  const r = preAssess(long, { ...base, lengthPolicy: 'thin', draws: 20000 });
  const p = binomCdf(4, 30, 1 / 3);
  t.ok(Math.abs(r.city.passProbability - p) < 4 * Math.sqrt((p * (1 - p)) / 20000) + 1e-9, `pass ${r.city.passProbability} vs ${p}`);
  t.ok(Math.abs(r.city.expectedDeduction - 50) < 4 * (5 * Math.sqrt(30 * (2 / 9))) / Math.sqrt(20000), `deduction ${r.city.expectedDeduction} vs 50`);
  t.ok(Math.abs(r.city.costliestWindows[0]!.deductionPerDraw - 5) < 1e-9);
  const short = preAssess([...windows('A', 20, () => 0), ...windows('S', 20, () => 1, 5)], { ...base, lengthPolicy: 'thin' });
  t.equal(short.city.windowsUsed, 20, 'shorter windows are never used');
  t.equal(short.city.windowsExcluded, 20);
});

t.test('intersection weights steer the city-wide draw', async (t) => {
  const ws = [...windows('A', 20, () => 1), ...windows('B', 60, () => 0)];
  const r = preAssess(ws, { ...base, draws: 20000, intersectionWeights: { A: 1, B: 3 } });
  // A is drawn a quarter of the time: deduction 5 K, K ~ Binomial(10, 1/4).
  const sd = 5 * Math.sqrt(10 * 0.25 * 0.75);
  t.ok(Math.abs(r.city.expectedDeduction - 12.5) < (4 * sd) / Math.sqrt(20000), `deduction ${r.city.expectedDeduction} vs 12.5`);
  t.ok(Math.abs(r.city.costliestWindows[0]!.drawsPerAssessment - 10 * 0.25 / 20) < 1e-12);
  const p = binomCdf(4, 10, 0.25);
  t.ok(Math.abs(r.city.passProbability - p) < 4 * Math.sqrt((p * (1 - p)) / 20000));
  // Without weights the chance follows the window counts: A is a quarter of them too.
  t.ok(Math.abs(preAssess(ws, { ...base, draws: 20000 }).city.expectedDeduction - 12.5) < (4 * sd) / Math.sqrt(20000));
  t.throws(() => preAssess(ws, { ...base, intersectionWeights: { A: 1 } }), /no weight for B/);
  t.throws(() => preAssess(ws, { ...base, intersectionWeights: { A: 1, B: 1, C: 2 } }), /C \(weight 2\) would be drawn by the assessors but has no usable processed windows/);
});

t.test('reproducible from the seed, whatever the input order', async (t) => {
  const ws = [...windows('A', 40, (i) => i % 3), ...windows('B', 25, (i) => (i % 5 === 0 ? 2 : 0))];
  const a = preAssess(ws, base);
  t.same(preAssess([...ws].reverse(), base), a, 'same seed, reversed input: identical');
  t.not(preAssess(ws, { ...base, seed: 8 }).city.expectedScore, a.city.expectedScore, 'another seed: other draws');
  const withC = preAssess([...ws, ...windows('C', 15, () => 1)], base);
  t.same(withC.intersections.find((i) => i.intersectionCode === 'A'), a.intersections.find((i) => i.intersectionCode === 'A'), 'adding C leaves A unchanged');
});

t.test('too few windows: the city refuses, an intersection reports why', async (t) => {
  const err = t.throws(() => preAssess(windows('A', 9, () => 0), { ...base, windows: 5 })) as CrosswatchError;
  t.equal(err.code, 'ASSESSMENT_INSUFFICIENT');
  t.match(err.message, 'Cannot pre-assess city-wide: 9 processed windows of 10 min (±5%), at least 10 needed (5 per assessment, minimum 10)');
  t.throws(() => preAssess(windows('A', 15, () => 0), { ...base, windows: 20 }), /15 processed windows of 10 min \(±5%\), at least 20 needed/);
  const r = preAssess([...windows('A', 30, () => 0), ...windows('B', 6, () => 1)], base);
  const b = r.intersections.find((i) => i.intersectionCode === 'B')!;
  t.equal(b.estimate, null);
  t.equal(b.refusal, 'intersection B: 6 processed windows of 10 min (±5%), at least 10 needed (10 per assessment, minimum 10)');
  t.equal(r.city.windowsUsed, 36, 'B still counts city-wide');
});

t.test('malformed input names the field', async (t) => {
  const ok = windows('A', 20, () => 0);
  const rows: [ProcessedWindow[], Record<string, unknown>, string][] = [
    [ok, { draws: 0 }, '/options/draws: expected an integer in 1..1000000, got 0'],
    [ok, { windows: -1 }, '/options/windows'],
    [ok, { windowMinutes: 0 }, '/options/windowMinutes'],
    [ok, { lengthPolicy: 'scale' }, "/options/lengthPolicy: expected 'match' or 'thin'"],
    [ok, { rule: { ...rule, passMark: 120 } }, '/options/rule/passMark: must lie between floor (0) and start (100), got 120'],
    [[...ok, { ...ok[0]! }], {}, '/windows/20/id: A-000 appears twice'],
    [[{ ...ok[0]!, counts: { speeding: { violations: 1 } } } as unknown as ProcessedWindow], {}, '/windows/0/counts/speeding: not a category'],
    [[{ ...ok[0]!, coveredSeconds: 0 }], {}, '/windows/0/coveredSeconds'],
  ];
  for (const [ws, patch, want] of rows) {
    const err = t.throws(() => preAssess(ws, { ...base, ...patch } as unknown as PreAssessmentOptions)) as CrosswatchError;
    t.equal(err.code, 'ASSESSMENT_INVALID');
    t.ok(err.message.includes(want), `${want}: ${err.message}`);
  }
});
