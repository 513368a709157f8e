// A person riding a bicycle or motorcycle is one non_motor road user, not a
// pedestrian (the jaywalking rule must never see riders). COCO models box the
// person and the two-wheeler separately; we merge them.
//
// Test for "riding": the LOWER HALF of the person's box lies mostly inside
// the two-wheeler's box (intersection over the lower half's area, IoA) and
// the person's horizontal centre is within the two-wheeler's x-range. A
// pedestrian walking past or pushing a bike beside them fails one of these.
// And the two-wheeler must be seen with at least minScoreRatio of the
// person's confidence: a faint two-wheeler guess round a clearly seen
// pedestrian must not turn that pedestrian into a confident non_motor (with
// the default model at the eval's score floor of 0.01 such guesses did, and
// cost 4.0 points of pedestrian AP and 2.0 of non_motor on npm run eval:detector).
import type { Candidates } from './types.ts';
import type { ResolvedClassMap } from './class-map.ts';
import { ROAD_USER_CLASSES } from '../types.ts';

const NON_MOTOR = ROAD_USER_CLASSES.indexOf('non_motor');

export interface RiderOptions {
  /**
   * Minimum share of the person's lower half inside the two-wheeler's box.
   * Raising it avoids merging a pedestrian standing close behind a parked bike,
   * but risks leaving a rider whose legs stick out of a tight bike box as a pedestrian.
   */
  minIoa: number;
  /**
   * Minimum two-wheeler score as a share of the person's (the detector's
   * default is 0.5: `rider_score_ratio` in the model config). A COCO
   * rider's bicycle typically scores 0.5–0.9 of its person; lowering it lets
   * faint two-wheeler guesses claim pedestrians, raising it leaves riders on
   * badly seen bikes as pedestrians.
   */
  minScoreRatio: number;
}

/**
 * Merges riders into their two-wheeler among the kept boxes `keep` (indices
 * into `c`); returns the surviving indices. A merged box becomes the union of
 * the two, scored with the higher score; several people may ride one
 * motorcycle, and each person joins the two-wheeler that covers them best.
 */
export function mergeRiders(c: Candidates, keep: Int32Array, map: ResolvedClassMap, opts: RiderOptions): Int32Array {
  const people: number[] = [];
  const rides: number[] = [];
  for (const i of keep) {
    const m = c.modelCls[i]!;
    if (map.isPerson[m]) people.push(i);
    else if (map.isRidden[m]) rides.push(i);
  }
  if (people.length === 0 || rides.length === 0) return keep;

  const merged = new Set<number>();
  const grow: [ride: number, person: number][] = [];
  for (const p of people) {
    const best = bestRide(c, p, rides, opts.minIoa, opts.minScoreRatio);
    if (best >= 0) {
      grow.push([best, p]);
      merged.add(p);
    }
  }
  // Union after all matches, so one rider's merge cannot enlarge a bike box
  // and capture a pedestrian beside it.
  for (const [r, p] of grow) {
    c.x1[r] = Math.min(c.x1[r]!, c.x1[p]!);
    c.y1[r] = Math.min(c.y1[r]!, c.y1[p]!);
    c.x2[r] = Math.max(c.x2[r]!, c.x2[p]!);
    c.y2[r] = Math.max(c.y2[r]!, c.y2[p]!);
    c.score[r] = Math.max(c.score[r]!, c.score[p]!);
    c.cls[r] = NON_MOTOR;
  }
  return keep.filter((i) => !merged.has(i));
}

function bestRide(c: Candidates, p: number, rides: readonly number[], minIoa: number, minScoreRatio: number): number {
  const px1 = c.x1[p]!, px2 = c.x2[p]!, py2 = c.y2[p]!;
  const ly1 = (c.y1[p]! + py2) / 2; // top of the lower half
  const lowerArea = (px2 - px1) * (py2 - ly1);
  if (lowerArea <= 0) return -1;
  const cx = (px1 + px2) / 2;
  let best = -1;
  let bestIoa = minIoa;
  const minScore = minScoreRatio * c.score[p]!;
  for (const r of rides) {
    if (c.score[r]! < minScore || cx < c.x1[r]! || cx > c.x2[r]!) continue;
    const iw = Math.min(px2, c.x2[r]!) - Math.max(px1, c.x1[r]!);
    const ih = Math.min(py2, c.y2[r]!) - Math.max(ly1, c.y1[r]!);
    if (iw <= 0 || ih <= 0) continue;
    const ioa = (iw * ih) / lowerArea;
    if (ioa >= bestIoa) {
      bestIoa = ioa;
      best = r;
    }
  }
  return best;
}
