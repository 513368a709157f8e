// Which zone of the calibration a ground point is in, and which signal
// governs a movement. Distances are in the road user's box heights.
import type { Movement, Point, Segment } from '../types.ts';
import type { Approach, Calibration, Crosswalk, Lane, VehicleSignal } from '../sites/schema.ts';
import { distanceToPolygon, pointInPolygon } from '../geometry/polygon.ts';
import { midpoint, pointSegmentDistance } from '../geometry/segment.ts';

/** The schema's two-point arrays as a Segment. */
export function asSegment(s: readonly (readonly [number, number])[]): Segment {
  return [s[0]!, s[1]!];
}

export function laneAt(a: Approach, p: Point): Lane | undefined {
  return a.lanes.find((l) => pointInPolygon(p, l.polygon));
}

export function inCarriageway(c: Calibration, p: Point): boolean {
  return pointInPolygon(p, c.carriageway);
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
 * allowed), not passing it means right where right is allowed.
 */
export function resolveMovement(movements: readonly Movement[], passedSecondLine: boolean): Movement {
  if (movements.length === 1) return movements[0]!;
  if (!passedSecondLine && movements.includes('right')) return 'right';
  if (movements.includes('straight')) return 'straight';
  return movements.includes('left') ? 'left' : 'right';
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
