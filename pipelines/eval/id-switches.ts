// ID switches (CLEAR-MOT's IDSW): a true road user matched, frame after
// frame, to a tracker id other than the one it was last matched to.
import { pairFrame, type TrackBox, type TruthBox } from './frame-pairs.ts';

export interface IdSwitchCounter {
  /** True boxes and track boxes of one frame. */
  push(truth: readonly TruthBox[], tracks: readonly TrackBox[]): void;
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
      for (const p of pairFrame(truth, tracks, minIou)) {
        matched++;
        const prev = last.get(p.actorId);
        if (prev !== undefined && prev !== p.trackId) switches++;
        last.set(p.actorId, p.trackId);
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
