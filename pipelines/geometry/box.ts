// Box helpers. The ground contact point (bottom centre) is what lines and
// zones are judged on, never the box centre.
import type { Box, Point } from '../types.ts';

export function groundPoint(b: Box): Point {
  return [(b.x1 + b.x2) / 2, b.y2];
}

export function boxArea(b: Box): number {
  return Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
}

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

export function boxHeight(b: Box): number {
  return Math.max(0, b.y2 - b.y1);
}

/**
 * The box grown by `ratio` of its width and height on every side. IoU of
 * buffered boxes (C-BIoU, Yang et al. 2023) still ranks overlaps like IoU but
 * stays above zero for a fast road user that moved more than its own width
 * between two sampled frames.
 */
export function expandBox(b: Box, ratio: number): Box {
  const dx = (b.x2 - b.x1) * ratio;
  const dy = (b.y2 - b.y1) * ratio;
  return { x1: b.x1 - dx, y1: b.y1 - dy, x2: b.x2 + dx, y2: b.y2 + dy };
}
