// Average precision at IoU 0.5 (PASCAL VOC 2010+ all-point interpolation),
// per class, accumulated image by image. Pure: boxes in, numbers out.
//
// Matching, per image and class: detections in descending score order each
// take the unmatched ground-truth box they overlap most, if that IoU reaches
// the threshold (a true positive). A detection that matches nothing but lies
// mostly on an ignore region (a road user too small or too hidden to demand,
// see IGNORE rules in the eval) is dropped: neither a true nor a false
// positive. Everything else is a false positive, duplicates included.
import type { Box } from '../../pipelines/types.ts';

export interface ScoredBox {
  box: Box;
  cls: number;
  score: number;
}

export interface LabelledBox {
  box: Box;
  cls: number;
}

export interface ApOptions {
  /** IoU a detection needs with a ground-truth box to count: 0.5 for AP@0.5. */
  iou: number;
  /**
   * Share of a detection's area that must lie in one ignore region for the
   * detection to be dropped. Lower drops more near-misses around crowds of
   * tiny road users, but risks hiding real false positives beside them.
   */
  ignoreIoa: number;
}

export const AP_DEFAULTS: ApOptions = { iou: 0.5, ignoreIoa: 0.5 };

export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Intersection over the area of `a`. */
export function ioa(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  return (iw * ih) / Math.max(1e-9, (a.x2 - a.x1) * (a.y2 - a.y1));
}

/** All-point interpolated AP from detections (score, true positive?) and the positive count. NaN without positives. */
export function averagePrecision(dets: readonly { score: number; tp: boolean }[], positives: number): number {
  if (positives === 0) return Number.NaN;
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const recall = [0];
  const precision = [1];
  let tp = 0;
  let fp = 0;
  for (const d of sorted) {
    if (d.tp) tp++;
    else fp++;
    recall.push(tp / positives);
    precision.push(tp / (tp + fp));
  }
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += (recall[i]! - recall[i - 1]!) * precision[i]!;
  return ap;
}

export interface ClassAp {
  ap50: number;
  positives: number;
  detections: number;
  /** Recall at the lowest score kept. */
  recall: number;
}

/** Accumulates matches over images; `result()` gives AP per class index. */
export class ApAccumulator {
  private readonly dets: { score: number; tp: boolean }[][];
  private readonly positives: number[];

  constructor(readonly numClasses: number, private readonly opts: ApOptions = AP_DEFAULTS) {
    this.dets = Array.from({ length: numClasses }, () => []);
    this.positives = new Array<number>(numClasses).fill(0);
  }

  reset(): void {
    for (const d of this.dets) d.length = 0;
    this.positives.fill(0);
  }

  /** One image: its detections, its ground truth, and its ignore regions (any class). */
  add(dets: readonly ScoredBox[], truth: readonly LabelledBox[], ignore: readonly Box[] = []): void {
    for (let k = 0; k < this.numClasses; k++) {
      const gt = truth.filter((g) => g.cls === k);
      this.positives[k]! += gt.length;
      const used = new Array<boolean>(gt.length).fill(false);
      const mine = dets.filter((d) => d.cls === k).sort((a, b) => b.score - a.score);
      for (const d of mine) {
        let best = -1;
        let bestIou = this.opts.iou;
        gt.forEach((g, j) => {
          if (used[j]) return;
          const v = iou(d.box, g.box);
          if (v >= bestIou) {
            bestIou = v;
            best = j;
          }
        });
        if (best >= 0) {
          used[best] = true;
          this.dets[k]!.push({ score: d.score, tp: true });
        } else if (!ignore.some((r) => ioa(d.box, r) > this.opts.ignoreIoa)) {
          this.dets[k]!.push({ score: d.score, tp: false });
        }
      }
    }
  }

  result(): ClassAp[] {
    return this.dets.map((d, k) => {
      const positives = this.positives[k]!;
      const tp = d.reduce((n, x) => n + (x.tp ? 1 : 0), 0);
      return { ap50: averagePrecision(d, positives), positives, detections: d.length, recall: positives ? tp / positives : Number.NaN };
    });
  }
}
