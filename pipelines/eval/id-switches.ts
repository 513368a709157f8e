// ID switches (CLEAR-MOT's IDSW): a true road user matched, frame after
// frame, to a tracker id other than the one it was last matched to.
import type { Box } from '../types.ts';
import { iou } from '../geometry/box.ts';

export interface IdSwitchCounter {
  /** True boxes and track boxes of one frame. */
  push(truth: readonly { actorId: number; box: Box }[], tracks: readonly { trackId: number; box: Box }[]): void;
  readonly switches: number;
  /** Frames × true road users matched to some track (the denominator a reader wants). */
  readonly matched: number;
}

export function idSwitchCounter(minIou = 0.5): IdSwitchCounter {
  const last = new Map<number, number>();
  let switches = 0;
  let matched = 0;
  return {
    push(truth, tracks) {
      const pairs: { a: number; t: number; v: number }[] = [];
      for (const g of truth) for (const tr of tracks) {
        const v = iou(g.box, tr.box);
        if (v >= minIou) pairs.push({ a: g.actorId, t: tr.trackId, v });
      }
      pairs.sort((x, y) => y.v - x.v);
      const usedA = new Set<number>();
      const usedT = new Set<number>();
      for (const p of pairs) {
        if (usedA.has(p.a) || usedT.has(p.t)) continue;
        usedA.add(p.a);
        usedT.add(p.t);
        matched++;
        const prev = last.get(p.a);
        if (prev !== undefined && prev !== p.t) switches++;
        last.set(p.a, p.t);
      }
    },
    get switches() {
      return switches;
    },
    get matched() {
      return matched;
    },
  };
}
