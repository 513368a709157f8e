import t from 'tap';
import {
  blockedBy,
  intersectSpans,
  leftGreedy,
  mergeSpans,
  packCount,
  rightGreedy,
  subtractSpans,
  tightStarts,
  type Span,
} from '../../../pipelines/sampling/packing.ts';
import { createRng } from '../../../pipelines/sampling/random.ts';

const S = (a: number, b: number): Span => ({ a, b });

t.test('packCount, one row per case', async (t) => {
  const rows: [string, Span[], number, number][] = [
    ['empty', [], 10, 0],
    ['one point', [S(5, 5)], 10, 1],
    ['exactly two', [S(0, 10)], 10, 2],
    ['just short of two', [S(0, 9)], 10, 1],
    ['two runs closer than a window', [S(0, 4), S(8, 9)], 10, 1],
    ['the second run reached by the cursor', [S(0, 4), S(8, 12)], 10, 2],
    ['two runs a window apart', [S(0, 4), S(14, 20)], 10, 2],
    ['run inside the shadow of the previous pick', [S(0, 0), S(3, 9), S(10, 10)], 10, 2],
  ];
  for (const [name, spans, l, want] of rows) t.equal(packCount(mergeSpans(spans), l), want, name);
});

/** Most windows by brute force over all subsets of points (small cases only). */
function bruteForce(points: number[], l: number): number {
  let best = 0;
  const go = (i: number, last: number, n: number) => {
    best = Math.max(best, n);
    for (let k = i; k < points.length; k++) if (points[k]! - last >= l) go(k + 1, points[k]!, n + 1);
  };
  go(0, -Infinity, 0);
  return best;
}

t.test('greedy packing is optimal and tight starts keep it (random small cases)', async (t) => {
  const rng = createRng(7, 'packing');
  let bad = 0;
  for (let trial = 0; trial < 300; trial++) {
    const l = 1 + rng.int(5);
    const spans = Array.from({ length: 1 + rng.int(4) }, () => {
      const a = rng.int(30);
      return S(a, a + rng.int(6));
    });
    const merged = mergeSpans(spans);
    const points = merged.flatMap((s) => Array.from({ length: s.b - s.a + 1 }, (_, i) => s.a + i));
    const c = packCount(merged, l);
    if (c !== bruteForce(points, l) || leftGreedy(merged, l).length !== c || rightGreedy(merged, l).length !== c) bad++;
    // Every tight start leaves room for c - 1 more, every other start does not.
    const tight = tightStarts(merged, l);
    for (const p of points) {
      const after = packCount(subtractSpans(merged, blockedBy([p], l)), l);
      const isTight = tight.some((s) => s.a <= p && p <= s.b);
      if (isTight !== (after === c - 1)) bad++;
    }
  }
  t.equal(bad, 0);
});

t.test('subtract and intersect', async (t) => {
  t.same(subtractSpans([S(0, 20)], [S(3, 5), S(10, 12)]), [S(0, 2), S(6, 9), S(13, 20)]);
  t.same(subtractSpans([S(0, 5), S(10, 15)], [S(4, 11)]), [S(0, 3), S(12, 15)]);
  t.same(subtractSpans([S(0, 5)], [S(-3, 9)]), []);
  t.same(intersectSpans([S(0, 5), S(10, 15)], [S(4, 11)]), [S(4, 5), S(10, 11)]);
  t.same(blockedBy([10, 30], 10), [S(1, 19), S(21, 39)]);
  t.same(mergeSpans([S(5, 6), S(0, 3), S(4, 4)]), [S(0, 6)]);
});
