// Records the rules exchange among themselves and with the window pipeline.
import type { Box, Category, Exposure, Point, RoadUserClass, SignalColour, SignalFrame, TrackPoint, Violation, WindowCounts } from '../types.ts';

/** One frame as the rules consume it: the tracker's points and the accepted signal states. */
export interface RulesFrame {
  frameIndex: number;
  t: number;
  tracks: TrackPoint[];
  signals: SignalFrame;
}

/** Signal states at one frame, with when each signal's current colour began. */
export interface SignalSnapshot {
  frameIndex: number;
  t: number;
  states: Readonly<Record<string, SignalColour>>;
  /** Time the current colour began; undefined when it already showed at the first frame (onset unknown). */
  since: Readonly<Record<string, number | undefined>>;
  /** The window's first frame: a colour whose onset is unknown has shown at least since then. */
  firstT?: number;
}

/** A road user seen at one frame. */
export interface Observation {
  frameIndex: number;
  t: number;
  trackId: number;
  box: Box;
  /** Bottom centre of the box: what lines and zones are judged on. */
  ground: Point;
  /** Box height in pixels, the unit of the rules' distances. */
  height: number;
  cls: RoadUserClass;
  score: number;
  signals: SignalSnapshot;
  /**
   * The box is cut by the picture's bottom edge (known only with the
   * picture's size): its bottom, and so the ground point, is the edge, not
   * the road user's.
   */
  cutBottom?: boolean;
}

export type UnjudgedReason = 'signal_unknown' | 'unresolved' | 'no_signal' | 'movement_unknown';

/** An event the rules could not decide; counted, never guessed. */
export interface Unjudged {
  category: Category;
  trackId: number;
  zoneId: string;
  t: number;
  reason: UnjudgedReason;
}

export interface WindowJudgement {
  violations: Violation[];
  exposures: Exposure[];
  counts: WindowCounts;
  unjudged: Unjudged[];
}
