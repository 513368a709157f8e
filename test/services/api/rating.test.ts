// Bands, ranks and flags (services/api/rating.ts), one row per case.
import t from 'tap';
import { complianceRate } from '../../../pipelines/stats/rates.ts';
import { bandOf, rank } from '../../../services/api/rating.ts';

t.test('bands', async (t) => {
  const cases: [number, number, string][] = [
    [100, 0, 'A'], [100, 2, 'A'], [100, 3, 'B'], [100, 5, 'B'], [100, 10, 'C'], [100, 11, 'D'], [100, 20, 'D'], [100, 21, 'E'], [29, 0, 'unrated'], [0, 0, 'unrated'],
  ];
  for (const [e, v, band] of cases) t.equal(bandOf(complianceRate(e, v, 3600), 30), band, `${v}/${e} → ${band}`);
});

t.test('ranks and flags', async (t) => {
  const entry = (key: string, e: number, v: number) => ({ key, item: key, rate: complianceRate(e, v, 3600) });
  const ranked = rank([entry('d', 100, 15), entry('a', 100, 1), entry('b', 200, 2), entry('c', 100, 8), entry('e', 100, 30), entry('z', 5, 0)], { minExposures: 30, flagCount: 2 });
  t.same(ranked.map((r) => [r.item, r.rank, r.redFlag, r.blackFlag]), [
    ['b', 1, true, false], // same rate as a, more exposures: narrower interval, higher low bound
    ['a', 2, true, false],
    ['c', 3, false, false],
    ['d', 4, false, true],
    ['e', 5, false, true],
    ['z', null, false, false],
  ]);
  const low = rank([entry('x', 100, 50), entry('y', 100, 40)], { minExposures: 30, flagCount: 3 });
  t.same(low.map((r) => [r.item, r.redFlag, r.blackFlag]), [['y', false, true], ['x', false, true]], 'no red flag below the pass line; k capped at half');
});
