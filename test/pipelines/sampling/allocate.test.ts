import t from 'tap';
import { allocate } from '../../../pipelines/sampling/allocate.ts';

t.test('largest remainder sums to the total', async (t) => {
  const rows: [number, number[], number[]][] = [
    [10, [1, 1, 1], [4, 3, 3]],
    [20, [50, 30, 20], [10, 6, 4]],
    [7, [0, 1], [0, 7]],
    [3, [0, 0], [0, 0]],
    [5, [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0]],
  ];
  for (const [total, weights, want] of rows) t.same(allocate(total, weights, { kind: 'proportional' }, weights.map(String)), want, `${total} over ${weights}`);
});

t.test('fixed counts are taken as given, missing labels get none', async (t) => {
  t.same(allocate(6, [1, 1], { kind: 'fixed', counts: { weekend: 6 } }, ['weekday', 'weekend']), [0, 6]);
});
