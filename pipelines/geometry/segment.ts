// Line-segment geometry: which side of a line a point is on, and crossings.
import type { Point, Segment } from '../types.ts';

/** Twice the signed area of (a, b, p): > 0 when p is left of a→b in image coordinates (y down: clockwise). */
export function cross(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

/** -1, 0 or 1: the side of the infinite line through the segment that p lies on. */
export function sideOf(seg: Segment, p: Point): -1 | 0 | 1 {
  const c = cross(seg[0], seg[1], p);
  return c > 0 ? 1 : c < 0 ? -1 : 0;
}

/** Signed distance in pixels from p to the infinite line through seg (sign as sideOf). */
export function signedDistance(seg: Segment, p: Point): number {
  const len = Math.hypot(seg[1][0] - seg[0][0], seg[1][1] - seg[0][1]);
  return len === 0 ? 0 : cross(seg[0], seg[1], p) / len;
}

/** Parameter 0..1 of p's projection onto the segment (outside [0,1]: beyond an end). */
export function projectionParam(seg: Segment, p: Point): number {
  const dx = seg[1][0] - seg[0][0];
  const dy = seg[1][1] - seg[0][1];
  const len2 = dx * dx + dy * dy;
  return len2 === 0 ? 0 : ((p[0] - seg[0][0]) * dx + (p[1] - seg[0][1]) * dy) / len2;
}

/** True when the two segments share a point (touching ends included). */
export function segmentsIntersect(a: Segment, b: Segment): boolean {
  const d1 = cross(b[0], b[1], a[0]);
  const d2 = cross(b[0], b[1], a[1]);
  const d3 = cross(a[0], a[1], b[0]);
  const d4 = cross(a[0], a[1], b[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(b, a[0])) ||
    (d2 === 0 && onSegment(b, a[1])) ||
    (d3 === 0 && onSegment(a, b[0])) ||
    (d4 === 0 && onSegment(a, b[1]))
  );
}

function onSegment(seg: Segment, p: Point): boolean {
  return (
    Math.min(seg[0][0], seg[1][0]) <= p[0] &&
    p[0] <= Math.max(seg[0][0], seg[1][0]) &&
    Math.min(seg[0][1], seg[1][1]) <= p[1] &&
    p[1] <= Math.max(seg[0][1], seg[1][1])
  );
}

export function midpoint(seg: Segment): Point {
  return [(seg[0][0] + seg[1][0]) / 2, (seg[0][1] + seg[1][1]) / 2];
}

/** Distance in pixels from p to the closest point of the segment (its ends included). */
export function pointSegmentDistance(seg: Segment, p: Point): number {
  const u = Math.min(1, Math.max(0, projectionParam(seg, p)));
  const x = seg[0][0] + u * (seg[1][0] - seg[0][0]);
  const y = seg[0][1] + u * (seg[1][1] - seg[0][1]);
  return Math.hypot(p[0] - x, p[1] - y);
}

/**
 * Where the path a→b meets the infinite line through seg, as a parameter along
 * seg (see projectionParam); null when a→b runs parallel to it. Used to check
 * that a crossing happened within the segment's extent, not beside it.
 */
export function crossingParam(seg: Segment, a: Point, b: Point): number | null {
  const da = cross(seg[0], seg[1], a);
  const db = cross(seg[0], seg[1], b);
  if (da === db) return null;
  const f = da / (da - db);
  return projectionParam(seg, [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]);
}
