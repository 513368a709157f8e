// The ground truth of part of a clip: the whole clip gives the clip's own
// counts; a part starting mid-red counts the road users already waiting; a
// part counts no more violations than exposures; splitting never loses a
// violation that is proven inside its part.
import t from 'tap';
import { CATEGORIES } from '../../../pipelines/types.ts';
import { simulateClip, truthInWindow } from '../../../pipelines/sim/index.ts';

const BUSY = { redLightRun: 0.5, stopLineOverrun: 0.3, nonMotorRedRun: 0.6, pedDontWalk: 0.6, jaywalkPerMinute: 3, demand: 1.3 };
const { groundTruth: gt } = simulateClip({ seed: 31, seconds: 120, behaviour: BUSY, fps: 10 });
const seconds = gt.frameCount / gt.fps;

t.test('the whole clip gives the clip counts', async (t) => {
  t.same(truthInWindow(gt, 0, seconds), gt.counts);
  t.ok(CATEGORIES.some((c) => gt.counts[c].violations > 0), 'the clip has violations');
});

t.test('every exposure ends at or after it starts, within the clip', async (t) => {
  for (const x of gt.exposures) t.ok(x.until >= x.t && x.until <= seconds, `actor ${x.actorId}: ${x.t} ≤ ${x.until} ≤ ${seconds}`);
  t.ok(gt.exposures.some((x) => x.until - x.t > 5), 'some road users wait at red for a while');
});

t.test('a part that opens while road users wait at red counts them', async (t) => {
  // A moment when a vehicle has waited 3 s and waits at least 3 s more.
  const waiter = gt.exposures.find((x) => x.category === 'red_light' && x.until - x.t > 8)!;
  t.ok(waiter, 'a vehicle waits at red');
  const from = waiter.t + 3;
  const part = truthInWindow(gt, from, from + 10);
  const waiting = gt.exposures.filter((x) => x.category === 'red_light' && x.t < from && x.until >= from + 1).length;
  t.ok(waiting >= 1);
  const inside = gt.exposures.filter((x) => x.category === 'red_light' && x.t >= from && x.t < from + 10).length;
  t.ok(part.red_light.exposures >= waiting + inside, `waiting ${waiting} + newly exposed ${inside} ≤ ${part.red_light.exposures}`);
});

t.test('parts never count more violations than exposures, and tile the clip', async (t) => {
  for (const len of [7, 15, 30]) {
    const sum = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    for (let from = 0; from < seconds; from += len) {
      const part = truthInWindow(gt, from, Math.min(seconds, from + len));
      for (const c of CATEGORIES) {
        t.ok(part[c].violations <= part[c].exposures, `${c} in [${from}, ${from + len}): ${part[c].violations} ≤ ${part[c].exposures}`);
        sum[c]! += part[c].violations;
      }
    }
    // A violation whose proof runs past its part's end is lost there, never double-counted.
    for (const c of CATEGORIES) t.ok(sum[c]! <= gt.counts[c].violations, `${c}, parts of ${len} s: ${sum[c]} ≤ ${gt.counts[c].violations}`);
  }
});
