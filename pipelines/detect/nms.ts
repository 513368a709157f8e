// Class-aware non-maximum suppression over typed arrays.
//
// Greedy NMS keeps a box iff no higher-scored kept box of its class overlaps
// it by more than `iouThreshold`. We iterate candidates once in score order
// and compare each only with the boxes already KEPT in its class, which is
// the same result as the textbook "suppress everything below" loop but costs
// O(candidates × kept) instead of O(candidates²): with thousands of
// candidates and at most `maxDetections` kept it stays linear in practice.
// Early exits: stop when `maxDetections` are kept; a cheap 1-D overlap test
// before each IoU.
import type { Candidates } from './types.ts';

export interface NmsOptions {
  /** Overlap above which the lower-scored box is dropped. Raising it keeps more boxes of crowded scenes (queues of cars) but risks duplicates of one road user. */
  iouThreshold: number;
  /** Cap on boxes kept per frame; a busy junction rarely has more than 100 road users in view. */
  maxDetections: number;
  /**
   * Overlap above which a box is dropped for a higher-scored kept box of any
   * other class (one road user read as two classes: a rider as pedestrian and
   * non_motor, a bus as vehicle and large_vehicle). Default 1: never.
   */
  crossClassIou?: number;
}

/** Indices (into `c`) of the kept boxes, highest score first; ties broken by lower index. */
export function nms(c: Candidates, opts: NmsOptions): Int32Array {
  const n = c.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const score = c.score;
  order.sort((a, b) => score[b]! - score[a]! || a - b);

  const { x1, y1, x2, y2, cls } = c;
  const area = new Float32Array(n);
  for (let i = 0; i < n; i++) area[i] = Math.max(0, x2[i]! - x1[i]!) * Math.max(0, y2[i]! - y1[i]!);

  const maxKeep = Math.min(n, opts.maxDetections);
  const kept = new Int32Array(maxKeep);
  let nKept = 0;
  const thr = opts.iouThreshold;
  const cross = opts.crossClassIou ?? 1;
  for (let oi = 0; oi < n && nKept < maxKeep; oi++) {
    const i = order[oi]!;
    const ci = cls[i]!;
    const ax1 = x1[i]!, ay1 = y1[i]!, ax2 = x2[i]!, ay2 = y2[i]!, aa = area[i]!;
    let suppressed = false;
    for (let k = 0; k < nKept; k++) {
      const j = kept[k]!;
      const same = cls[j] === ci;
      if (!same && cross >= 1) continue;
      const iw = Math.min(ax2, x2[j]!) - Math.max(ax1, x1[j]!);
      if (iw <= 0) continue;
      const ih = Math.min(ay2, y2[j]!) - Math.max(ay1, y1[j]!);
      if (ih <= 0) continue;
      const inter = iw * ih;
      if (inter > (same ? thr : cross) * (aa + area[j]! - inter)) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept[nKept++] = i;
  }
  return kept.subarray(0, nKept);
}
