// Segment planner: which part of which file serves which part of the window,
// where the window has no footage, and which sample slots each part should
// fill. Pure; the decoder and the report both work from this plan.
import type { FootageSegment, Gap } from './types.ts';

/** One segment's share of the window, [from, to) in ms UTC. */
export interface Piece {
  segment: FootageSegment;
  from: number;
  to: number;
  /** Seek position inside the file, seconds from its first frame. */
  seekS: number;
  /** Sample slots a healthy constant-rate file fills, ascending. */
  expectedSlots: number[];
}

export interface WindowPlan {
  t0: number;
  t1: number;
  sampleFps: number;
  pieces: Piece[];
  gaps: Gap[];
}

// Added before flooring so a source frame lying exactly on a slot boundary
// (1.000 s at 25 fps sampled at 8 fps) lands in the later slot in JavaScript
// and in ffmpeg's select expression alike, whatever their rounding.
export const SLOT_EPSILON = 1e-6;

/** Slot of a time given in seconds since the window start. */
export function slotOfSeconds(s: number, sampleFps: number): number {
  return Math.floor(s * sampleFps + SLOT_EPSILON);
}

export function slotOf(t: number, t0: number, sampleFps: number): number {
  return slotOfSeconds((t - t0) / 1000, sampleFps);
}

export function slotStart(slot: number, t0: number, sampleFps: number): number {
  return t0 + (slot * 1000) / sampleFps;
}

/**
 * Split [t0, t1) over the segments that cover it. Segments are taken in
 * start order; an overlap with the previous one is given to the earlier
 * file. A stretch without footage longer than `minGapMs` is a gap.
 */
export function planWindow(
  t0: number,
  t1: number,
  segments: readonly FootageSegment[],
  sampleFps: number,
  minGapMs = 1000 / sampleFps,
): WindowPlan {
  const ordered = [...segments].sort((a, b) => a.startsAt - b.startsAt);
  const pieces: Piece[] = [];
  const gaps: Gap[] = [];
  let cursor = t0;
  for (const segment of ordered) {
    const from = Math.max(cursor, segment.startsAt);
    const to = Math.min(t1, segment.endsAt);
    if (to <= from) continue;
    if (from - cursor >= minGapMs) gaps.push({ from: cursor, to: from });
    // A slot the previous piece already fills is not expected twice.
    const lastSlot = pieces[pieces.length - 1]?.expectedSlots.at(-1) ?? -1;
    const slots = expectedSlots(segment, from, to, t0, sampleFps).filter((s) => s > lastSlot);
    pieces.push({ segment, from, to, seekS: (from - segment.startsAt) / 1000, expectedSlots: slots });
    cursor = to;
  }
  if (t1 - cursor >= minGapMs) gaps.push({ from: cursor, to: t1 });
  return { t0, t1, sampleFps, pieces, gaps };
}

/**
 * Slots the select filter fills from a constant-rate file: each slot gets the
 * first source frame that falls in it. A variable-rate file may differ; the
 * report then shows the difference as missing frames, which is what a
 * reviewer needs to know anyway.
 */
export function expectedSlots(segment: FootageSegment, from: number, to: number, t0: number, sampleFps: number): number[] {
  const step = 1000 / segment.fps;
  const slots: number[] = [];
  let j = Math.max(0, Math.ceil((from - segment.startsAt) / step - 1e-9));
  for (let t = segment.startsAt + j * step; t < to; j++, t = segment.startsAt + j * step) {
    const slot = slotOf(t, t0, sampleFps);
    if (slots[slots.length - 1] !== slot) slots.push(slot);
  }
  return slots;
}
