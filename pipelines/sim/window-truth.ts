// The ground truth of a part of a clip: what a judge watching only seconds
// [from, to) of it could count. The same conventions as a whole clip
// (simulate.ts): a violation counts when its decisive moment is inside and
// every moment that proves it is seen before the end; a road user counts as
// exposed when it faced red inside, or was still waiting at red START_RED_S
// into the part (a queue released as the part begins faced red before it).
// Sampled windows rarely start on a clip's first frame, so comparing a
// window's counts with the clip's exposure times alone would miss everyone
// already waiting at red when the window opens.
import { CATEGORIES, type Category } from '../types.ts';
import type { GroundTruth } from './ground-truth.ts';
import { JAYWALK_CONTINUED_S, START_RED_S } from './simulate.ts';

export type CategoryTally = Record<Category, { exposures: number; violations: number }>;

export function truthInWindow(gt: Pick<GroundTruth, 'events' | 'exposures'>, from: number, to: number): CategoryTally {
  const tally = Object.fromEntries(CATEGORIES.map((c) => [c, { exposures: 0, violations: 0 }])) as CategoryTally;
  const key = (e: { actorId: number; category: Category }) => `${e.category}:${e.actorId}`;
  const violators = new Set<string>();
  for (const e of gt.events) {
    const proven = (e.secondLineT === null || e.secondLineT < to) && (e.haltT === null || e.haltT < to) && (e.enterT === null || e.enterT + JAYWALK_CONTINUED_S < to);
    if (e.t >= from && e.t < to && proven) {
      tally[e.category].violations++;
      violators.add(key(e));
    }
  }
  for (const x of gt.exposures) {
    // Ground truth written before `until` existed: exposed at t only.
    const until = x.until ?? x.t;
    const waiting = x.t < from && until >= from + START_RED_S && from + START_RED_S < to;
    // Every violator faced red, even one that crossed in the part's first second.
    if ((x.t >= from && x.t < to) || waiting || violators.has(key(x))) tally[x.category].exposures++;
  }
  return tally;
}
