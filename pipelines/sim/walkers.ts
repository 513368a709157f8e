// Pedestrian routes: along the sidewalk to a kerb, across, and away.
import { makePath, type Path, type Vec2 } from './path.ts';
import type { Rng } from './rng.ts';
import { armPoint, type Arm } from './world.ts';

export interface Walk {
  path: Path;
  /** Arc length of the waiting point on the kerb. */
  sKerb: number;
  /** Arc length where the walker steps into the carriageway. */
  sEnter: number;
}

function walk(points: Vec2[], kerbIndex: number, enterOffset: number): Walk {
  const path = makePath(points);
  const sKerb = path.cum[kerbIndex]!;
  return { path, sKerb, sEnter: sKerb + enterOffset };
}

/**
 * The point nearest (dist, lat) on the pavement, at least `margin` metres from
 * the kerb. Near the junction the kerb bends round a rounded corner (the
 * carriageway fills the corner outside a circle of cornerRadius, see
 * scene.roadOutline), so a pavement point beside the box must stay inside
 * that circle. Walkers arriving from or leaving towards the corner used to
 * walk up to 4 m into the carriageway there, out of any crosswalk: people a
 * judge would rightly see entering the road, whom the twin counted as
 * keeping to the pavement. The pavement near a corner is convex, so a
 * straight leg between two pavement points (or to the kerb) stays on it.
 */
export function pavementPoint(arm: Arm, dist: number, lat: number, margin = 0.8): Vec2 {
  const side = lat < 0 ? -1 : 1;
  const r = arm.cornerRadius;
  // The corner circle's centre, in (along the arm, away from its centreline).
  const cd = arm.crossHalfWidth + r;
  const cl = arm.halfWidth + r;
  let d = Math.max(dist, arm.crossHalfWidth + margin);
  let l = Math.max(Math.abs(lat), arm.halfWidth + margin);
  if (d < cd && l < cl) {
    const dd = d - cd;
    const dl = l - cl;
    const k = Math.hypot(dd, dl);
    const max = Math.max(0, r - margin);
    if (k > max) {
      d = cd + (dd / k) * max;
      l = cl + (dl / k) * max;
    }
  }
  return armPoint(arm, d, side * l);
}

/** Across the arm's crosswalk, starting on the `side` (+1 right of inbound travel, -1 left). */
export function crosswalkPedPath(arm: Arm, side: 1 | -1, rng: Rng): Walk {
  const W = arm.halfWidth;
  const d = rng.range(arm.cwNear + 0.7, arm.cwFar - 0.7);
  const from = rng.chance(0.6) ? d + rng.range(8, 20) : Math.max(arm.boxEdge - 1, d - rng.range(4, 7));
  const kerbGap = 0.5;
  const onWalk = W + rng.range(1.2, 3);
  const away = rng.chance(0.5) ? d + rng.range(8, 20) : d - rng.range(3, 6);
  return walk(
    [
      pavementPoint(arm, from, side * onWalk),
      armPoint(arm, d, side * (W + kerbGap)),
      armPoint(arm, d + rng.range(-0.4, 0.4), -side * (W + kerbGap)),
      pavementPoint(arm, away, -side * onWalk),
    ],
    1,
    kerbGap,
  );
}

/** Straight across the arm well upstream of the stop line, away from any crosswalk. */
export function midblockPedPath(arm: Arm, rng: Rng): Walk {
  const W = arm.halfWidth;
  const side = rng.chance(0.5) ? 1 : -1;
  const d = arm.stopDist + rng.range(9, 30);
  const kerbGap = 0.3;
  return walk(
    [
      pavementPoint(arm, d + rng.range(-8, 8), side * (W + 2.5)),
      armPoint(arm, d, side * (W + kerbGap)),
      armPoint(arm, d + rng.range(-5, 5), -side * (W + kerbGap)),
      pavementPoint(arm, d + rng.range(-12, 12), -side * (W + 2.5)),
    ],
    1,
    kerbGap,
  );
}
