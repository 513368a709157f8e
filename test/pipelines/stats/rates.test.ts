import t from 'tap';
import { complianceRate, wilson } from '../../../pipelines/stats/rates.ts';

// Reference values from the closed form (Wilson 1927), checked by hand.
const rows: [number, number, number, number][] = [
  [0, 10, 0, 0.2775],
  [10, 10, 0.7225, 1],
  [5, 10, 0.2366, 0.7634],
  [95, 100, 0.8882, 0.9785],
  [1, 1, 0.2065, 1],
];
for (const [s, n, lo, hi] of rows) {
  t.test(`wilson(${s}, ${n})`, async (t) => {
    const i = wilson(s, n)!;
    t.ok(Math.abs(i.low - lo) < 5e-4, `low ${i.low} ~ ${lo}`);
    t.ok(Math.abs(i.high - hi) < 5e-4, `high ${i.high} ~ ${hi}`);
  });
}

t.test('no exposures gives no rate and no interval, not 100%', async (t) => {
  const r = complianceRate(0, 0, 3600);
  t.equal(r.rate, null);
  t.equal(r.interval, null);
  t.equal(r.violationsPerHour, 0);
});

t.test('rate, interval and violations per hour', async (t) => {
  const r = complianceRate(40, 4, 1800);
  t.equal(r.rate, 0.9);
  t.ok(r.interval!.low < 0.9 && r.interval!.high > 0.9);
  t.equal(r.violationsPerHour, 8);
  t.equal(r.coveredHours, 0.5);
});

t.test('impossible counts are refused', async (t) => {
  t.throws(() => complianceRate(3, 4, 60), RangeError);
  t.throws(() => wilson(5, 4), RangeError);
  t.equal(wilson(0, 0), null);
});
