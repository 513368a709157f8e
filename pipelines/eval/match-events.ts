// Matching judged violations to ground-truth events: same category, same
// road user (the detected box at its decisive moment overlaps the true
// road user's box then), decisive times within a tolerance. One-to-one,
// closest in time first. Pure: the accuracy eval and its tests use it.
import type { Box, Category, Violation } from '../types.ts';
import { iou } from '../geometry/box.ts';

export interface TruthEvent {
  category: Category;
  actorId: number;
  /** Decisive moment, ms UTC. */
  t: number;
  /** The true road user's box at a given time (ms), if it is in frame. */
  boxAt: (t: number) => Box | undefined;
}

export interface MatchOptions {
  /**
   * Decisive times may differ by this much (ms). The judge dates a crossing by
   * the first sampled frame past the line (125 ms apart at 8 fps) and the twin
   * by the front bumper; 1.5 s also absorbs the crossing confirmation frames.
   */
  toleranceMs: number;
  /** Minimum IoU between the detected and the true box for "same road user". */
  minIou: number;
}

export const DEFAULT_MATCH: MatchOptions = { toleranceMs: 1500, minIou: 0.2 };

export interface CategoryScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

export interface MatchResult {
  pairs: { violation: Violation; truth: TruthEvent }[];
  falsePositives: Violation[];
  falseNegatives: TruthEvent[];
}

export function matchEvents(found: readonly Violation[], truth: readonly TruthEvent[], o: MatchOptions = DEFAULT_MATCH): MatchResult {
  const candidates: { v: number; g: number; dt: number }[] = [];
  found.forEach((v, vi) =>
    truth.forEach((g, gi) => {
      const dt = Math.abs(v.t - g.t);
      if (v.category !== g.category || dt > o.toleranceMs) return;
      if (!sameRoadUser(v, g, o.minIou)) return;
      candidates.push({ v: vi, g: gi, dt });
    }),
  );
  candidates.sort((a, b) => a.dt - b.dt);
  const usedV = new Set<number>();
  const usedG = new Set<number>();
  const pairs: MatchResult['pairs'] = [];
  for (const c of candidates) {
    if (usedV.has(c.v) || usedG.has(c.g)) continue;
    usedV.add(c.v);
    usedG.add(c.g);
    pairs.push({ violation: found[c.v]!, truth: truth[c.g]! });
  }
  return {
    pairs,
    falsePositives: found.filter((_, i) => !usedV.has(i)),
    falseNegatives: truth.filter((_, i) => !usedG.has(i)),
  };
}

/** One clip's found violations and ground-truth events. */
export interface ClipEvents {
  /** What a person would look the clip up by (the eval's file name); for reports. */
  name?: string;
  found: readonly Violation[];
  truth: readonly TruthEvent[];
}

/**
 * Several clips matched each on its own, then pooled. The twin's clips of one
 * seed share a clock (each condition's clips start at the same times), so
 * matching their events pooled could pair a violation with another clip's
 * event (whose box happens to overlap at that time).
 */
export function matchClips(clips: readonly ClipEvents[], o: MatchOptions = DEFAULT_MATCH): MatchResult {
  const out: MatchResult = { pairs: [], falsePositives: [], falseNegatives: [] };
  for (const c of clips) {
    const m = matchEvents(c.found, c.truth, o);
    out.pairs.push(...m.pairs);
    out.falsePositives.push(...m.falsePositives);
    out.falseNegatives.push(...m.falseNegatives);
  }
  return out;
}

/** Any of the violation's evidence moments overlapping the true road user at that time. */
function sameRoadUser(v: Violation, g: TruthEvent, minIou: number): boolean {
  return v.moments.some((m) => {
    const b = g.boxAt(m.t);
    return b !== undefined && iou(b, m.box) >= minIou;
  });
}

export function scoreByCategory(result: MatchResult, categories: readonly Category[]): Record<Category, CategoryScore> {
  const out = {} as Record<Category, CategoryScore>;
  for (const c of categories) {
    const tp = result.pairs.filter((p) => p.truth.category === c).length;
    const fp = result.falsePositives.filter((v) => v.category === c).length;
    const fn = result.falseNegatives.filter((g) => g.category === c).length;
    out[c] = { tp, fp, fn, precision: tp + fp > 0 ? tp / (tp + fp) : null, recall: tp + fn > 0 ? tp / (tp + fn) : null };
  }
  return out;
}
