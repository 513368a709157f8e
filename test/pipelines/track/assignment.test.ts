import t from 'tap';
import { hungarian, linearAssignment } from '../../../pipelines/track/assignment.ts';
import { mulberry32 } from './synthetic.ts';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

t.test('hungarian finds the optimum (brute force on random 5×5)', async (t) => {
  const rnd = mulberry32(3);
  for (let trial = 0; trial < 30; trial++) {
    const m = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => Math.round(rnd() * 100)));
    const total = (cols: number[]) => cols.reduce((s, j, i) => s + m[i]![j]!, 0);
    const best = Math.min(...permutations(5).map(total));
    t.equal(total(hungarian(m)), best);
  }
});

const rows: [string, number[][], number, number, [number, number][]][] = [
  ['empty', [], 0, 0.5, []],
  ['greedy would strand a row: optimum takes the second-best pair', [[0.1, 0.2], [0.15, 0.9]], 2, 0.95, [[0, 1], [1, 0]]],
  ['pairs above the limit stay unmatched', [[0.9, 0.95], [0.2, 0.99]], 2, 0.8, [[1, 0]]],
  ['more columns than rows', [[0.5, 0.1, 0.3]], 3, 0.8, [[0, 1]]],
  ['more rows than columns', [[0.5], [0.1], [0.3]], 1, 0.8, [[1, 0]]],
];
for (const [name, cost, cols, limit, matches] of rows) {
  t.test(name, async (t) => {
    const a = linearAssignment(cost, cols, limit);
    t.same(a.matches, matches);
    t.equal(a.matches.length + a.unmatchedRows.length, cost.length);
    t.equal(a.matches.length + a.unmatchedCols.length, cols);
  });
}
