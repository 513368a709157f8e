// A line crossed in one direction only, counted once per road user after the
// ground point has stayed on the far side for a few frames: supervision's
// LineZone with its minimum_crossing_threshold, directed.
import type { Point, Segment } from '../types.ts';
import { crossingParam, signedDistance } from '../geometry/segment.ts';
import type { Observation } from './types.ts';

export interface Crossing {
  /** Last observation before the line (the evidence "before" moment). */
  before: Observation;
  /** First observation past the line. */
  past: Observation;
  /** The observation that confirmed it (minimum frames past the line). */
  confirmed: Observation;
}

/** Per road user, per line. */
export interface LineState {
  crossing: Crossing | undefined;
  lastBefore: Observation | undefined;
  run: Observation[];
}

export function newLineState(): LineState {
  return { crossing: undefined, lastBefore: undefined, run: [] };
}

export class DirectedLine {
  /** +1 or −1: the sign of signedDistance on the far side. */
  private readonly farSign: number;

  /**
   * @param line the segment
   * @param towards any point on the far side (where travel goes)
   */
  constructor(
    readonly line: Segment,
    towards: Point,
    private readonly minimumFrames: number,
    private readonly extentTolerance: number,
    /** Box heights past the line before a ground point counts as past it (0: any distance). */
    private readonly margin = 0,
  ) {
    this.farSign = Math.sign(signedDistance(line, towards)) || 1;
  }

  /**
   * Strictly on the far side, by more than `margin` box heights of `height`;
   * a point on the line (or within the margin) has not crossed yet.
   */
  isPast(p: Point, height = 0): boolean {
    return this.beyond(p) > this.margin * height;
  }

  /** Pixels from the line to p, positive on the far side. */
  beyond(p: Point): number {
    return signedDistance(this.line, p) * this.farSign;
  }

  /**
   * The crossing a road user was confirming when its track ended: last seen
   * past the line (fewer than minimumFrames times), having come from before
   * it within the segment's extent. A flicker cannot come back across a line
   * once the track is gone, so at the end of a track this is a crossing.
   */
  pending(s: LineState): Crossing | undefined {
    if (s.crossing || !s.lastBefore || s.run.length === 0) return s.crossing;
    const u = crossingParam(this.line, s.lastBefore.ground, s.run[0]!.ground);
    if (u === null || u < -this.extentTolerance || u > 1 + this.extentTolerance) return undefined;
    return { before: s.lastBefore, past: s.run[0]!, confirmed: s.run[s.run.length - 1]! };
  }

  /**
   * Feed one observation; returns the crossing when this observation
   * confirms it, once per state. A road user first seen past the line, or
   * going the wrong way, never crosses: it needs an observation before the
   * line followed by enough after it.
   */
  observe(s: LineState, o: Observation): Crossing | undefined {
    if (s.crossing) return undefined;
    if (!this.isPast(o.ground, o.height)) {
      s.lastBefore = o;
      s.run = [];
      return undefined;
    }
    if (!s.lastBefore) return undefined;
    s.run.push(o);
    if (s.run.length < this.minimumFrames) return undefined;
    const past = s.run[0]!;
    const u = crossingParam(this.line, s.lastBefore.ground, past.ground);
    if (u === null || u < -this.extentTolerance || u > 1 + this.extentTolerance) {
      // Went round the end of the segment: not a crossing, and not pending.
      s.lastBefore = undefined;
      s.run = [];
      return undefined;
    }
    s.crossing = { before: s.lastBefore, past, confirmed: o };
    return s.crossing;
  }
}
