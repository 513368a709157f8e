// The signal states the rules read: each frame's accepted colours plus when
// each colour began, so "red for at least the grace period" can be asked of
// any past frame without keeping the window's frames.
import type { SignalColour, SignalFrame } from '../types.ts';
import type { SignalSnapshot } from './types.ts';

export class SignalTimeline {
  private current = new Map<string, { colour: SignalColour; since: number | undefined }>();
  private firstT: number | undefined;

  reset(): void {
    this.current.clear();
    this.firstT = undefined;
  }

  push(f: SignalFrame): SignalSnapshot {
    const since: Record<string, number | undefined> = {};
    for (const [id, colour] of Object.entries(f.states)) {
      const prev = this.current.get(id);
      // A signal first seen at the window's first frame has an unknown onset;
      // one appearing later (or changing colour) began now.
      const start = prev?.colour === colour ? prev.since : this.firstT !== undefined ? f.t : undefined;
      this.current.set(id, { colour, since: start });
      since[id] = start;
    }
    for (const id of [...this.current.keys()]) if (!(id in f.states)) this.current.delete(id);
    this.firstT ??= f.t;
    return { frameIndex: f.frameIndex, t: f.t, states: f.states, since, firstT: this.firstT };
  }
}

/** The colour a signal showed; a signal missing from the frame is unknown, never assumed. */
export function colourAt(s: SignalSnapshot, signalId: string): SignalColour {
  return s.states[signalId] ?? 'unknown';
}

export type RedVerdict = 'red' | 'not_red' | 'unknown';

/**
 * When a signal's current colour began, at the latest: its seen onset, else
 * (already showing at the window's first frame) that first frame.
 */
export function shownSince(s: SignalSnapshot, signalId: string): number | undefined {
  return s.since[signalId] ?? s.firstT;
}

/**
 * Whether a signal showed red at this snapshot for at least `graceMs`.
 * Dark ('off') counts as not red: nothing to obey. Unreadable is unknown.
 */
export function redAt(s: SignalSnapshot, signalId: string, graceMs: number): RedVerdict {
  const c = colourAt(s, signalId);
  if (c === 'unknown') return 'unknown';
  if (c !== 'red') return 'not_red';
  const since = s.since[signalId];
  return since === undefined || s.t - since >= graceMs ? 'red' : 'not_red';
}
