// Window starts should spread like the eligible time: checked with loose
// chi-square bounds over 200 seeds (p < 1e-4 would be needed to fail by chance).
import t from 'tap';
import { drawSample, type CameraCoverage, type SamplingRequest } from '../../../pipelines/sampling/index.ts';
import { DAY, local } from './helpers.ts';

const MAY = Date.UTC(2024, 3, 30, 16); // 2024-05-01 00:00 in Shanghai
const SEEDS = 200;

function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

const request: SamplingRequest = { period: '2024-05', hours: ['07:00-20:00'], windows: 40, windowMinutes: 10, scope: 'city', seed: 0 };

t.test('starts spread evenly over hours of the day and days of the month', async (t) => {
  const coverage: CameraCoverage[] = [{ cameraCode: 'C', intersectionCode: 'X', timeZone: 'Asia/Shanghai', intervals: [{ from: MAY, to: MAY + 31 * DAY }] }];
  const byHour = new Array(13).fill(0);
  const byDay = new Array(31).fill(0);
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const w of drawSample(coverage, { ...request, seed }).windows) {
      const l = local('Asia/Shanghai', w.from);
      byHour[Math.floor(l.minute / 60) - 7]++;
      byDay[Number(l.date.slice(8)) - 1]++;
    }
  }
  const n = SEEDS * request.windows;
  // Starts may fall anywhere in 07:00-19:50: 60 minutes in each hour but the last, which has 50.
  const hourWeights = byHour.map((_, i) => (i === 12 ? 50 : 60));
  const total = hourWeights.reduce((s, w) => s + w, 0);
  const hourChi = chiSquare(byHour, hourWeights.map((w) => (n * w) / total));
  t.ok(hourChi < 45, `hours: chi-square ${hourChi.toFixed(1)} over 12 df (${byHour.join(' ')})`);
  const dayChi = chiSquare(byDay, byDay.map(() => n / 31));
  t.ok(dayChi < 75, `days: chi-square ${dayChi.toFixed(1)} over 30 df`);
});

t.test('cameras get windows in proportion to their eligible footage', async (t) => {
  // A has the whole month, B the first ten days: B should get about 10/41 of the windows.
  const coverage: CameraCoverage[] = [
    { cameraCode: 'A', intersectionCode: 'X', timeZone: 'Asia/Shanghai', intervals: [{ from: MAY, to: MAY + 31 * DAY }] },
    { cameraCode: 'B', intersectionCode: 'Y', timeZone: 'Asia/Shanghai', intervals: [{ from: MAY, to: MAY + 10 * DAY }] },
  ];
  let onB = 0;
  let all = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const ws = drawSample(coverage, { ...request, windows: 20, seed }).windows;
    onB += ws.filter((w) => w.cameraCode === 'B').length;
    all += ws.length;
  }
  const p = 10 / 41;
  const se = Math.sqrt((p * (1 - p)) / all);
  t.ok(Math.abs(onB / all - p) < 4 * se, `share on B ${(onB / all).toFixed(4)}, expected ${p.toFixed(4)} ± ${(4 * se).toFixed(4)}`);
});

t.test('proportional strata follow eligible time; fixed strata get their counts', async (t) => {
  const coverage: CameraCoverage[] = [{ cameraCode: 'C', intersectionCode: 'X', timeZone: 'Asia/Shanghai', intervals: [{ from: MAY, to: MAY + 31 * DAY }] }];
  const strata = { by: ['dayType' as const] };
  const plan = drawSample(coverage, { ...request, windows: 31, strata, seed: 5 });
  // May 2024 has 8 weekend days of 31.
  t.same(plan.description.groups[0]!.strata.map((s) => [s.stratum, s.allocated]), [['weekday', 23], ['weekend', 8]]);
  t.equal(plan.windows.filter((w) => w.stratum === 'weekend').length, 8);
  const fixed = drawSample(coverage, { ...request, windows: 10, strata: { ...strata, allocation: { kind: 'fixed', counts: { weekend: 10 } } }, seed: 5 });
  t.ok(fixed.windows.every((w) => w.stratum === 'weekend' && [0, 6].includes(local('Asia/Shanghai', w.from).weekday)));
});
