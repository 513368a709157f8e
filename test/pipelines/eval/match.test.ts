import t from 'tap';
import { matchClips, matchEvents, scoreByCategory, type TruthEvent } from '../../../pipelines/eval/match-events.ts';
import { idSwitchCounter } from '../../../pipelines/eval/id-switches.ts';
import type { Box, Category, Violation } from '../../../pipelines/types.ts';

const box = (x: number): Box => ({ x1: x, y1: 100, x2: x + 40, y2: 140 });
const violation = (category: Category, t: number, x: number): Violation => ({
  category,
  trackId: 1,
  roadUserClass: 'vehicle',
  zoneId: 'north',
  t,
  score: 0.9,
  moments: [
    { frameIndex: 0, t: t - 125, box: box(x) },
    { frameIndex: 1, t, box: box(x) },
    { frameIndex: 2, t: t + 1000, box: box(x) },
  ],
});
const truth = (category: Category, t: number, x: number, actorId = 1): TruthEvent => ({ category, actorId, t, boxAt: () => box(x) });

const rows: [string, Violation[], TruthEvent[], { tp: number; fp: number; fn: number }][] = [
  ['exact match', [violation('red_light', 1000, 0)], [truth('red_light', 1000, 0)], { tp: 1, fp: 0, fn: 0 }],
  ['within tolerance', [violation('red_light', 2400, 0)], [truth('red_light', 1000, 0)], { tp: 1, fp: 0, fn: 0 }],
  ['too late', [violation('red_light', 2600, 0)], [truth('red_light', 1000, 0)], { tp: 0, fp: 1, fn: 1 }],
  ['other category', [violation('stop_line_overrun', 1000, 0)], [truth('red_light', 1000, 0)], { tp: 0, fp: 1, fn: 1 }],
  ['other road user (no overlap)', [violation('red_light', 1000, 500)], [truth('red_light', 1000, 0)], { tp: 0, fp: 1, fn: 1 }],
  ['one detection cannot claim two truths', [violation('red_light', 1000, 0)], [truth('red_light', 1000, 0, 1), truth('red_light', 1100, 0, 2)], { tp: 1, fp: 0, fn: 1 }],
  ['nothing found', [], [truth('jaywalk', 1000, 0)], { tp: 0, fp: 0, fn: 1 }],
];
for (const [name, found, truths, want] of rows) {
  t.test(name, async (t) => {
    const r = matchEvents(found, truths);
    const all = scoreByCategory(r, ['red_light', 'stop_line_overrun', 'jaywalk']);
    const sum = Object.values(all).reduce((a, s) => ({ tp: a.tp + s.tp, fp: a.fp + s.fp, fn: a.fn + s.fn }), { tp: 0, fp: 0, fn: 0 });
    t.same(sum, want);
  });
}

t.test('closest in time wins when two detections compete', async (t) => {
  const r = matchEvents([violation('red_light', 1900, 0), violation('red_light', 1100, 0)], [truth('red_light', 1000, 0)]);
  t.equal(r.pairs[0]!.violation.t, 1100);
  t.equal(r.falsePositives.length, 1);
});

// Two clips on one clock (the twin renders each condition's clips at the
// same times): a false run in clip A at 1.10 s; in clip B, at the same spot,
// a runner at 1.00 s the pipeline missed.
t.test('clips are matched each on its own, then pooled', async (t) => {
  const a = { found: [violation('red_light', 1100, 0)], truth: [] };
  const b = { found: [], truth: [truth('red_light', 1000, 0)] };
  const s = scoreByCategory(matchClips([a, b]), ['red_light']).red_light;
  t.same([s.tp, s.fp, s.fn], [0, 1, 1], 'a false run in A, a miss in B');
  const pooled = scoreByCategory(matchEvents([...a.found, ...b.found], [...a.truth, ...b.truth]), ['red_light']).red_light;
  t.same([pooled.tp, pooled.fp, pooled.fn], [1, 0, 0], 'pooled, A\'s false run would take B\'s runner');
});

t.test('precision and recall are null without a denominator', async (t) => {
  const s = scoreByCategory(matchEvents([], []), ['red_light']);
  t.same(s.red_light, { tp: 0, fp: 0, fn: 0, precision: null, recall: null });
});

t.test('id switches counted when a true road user changes track', async (t) => {
  const c = idSwitchCounter();
  c.push([{ actorId: 1, box: box(0) }], [{ trackId: 7, box: box(0) }]);
  c.push([{ actorId: 1, box: box(2) }], [{ trackId: 7, box: box(2) }]);
  c.push([{ actorId: 1, box: box(4) }], [{ trackId: 9, box: box(4) }]);
  c.push([{ actorId: 1, box: box(6) }], []);
  c.push([{ actorId: 1, box: box(8) }], [{ trackId: 9, box: box(8) }]);
  t.equal(c.switches, 1);
  t.equal(c.matched, 4);
});
