// Where each camera may hold a window: its footage cut to the slots, then
// shrunk by one window length at the end of every piece so that a window
// starting anywhere in it ends inside both the footage and the slot.
import type { Span } from './packing.ts';
import type { Slot } from './slots.ts';
import type { Interval } from './types.ts';

export interface StratumEligibility {
  /** Footage inside the slots of the stratum, ms. */
  eligibleMs: number;
  /** Grid points (start / step) where a whole window fits. */
  spans: Span[];
}

/** Sorted union; touching intervals join (two files back to back are one stretch of footage). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x.from - y.from);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else out.push({ from: iv.from, to: iv.to });
  }
  return out;
}

/** Per stratum label; both inputs sorted and disjoint. */
export function eligibility(footage: readonly Interval[], slots: readonly Slot[], windowMs: number, stepMs: number): Map<string, StratumEligibility> {
  const out = new Map<string, StratumEligibility>();
  let f = 0;
  for (const slot of slots) {
    while (f < footage.length && footage[f]!.to <= slot.from) f++;
    for (let k = f; k < footage.length && footage[k]!.from < slot.to; k++) {
      const from = Math.max(footage[k]!.from, slot.from);
      const to = Math.min(footage[k]!.to, slot.to);
      const entry = out.get(slot.stratum) ?? { eligibleMs: 0, spans: [] };
      out.set(slot.stratum, entry);
      entry.eligibleMs += to - from;
      const a = Math.ceil(from / stepMs);
      const b = Math.floor((to - windowMs) / stepMs);
      if (a <= b) entry.spans.push({ a, b });
    }
  }
  return out;
}
