// Rule parameters. Distances are in box heights of the road user concerned
// (so one setting fits near and far road users and any resolution); times in
// seconds, frame counts in sampled frames (8 fps by default).

export interface RulesParams {
  /**
   * Frames the ground point must stay on the new side of a line before the
   * crossing counts (supervision's minimum_crossing_threshold). Raising it
   * ignores longer box flicker but risks missing a road user whose track ends
   * just past the line.
   */
  minimumCrossingFrames: number;
  /** A crossing counts within the segment's extent, widened by this fraction of its length at each end. */
  lineExtentTolerance: number;
  /**
   * Red must have shown this long at the last frame before the line for the
   * crossing to be "on red". 0 judges on the sampled state alone; raising it
   * forgives late amber-to-red crossings (some jurisdictions allow ~0.2 s).
   */
  redGraceSeconds: number;
  /** A road user whose ground point moves less than this (box heights per second)… */
  stillSpeed: number;
  /** …over this many seconds is still (waiting or stopped). */
  stillSeconds: number;
  /**
   * A new track that appears within this many seconds where another road user
   * vanished near a line or crosswalk is the same road user. Raising it
   * survives longer occlusions but risks merging two road users.
   */
  stitchSeconds: number;
  /** …and within this distance of where that road user was (or would be, at its last speed). */
  stitchDistance: number;
  /** Stitching applies to road users that vanished within this distance of a stop line, lane or crosswalk. */
  stitchNearZone: number;
  /**
   * A road user unseen this long is final and judged. Must exceed the
   * tracker's lost-track buffer and stitchSeconds, or a revived track would be
   * judged twice.
   */
  finalizeAfterSeconds: number;
  /** Frames a pedestrian must stay in a zone (carriageway, crosswalk) before the entry counts. */
  zoneHoldFrames: number;
  /** A pedestrian within this distance of a crosswalk is on it (people do not walk exactly inside the paint). */
  crosswalkMargin: number;
  /** Kerb zone: outside the carriageway, within this distance of a crosswalk. */
  kerbDistance: number;
  /** Seconds in a kerb zone during don't-walk that make a pedestrian exposed. */
  kerbWaitSeconds: number;
  /** The "continued" evidence moment of a right turn or jaywalk: this long after the decisive frame. */
  continuedSeconds: number;
}

export const DEFAULT_RULES_PARAMS: Readonly<RulesParams> = {
  minimumCrossingFrames: 3,
  lineExtentTolerance: 0.05,
  redGraceSeconds: 0,
  stillSpeed: 0.3,
  stillSeconds: 0.5,
  stitchSeconds: 2,
  stitchDistance: 1,
  stitchNearZone: 3,
  finalizeAfterSeconds: 3,
  zoneHoldFrames: 3,
  crosswalkMargin: 0.2,
  kerbDistance: 1,
  kerbWaitSeconds: 1,
  continuedSeconds: 1,
};
