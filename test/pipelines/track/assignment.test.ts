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

t.test('solving each connected part alone gives the optimum of the whole (brute force on sparse random matrices)', async (t) => {
  const rnd = mulberry32(11);
  // Each pair within the limit costs its value; every row and column left unmatched costs limit / 2.
  const limit = 0.8;
  const value = (cost: number[][], cols: number, pairs: [number, number][]) =>
    pairs.reduce((s, [i, j]) => s + cost[i]![j]!, 0) + (limit / 2) * (cost.length - pairs.length + cols - pairs.length);
  /** Best value over every partial matching within the limit (rows tried in turn: matched to a free column or not). */
  const best = (cost: number[][], cols: number): number => {
    const go = (i: number, used: Set<number>, pairs: [number, number][]): number => {
      if (i === cost.length) return value(cost, cols, pairs);
      let b = go(i + 1, used, pairs);
      for (let j = 0; j < cols; j++) {
        if (used.has(j) || !(cost[i]![j]! <= limit)) continue;
        used.add(j);
        b = Math.min(b, go(i + 1, used, [...pairs, [i, j]]));
        used.delete(j);
      }
      return b;
    };
    return go(0, new Set(), []);
  };
  for (let trial = 0; trial < 200; trial++) {
    const rows = 1 + Math.floor(rnd() * 6);
    const cols = 1 + Math.floor(rnd() * 6);
    // Mostly out of reach, as on a junction: each track overlaps a detection or two.
    const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rnd() < 0.3 ? Math.round(rnd() * 80) / 100 : 1)));
    const a = linearAssignment(cost, cols, limit);
    t.ok(Math.abs(value(cost, cols, a.matches) - best(cost, cols)) < 1e-9, `trial ${trial}: ${rows}×${cols} optimum`);
    t.same(a.matches.map(([i]) => i), [...a.matches.map(([i]) => i)].sort((x, y) => x - y), 'rows ascending');
    t.equal(new Set(a.matches.map(([, j]) => j)).size, a.matches.length, 'a column used once');
  }
});
