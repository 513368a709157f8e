// Polygon geometry for zones (carriageway, crosswalks, lanes).
import type { Box, Point, Polygon, Segment } from '../types.ts';
import { pointSegmentDistance, segmentsIntersect } from './segment.ts';

/** Even-odd ray casting; points exactly on an edge may fall either way. */
export function pointInPolygon(p: Point, poly: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

export function polygonArea(poly: Polygon): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) s += (poly[j]![0] + poly[i]![0]) * (poly[j]![1] - poly[i]![1]);
  return Math.abs(s) / 2;
}

export function edges(poly: Polygon): Segment[] {
  return poly.map((p, i) => [p, poly[(i + 1) % poly.length]!] as const);
}

/** Index pairs of non-adjacent edges that intersect; empty for a simple polygon. */
export function selfIntersections(poly: Polygon): [number, number][] {
  const es = edges(poly);
  const out: [number, number][] = [];
  for (let i = 0; i < es.length; i++) {
    for (let j = i + 1; j < es.length; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === es.length - 1);
      if (!adjacent && segmentsIntersect(es[i]!, es[j]!)) out.push([i, j]);
    }
  }
  return out;
}

export function boundingBox(poly: Polygon): Box {
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

/** 0 inside the polygon, else the distance in pixels to its nearest edge. */
export function distanceToPolygon(p: Point, poly: Polygon): number {
  if (pointInPolygon(p, poly)) return 0;
  let d = Infinity;
  for (const e of edges(poly)) d = Math.min(d, pointSegmentDistance(e, p));
  return d;
}
