// Exposures checked person by person. A compliance rate has two halves: the
// violations (matched event by event in match-events.ts) and the exposures,
// its denominator. Counting exposures alone hides errors that cancel: a
// walker strolling slowly along a far pavement counted as waiting makes up
// for a waiter the detector never saw. Here each exposure the pipeline
// counted is given to the true road user its track followed most, and judged
// right (that person was exposed in the truth; the first such exposure),
// twice (the same person counted again, as when a track broke in a crowd),
// or wrong (a person who was not exposed, or no true road user at all).
import type { Category } from '../types.ts';
import { pairFrame, type TrackBox, type TruthBox } from './frame-pairs.ts';

/** Which true road user a track followed: around a moment, else over its whole life. */
export interface TrackFollower {
  /** One frame at time t (ms). */
  push(t: number, truth: readonly TruthBox[], tracks: readonly TrackBox[]): void;
  /**
   * The true road user paired with the track in most of its frames within
   * `aroundMs` of `t` (an exposure's own moment: a track can pass from one
   * person to another in a crowd); where it has none there (a road user's
   * first track, ended before the moment), in most of all its frames.
   */
  actorOf(trackId: number, t?: number): number | undefined;
}

/** `minIou` lower than the ID-switch count's 0.5: a far pedestrian's small box rarely overlaps its truth that well. */
export function trackFollower(minIou = 0.3, aroundMs = 1000): TrackFollower {
  const seen = new Map<number, { t: number; actorId: number }[]>();
  const majority = (list: readonly { actorId: number }[]) => {
    const votes = new Map<number, number>();
    for (const x of list) votes.set(x.actorId, (votes.get(x.actorId) ?? 0) + 1);
    let best: number | undefined;
    let n = 0;
    // Ties go to the lower actor id, so the answer does not depend on the order frames came in.
    for (const [a, k] of votes) if (k > n || (k === n && best !== undefined && a < best)) [best, n] = [a, k];
    return best;
  };
  return {
    push(t, truth, tracks) {
      for (const p of pairFrame(truth, tracks, minIou)) {
        let l = seen.get(p.trackId);
        if (!l) seen.set(p.trackId, (l = []));
        l.push({ t, actorId: p.actorId });
      }
    },
    actorOf(trackId, t) {
      const all = seen.get(trackId) ?? [];
      const near = t === undefined ? [] : all.filter((x) => Math.abs(x.t - t) <= aroundMs);
      return majority(near.length > 0 ? near : all);
    },
  };
}

export interface ExposureTally {
  found: number;
  right: number;
  twice: number;
  wrong: number;
  /** True road users exposed. */
  truth: number;
}

export interface ExposureScore extends ExposureTally {
  /** right / found: null with nothing found. */
  precision: number | null;
  /** right / truth: null with no true exposure. */
  recall: number | null;
}

export function emptyExposureTally(): ExposureTally {
  return { found: 0, right: 0, twice: 0, wrong: 0, truth: 0 };
}

/**
 * One clip's exposures. `found`: what the pipeline counted (trackId is the
 * road user's first track, t when it was exposed); `truth`: each exposed
 * true road user, by actor id.
 */
export function tallyExposures(
  found: readonly { category: Category; trackId: number; t: number }[],
  truth: readonly { category: Category; actorId: number }[],
  actorOf: (trackId: number, t: number) => number | undefined,
  categories: readonly Category[],
): Record<Category, ExposureTally> {
  const out = {} as Record<Category, ExposureTally>;
  for (const c of categories) {
    const exposed = new Set(truth.filter((e) => e.category === c).map((e) => e.actorId));
    const counted = new Set<number>();
    const t = (out[c] = { ...emptyExposureTally(), truth: exposed.size });
    for (const e of found) {
      if (e.category !== c) continue;
      t.found++;
      const a = actorOf(e.trackId, e.t);
      if (a === undefined || !exposed.has(a)) t.wrong++;
      else if (counted.has(a)) t.twice++;
      else {
        counted.add(a);
        t.right++;
      }
    }
  }
  return out;
}

export function addExposureTally(into: ExposureTally, t: ExposureTally): void {
  into.found += t.found;
  into.right += t.right;
  into.twice += t.twice;
  into.wrong += t.wrong;
  into.truth += t.truth;
}

export function scoreExposures(t: ExposureTally): ExposureScore {
  return { ...t, precision: t.found > 0 ? t.right / t.found : null, recall: t.truth > 0 ? t.right / t.truth : null };
}
