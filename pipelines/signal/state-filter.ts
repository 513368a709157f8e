// Temporal filter for signal states: a change is accepted only when the new
// reading holds for a few consecutive frames, so one frame of glare, a passing
// truck's reflection or a compression artefact never flips a signal.
//
// The filter looks ahead rather than behind: the state of frame k is decided
// once frames k..k+hold-1 are seen, and an accepted change is dated to the
// first frame of its run. Output therefore lags input by hold-1 frames, but
// the red onset is not delayed, which would shift who crossed on red.
import type { SignalColour } from '../types.ts';

export interface StateFilterOptions {
  /**
   * Consecutive frames a new colour must hold to be accepted. At 8 fps, 2
   * frames is 250 ms: raising it rejects longer flicker but lets a short
   * amber (or a misread) pass unseen and adds output lag.
   */
  holdFrames: number;
  /** Consecutive `unknown` readings after which the state becomes `unknown`. */
  unknownAfterFrames: number;
}

export const DEFAULT_FILTER_OPTIONS: StateFilterOptions = { holdFrames: 2, unknownAfterFrames: 3 };

export interface FilteredState<T> {
  item: T;
  colour: SignalColour;
}

/** One instance per signal head per window. */
export class SignalStateFilter<T = number> {
  private readonly pending: { item: T; reading: SignalColour }[] = [];
  private accepted: SignalColour = 'unknown';

  constructor(private readonly opts: StateFilterOptions = DEFAULT_FILTER_OPTIONS) {
    if (opts.holdFrames < 1 || opts.unknownAfterFrames < 1) throw new RangeError('holdFrames and unknownAfterFrames must be >= 1');
  }

  /** Feeds one frame's raw reading; returns the frames whose state is now decided, in order. */
  push(item: T, reading: SignalColour): FilteredState<T>[] {
    this.pending.push({ item, reading });
    const out: FilteredState<T>[] = [];
    while (this.pending.length >= this.lookahead()) out.push(this.decideFirst());
    return out;
  }

  /** Decides the frames still pending at the end of the window (short runs are not accepted). */
  finish(): FilteredState<T>[] {
    const out: FilteredState<T>[] = [];
    while (this.pending.length > 0) out.push(this.decideFirst());
    return out;
  }

  reset(): void {
    this.pending.length = 0;
    this.accepted = 'unknown';
  }

  private lookahead(): number {
    return Math.max(this.opts.holdFrames, this.opts.unknownAfterFrames);
  }

  private decideFirst(): FilteredState<T> {
    const first = this.pending[0]!;
    const need = first.reading === 'unknown' ? this.opts.unknownAfterFrames : this.opts.holdFrames;
    const run = this.pending.slice(0, need);
    if (run.length === need && run.every((p) => p.reading === first.reading)) this.accepted = first.reading;
    this.pending.shift();
    return { item: first.item, colour: this.accepted };
  }
}
