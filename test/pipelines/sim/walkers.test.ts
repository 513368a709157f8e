// Pedestrian routes keep to the pavement until they step off the kerb: the
// legs to the kerb and away from it stay outside the road surface
// (scene.roadOutline, the outline the renderer paints and the sites file is
// drawn from), also where they come from or go towards the rounded corner
// beside the junction box. Walkers used to cut up to 4 m through the corner's
// carriageway there, which a judge rightly saw as entering the road.
import t from 'tap';
import { pointInPolygon, distanceToPolygon } from '../../../pipelines/geometry/polygon.ts';
import { LAYOUTS } from '../../../pipelines/sim/layout.ts';
import { poseAt, type Path } from '../../../pipelines/sim/path.ts';
import { Rng } from '../../../pipelines/sim/rng.ts';
import { roadOutline } from '../../../pipelines/sim/scene.ts';
import { crosswalkPedPath, midblockPedPath, pavementPoint, type Walk } from '../../../pipelines/sim/walkers.ts';
import { ARM_NAMES, buildWorld } from '../../../pipelines/sim/world.ts';
import type { Point, Polygon } from '../../../pipelines/types.ts';

/** How far inside the road surface a point lies (0 outside): its distance to the outline. */
function depthInRoad(p: Point, road: Polygon): number {
  if (!pointInPolygon(p, road)) return 0;
  let best = Infinity;
  for (let i = 0; i < road.length; i++) {
    const a = road[i]!;
    const b = road[(i + 1) % road.length]!;
    const ab: Point = [b[0] - a[0], b[1] - a[1]];
    const u = Math.max(0, Math.min(1, ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / (ab[0] ** 2 + ab[1] ** 2 || 1)));
    best = Math.min(best, Math.hypot(p[0] - a[0] - u * ab[0], p[1] - a[1] - u * ab[1]));
  }
  return best;
}

/** Deepest point into the road on the path between arc lengths s0 and s1, sampled every 5 cm. */
function deepest(path: Path, s0: number, s1: number, road: Polygon): { depth: number; at: Point } {
  let worst = { depth: 0, at: [0, 0] as Point };
  for (let s = s0; s <= s1; s += 0.05) {
    const q = poseAt(path, s);
    const d = depthInRoad([q.x, q.y], road);
    if (d > worst.depth) worst = { depth: d, at: [q.x, q.y] };
  }
  return worst;
}

/**
 * The legs on the pavement: up to the kerb point, and from the far kerb point
 * on, short of the last KERB_M before each (the walker standing at the kerb).
 */
function pavementLegs(w: Walk): [number, number][] {
  const cum = w.path.cum;
  return [
    [0, w.sKerb - KERB_M],
    [cum[2]! + KERB_M, w.path.length],
  ];
}

const ROUTES = 300;
// The kerb point is placed 0.5 m behind the arm's straight kerb line; where
// the crosswalk meets the corner's curve that is a few centimetres into the
// road (more in the outline, whose arcs are chords). That last half metre is
// the walker at the kerb, not on the pavement.
const KERB_M = 0.5;
// The outline's chords lie up to R(1 - cos 4.5°) ≈ 1.5 cm inside the arc.
const TOLERANCE_M = 0.02;

for (const layout of LAYOUTS) {
  t.test(`${layout.name}: pedestrian routes stay off the carriageway until the kerb`, async (t) => {
    const world = buildWorld(layout);
    const road: Polygon = roadOutline(world, 0, 200).map(([x, y]) => [x, y] as Point);
    let cornerRoutes = 0;
    for (const name of ARM_NAMES) {
      const arm = world.arms[name];
      for (const side of [1, -1] as const) {
        const rng = new Rng(1000 + ARM_NAMES.indexOf(name) * 10 + side);
        let worstCross = { depth: 0, at: [0, 0] as Point };
        let worstMid = { depth: 0, at: [0, 0] as Point };
        for (let i = 0; i < ROUTES; i++) {
          const w = crosswalkPedPath(arm, side, rng);
          const first: Point = [w.path.xs[0]!, w.path.ys[0]!];
          // Routes that start within the corner's reach (along the arm) are the ones that used to cut it.
          if (Math.abs(first[0] * arm.out[0] + first[1] * arm.out[1]) < arm.crossHalfWidth + arm.cornerRadius) cornerRoutes++;
          for (const [s0, s1] of pavementLegs(w)) {
            const d = deepest(w.path, s0, s1, road);
            if (d.depth > worstCross.depth) worstCross = d;
          }
          const m = midblockPedPath(arm, rng);
          for (const [s0, s1] of pavementLegs(m)) {
            const d = deepest(m.path, s0, s1, road);
            if (d.depth > worstMid.depth) worstMid = d;
          }
        }
        t.ok(worstCross.depth <= TOLERANCE_M, `${name} arm, side ${side}: crosswalk routes at most ${TOLERANCE_M} m into the road before the kerb (deepest ${worstCross.depth.toFixed(2)} m at ${worstCross.at.map((v) => v.toFixed(1))})`);
        t.ok(worstMid.depth <= TOLERANCE_M, `${name} arm, side ${side}: mid-block routes likewise (deepest ${worstMid.depth.toFixed(2)} m)`);
      }
    }
    t.ok(cornerRoutes > 100, `the corner is exercised: ${cornerRoutes} routes start beside it`);
  });
}

t.test('pavementPoint: a pavement point stays; a point in the road moves to the nearest pavement at the margin', async (t) => {
  const world = buildWorld(LAYOUTS[0]!);
  const road: Polygon = roadOutline(world, 0, 200).map(([x, y]) => [x, y] as Point);
  const arm = world.arms.south;
  const W = arm.halfWidth;
  const far = pavementPoint(arm, arm.crossHalfWidth + 20, W + 2);
  t.same(far, [arm.out[0] * (arm.crossHalfWidth + 20) + arm.rv[0] * (W + 2), arm.out[1] * (arm.crossHalfWidth + 20) + arm.rv[1] * (W + 2)], 'upstream on the pavement: unchanged');
  for (const [dist, lat] of [
    [arm.crossHalfWidth, W + 2],
    [arm.crossHalfWidth - 3, W + 1.2],
    [arm.crossHalfWidth + 2, -(W + 1)],
    [arm.crossHalfWidth + 1, W + 0.2],
  ] as const) {
    const p = pavementPoint(arm, dist, lat);
    t.equal(depthInRoad(p, road), 0, `(${dist.toFixed(1)} m along, ${lat.toFixed(1)} m across) ends on the pavement`);
    t.ok(distanceToPolygon(p, road) >= 0.8 - TOLERANCE_M, `… at least 0.8 m from the kerb (${distanceToPolygon(p, road).toFixed(2)} m)`);
    t.equal(Math.sign(p[0] * arm.rv[0] + p[1] * arm.rv[1]), Math.sign(lat), '… on the same side of the arm');
  }
});
