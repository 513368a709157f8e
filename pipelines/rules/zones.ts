// Which zone of the calibration a ground point is in, and which signal
// governs a movement. Distances are in the road user's box heights.
import type { Movement, Point, Segment } from '../types.ts';
import type { Approach, Calibration, Crosswalk, Lane, VehicleSignal } from '../sites/schema.ts';
import { distanceToPolygon, edges, pointInPolygon } from '../geometry/polygon.ts';
import { midpoint, pointSegmentDistance } from '../geometry/segment.ts';
import { planeMap, type PlaneMap } from '../geometry/homography.ts';

/** Image pixels to metres on the road, where the calibration has ground points that fix the plane. */
export function groundMap(c: Calibration): PlaneMap | undefined {
  return c.ground ? planeMap(c.ground.map((g) => ({ from: g.image, to: g.metres }))) : undefined;
}

/** The schema's two-point arrays as a Segment. */
export function asSegment(s: readonly (readonly [number, number])[]): Segment {
  return [s[0]!, s[1]!];
}

export function laneAt(a: Approach, p: Point): Lane | undefined {
  return a.lanes.find((l) => pointInPolygon(p, l.polygon));
}

/**
 * Inside the carriageway, at least `depth` pixels from its kerb edges. Edges
 * along the frame's border (the polygon's extreme x or y, or x = 0 / y = 0)
 * are where the road leaves the picture, not kerbs, and are not measured.
 */
export function inCarriageway(c: Calibration, p: Point, depth = 0): boolean {
  if (!pointInPolygon(p, c.carriageway)) return false;
  return depth <= 0 || carriagewayDepth(c, p) >= depth;
}

/** Pixels from the nearest kerb edge of the carriageway, inside it; 0 outside. */
export function carriagewayDepth(c: Calibration, p: Point): number {
  if (!pointInPolygon(p, c.carriageway)) return 0;
  let d = Infinity;
  for (const e of kerbEdges(c)) d = Math.min(d, pointSegmentDistance(e, p));
  return d;
}

const kerbEdgeCache = new WeakMap<Calibration, Segment[]>();

function kerbEdges(c: Calibration): Segment[] {
  let out = kerbEdgeCache.get(c);
  if (out) return out;
  const xs = c.carriageway.map((q) => q[0]);
  const ys = c.carriageway.map((q) => q[1]);
  const [maxX, maxY] = [Math.max(...xs), Math.max(...ys)];
  const border = (v: number, max: number) => v <= 0 || v >= max;
  out = edges(c.carriageway).filter(([a, b]) => !((a[0] === b[0] && border(a[0], maxX)) || (a[1] === b[1] && border(a[1], maxY))));
  kerbEdgeCache.set(c, out);
  return out;
}

/** The crosswalk the point is on, allowing `margin` pixels outside its paint. */
export function crosswalkAt(c: Calibration, p: Point, margin: number): Crosswalk | undefined {
  return c.crosswalks.find((x) => distanceToPolygon(p, x.polygon) <= margin);
}

/** Crosswalks whose end is within `distance` pixels of a point on the kerb. */
export function crosswalksNear(c: Calibration, p: Point, distance: number): Crosswalk[] {
  return c.crosswalks.filter((x) => distanceToPolygon(p, x.polygon) <= distance);
}

/** Where the stitching of lost-and-found tracks applies: near a stop line, in a lane, near a crosswalk. */
export function nearJudgedZone(c: Calibration, p: Point, distance: number): boolean {
  return (
    c.approaches.some((a) => pointSegmentDistance(asSegment(a.stop_line), p) <= distance || a.lanes.some((l) => pointInPolygon(p, l.polygon))) ||
    c.crosswalks.some((x) => distanceToPolygon(p, x.polygon) <= distance)
  );
}

/** A point on the far side of the stop line: travel runs towards the second line. */
export function stopLineTowards(a: Approach): Point {
  return midpoint(asSegment(a.second_line));
}

/** A point beyond the second line, away from the stop line. */
export function secondLineTowards(a: Approach): Point {
  const s = midpoint(asSegment(a.stop_line));
  const m = midpoint(asSegment(a.second_line));
  return [2 * m[0] - s[0], 2 * m[1] - s[1]];
}

/** Movements a road user may make from a lane; unknown lane: any of the approach's. */
export function laneMovements(a: Approach, lane: Lane | undefined): Movement[] {
  if (lane) return [...lane.movements];
  return [...new Set(a.lanes.flatMap((l) => l.movements))];
}

/**
 * The movement made: a lane with one movement decides; from a shared lane,
 * passing the second line means straight (or left where straight is not
 * allowed), not passing it means right where right is allowed. A shared
 * left/straight lane's left-turner also passes the second line on its way
 * round: `turned` (turnSeen after the line) tells it apart.
 */
export function resolveMovement(movements: readonly Movement[], passedSecondLine: boolean, turned?: Movement): Movement {
  if (movements.length === 1) return movements[0]!;
  if (!passedSecondLine && movements.includes('right')) return 'right';
  if (turned === 'left' && movements.includes('left')) return 'left';
  if (movements.includes('straight')) return 'straight';
  return movements.includes('left') ? 'left' : 'right';
}

/**
 * The movement of a road user that waited in a lane and never crossed the
 * line in the window: straight where the lane allows it, since a right-turner
 * free to turn on red rarely waits for green, and reading it as right would
 * drop every waiting straight-goer of a shared lane from the exposures.
 */
export function waitingMovement(movements: readonly Movement[]): Movement {
  return movements.includes('straight') ? 'straight' : movements[0]!;
}

/** The signal governing a movement: an arrow for it wins over a ball (it is the more specific head). */
export function governingSignal(a: Approach, movement: Movement): VehicleSignal | undefined {
  const candidates = a.signals.filter((s) => s.movements.includes(movement));
  return candidates.find((s) => s.shape === 'arrow') ?? candidates[0];
}

/** A right turn on red is allowed unless an arrow governs it. */
export function isLegalRightOnRed(a: Approach, movement: Movement): boolean {
  return movement === 'right' && governingSignal(a, 'right')?.shape !== 'arrow';
}

/**
 * The approach's direction of travel in the picture, from the stop line's
 * midpoint to the second line's: unit vector `u` and the distance between
 * the two midpoints (pixels).
 */
export function travelAxis(a: Approach): { u: readonly [number, number]; length: number } {
  const s = midpoint(asSegment(a.stop_line));
  const m = midpoint(asSegment(a.second_line));
  const length = Math.hypot(m[0] - s[0], m[1] - s[1]) || 1;
  return { u: [(m[0] - s[0]) / length, (m[1] - s[1]) / length], length };
}

/**
 * Approaches grouped by direction of travel in the picture: those within
 * `maxAngleDeg` of one another (transitively; a non-motor lane's stop line
 * beside the motor lanes') share a group, named by its first approach's id.
 * One vehicle enters the junction once, so a road user judged at approaches
 * of two groups is two vehicles under one track.
 */
export function directionGroups(approaches: readonly Approach[], maxAngleDeg = 45): Map<string, string> {
  const cos = Math.cos((maxAngleDeg * Math.PI) / 180);
  const axis = new Map(approaches.map((a) => [a.id, travelAxis(a).u]));
  const group = new Map<string, string>();
  for (const a of approaches) {
    const [ux, uy] = axis.get(a.id)!;
    const near = [...group.keys()].find((id) => ux * axis.get(id)![0] + uy * axis.get(id)![1] >= cos);
    group.set(a.id, near === undefined ? a.id : group.get(near)!);
  }
  return group;
}

/**
 * Which way a road user turned between two ground points past the stop line,
 * relative to the approach's direction of travel (stop line → second line):
 * the sine of the angle between them, beyond ±sin(25°), is a turn; the sign
 * of a 2-D cross product survives the camera's projection of the ground.
 * Image y runs down, so a left turn (traffic on the right) has a negative
 * cross product. Undefined when the road user moved less than `minPixels`.
 */
export function turnSeen(a: Approach, from: Point, to: Point, minPixels: number): Movement | undefined {
  const { u } = travelAxis(a);
  const v = [to[0] - from[0], to[1] - from[1]];
  const lv = Math.hypot(v[0]!, v[1]!);
  if (lv < minPixels) return undefined;
  const sin = (u[0] * v[1]! - u[1] * v[0]!) / lv;
  return sin < -0.42 ? 'left' : sin > 0.42 ? 'right' : 'straight';
}

/**
 * Which way a road user turned after the stop line, from its ground path
 * past it (oldest first): the chord from the crossing to the last point, or,
 * where the chord reads straight, the heading over the path's last stretch
 * of at least `minPixels`. A left-turner crosses much of the junction before
 * it turns, and the camera foreshortens the turn, so the chord alone can stay
 * under the turn angle while the final heading is plainly across. The path
 * ends where it falls back against the direction of travel by more than a
 * quarter of `minPixels`: nobody reverses across a junction, a track that
 * does has taken over another road user (at the picture's edge, say).
 * `reach`: how far the path got along the direction of travel, in stop line
 * to second line distances.
 */
export function turnAlong(a: Approach, path: readonly Point[], minPixels: number): { turn: Movement | undefined; reach: number } {
  if (path.length < 2) return { turn: undefined, reach: 0 };
  const { u, length: len } = travelAxis(a);
  let end = path.length - 1;
  let best = -Infinity;
  for (let i = 0, at = 0; i < path.length; i++) {
    const progress = (path[i]![0] - path[0]![0]) * u[0] + (path[i]![1] - path[0]![1]) * u[1];
    if (progress > best) [best, at] = [progress, i];
    else if (progress < best - minPixels / 4) {
      end = at;
      break;
    }
  }
  const reach = Math.max(0, best) / len;
  const last = path[end]!;
  const chord = turnSeen(a, path[0]!, last, minPixels);
  if (chord !== 'straight') return { turn: chord, reach };
  for (let i = end - 1; i >= 0; i--) {
    const p = path[i]!;
    if (Math.hypot(last[0] - p[0], last[1] - p[1]) >= minPixels) return { turn: turnSeen(a, p, last, minPixels), reach };
  }
  return { turn: chord, reach };
}
