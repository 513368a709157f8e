import t from 'tap';
import { matchClips, matchEvents, scoreByCategory, type TruthEvent } from '../../../pipelines/eval/match-events.ts';
import { idSwitchCounter } from '../../../pipelines/eval/id-switches.ts';
import { scoreExposures, tallyExposures, trackFollower } from '../../../pipelines/eval/match-exposures.ts';
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

t.test('a track belongs to the true road user it followed most around a moment, else over its life; pairs one to one, best overlap first', async (t) => {
  const f = trackFollower();
  // Track 7 follows actor 1 for three frames (0–250 ms), then passes to actor 2 for three (2000–2250 ms).
  for (const [k, x] of [0, 2, 4].entries()) f.push(k * 125, [{ actorId: 1, box: box(x) }, { actorId: 2, box: box(x + 200) }], [{ trackId: 7, box: box(x) }]);
  for (const [k, x] of [6, 8, 10].entries()) f.push(2000 + k * 125, [{ actorId: 1, box: box(x) }, { actorId: 2, box: box(x + 200) }], [{ trackId: 7, box: box(x + 200) }]);
  t.equal(f.actorOf(7, 100), 1, 'around 100 ms: actor 1');
  t.equal(f.actorOf(7, 2200), 2, 'around 2.2 s: actor 2');
  t.equal(f.actorOf(7), 1, 'over its life: a tie, to the lower id');
  t.equal(f.actorOf(7, 9000), 1, 'no frame near the moment: over its life');
  // Two true road users over one track: the better overlap takes it, the other is not paired with it that frame.
  f.push(0, [{ actorId: 3, box: box(400) }, { actorId: 4, box: box(410) }], [{ trackId: 8, box: box(409) }]);
  t.equal(f.actorOf(8, 0), 4);
  // Overlap under 0.3: no one.
  f.push(0, [{ actorId: 5, box: box(600) }], [{ trackId: 9, box: box(625) }]);
  t.equal(f.actorOf(9, 0), undefined);
  t.equal(f.actorOf(99, 0), undefined, 'a track never seen');
});

t.test('exposures person by person: right once per exposed road user, again is twice, anyone else is wrong', async (t) => {
  // Track 15 follows actor 1 before 5 s and actor 6 after.
  const actorOf = (id: number, at: number) => (id === 15 ? (at < 5000 ? 1 : 6) : ({ 10: 1, 11: 1, 12: 2, 13: 3 } as Record<number, number>)[id]);
  const found = [
    { category: 'jaywalk' as const, trackId: 10, t: 1000 }, // actor 1: right
    { category: 'jaywalk' as const, trackId: 11, t: 4000 }, // actor 1 again (a broken track): twice
    { category: 'jaywalk' as const, trackId: 12, t: 1000 }, // actor 2, not exposed: wrong
    { category: 'jaywalk' as const, trackId: 14, t: 1000 }, // no true road user: wrong
    { category: 'jaywalk' as const, trackId: 15, t: 6000 }, // actor 6 at that moment: right
    { category: 'red_light' as const, trackId: 13, t: 1000 }, // actor 3 in red_light: right there
  ];
  const truth = [
    { category: 'jaywalk' as const, actorId: 1 },
    { category: 'jaywalk' as const, actorId: 5 }, // never counted: lowers recall
    { category: 'jaywalk' as const, actorId: 6 },
    { category: 'red_light' as const, actorId: 3 },
  ];
  const r = tallyExposures(found, truth, actorOf, ['red_light', 'jaywalk']);
  t.same(r.jaywalk, { found: 5, right: 2, twice: 1, wrong: 2, truth: 3 });
  t.same(r.red_light, { found: 1, right: 1, twice: 0, wrong: 0, truth: 1 });
  t.same(scoreExposures(r.jaywalk), { found: 5, right: 2, twice: 1, wrong: 2, truth: 3, precision: 0.4, recall: 2 / 3 });
  t.same(scoreExposures({ found: 0, right: 0, twice: 0, wrong: 0, truth: 0 }), { found: 0, right: 0, twice: 0, wrong: 0, truth: 0, precision: null, recall: null });
});
