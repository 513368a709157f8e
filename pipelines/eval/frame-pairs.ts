// One frame's true road users paired with tracks, one to one, best overlap
// first: what the ID-switch count and the exposure check both follow.
import type { Box } from '../types.ts';
import { iou } from '../geometry/box.ts';

export interface TruthBox {
  actorId: number;
  box: Box;
}

export interface TrackBox {
  trackId: number;
  box: Box;
}

export function pairFrame(truth: readonly TruthBox[], tracks: readonly TrackBox[], minIou: number): { actorId: number; trackId: number }[] {
  const pairs: { a: number; t: number; v: number }[] = [];
  for (const g of truth) for (const tr of tracks) {
    const v = iou(g.box, tr.box);
    if (v >= minIou) pairs.push({ a: g.actorId, t: tr.trackId, v });
  }
  pairs.sort((x, y) => y.v - x.v);
  const usedA = new Set<number>();
  const usedT = new Set<number>();
  const out: { actorId: number; trackId: number }[] = [];
  for (const p of pairs) {
    if (usedA.has(p.a) || usedT.has(p.t)) continue;
    usedA.add(p.a);
    usedT.add(p.t);
    out.push({ actorId: p.a, trackId: p.t });
  }
  return out;
}
