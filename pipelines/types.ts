// The records stages exchange, declared once (see shared/ARCHITECTURE.md).
// Times are milliseconds since the Unix epoch, UTC. Image coordinates are
// pixels of the camera's full-resolution frame, origin top-left.

export type Point = readonly [x: number, y: number];
/** A line segment: two points. */
export type Segment = readonly [Point, Point];
/** A simple polygon, at least three points, not closed (first != last). */
export type Polygon = readonly Point[];

/** Axis-aligned box in image pixels. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export const ROAD_USER_CLASSES = ['vehicle', 'large_vehicle', 'non_motor', 'pedestrian'] as const;
export type RoadUserClass = (typeof ROAD_USER_CLASSES)[number];

export const CATEGORIES = ['red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk'] as const;
export type Category = (typeof CATEGORIES)[number];

export const MOVEMENTS = ['left', 'straight', 'right'] as const;
export type Movement = (typeof MOVEMENTS)[number];

/** What a signal head shows. `unknown` means unreadable, never a guess. */
export type SignalColour = 'red' | 'amber' | 'green' | 'off' | 'unknown';

/** One decoded frame, RGB24, row-major, width*height*3 bytes. */
export interface Frame {
  index: number;
  t: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Detection {
  box: Box;
  cls: RoadUserClass;
  score: number;
}

export interface FrameDetections {
  frameIndex: number;
  t: number;
  detections: Detection[];
}

/** The accepted state of every calibrated signal at one frame. */
export interface SignalFrame {
  frameIndex: number;
  t: number;
  states: Record<string, SignalColour>;
}

export type TrackState = 'new' | 'tracked' | 'lost' | 'removed';

/** A track's box at one frame, as the tracker reports it. */
export interface TrackPoint {
  trackId: number;
  frameIndex: number;
  t: number;
  box: Box;
  /** Class of this frame's detection; the track's class is the vote over its life. */
  cls: RoadUserClass;
  score: number;
}

export interface EvidenceMoment {
  frameIndex: number;
  t: number;
  box: Box;
}

export interface Violation {
  category: Category;
  trackId: number;
  roadUserClass: RoadUserClass;
  /** Approach (vehicle categories) or crosswalk / carriageway (jaywalk). */
  zoneId: string;
  /** Signal that showed red, where one governed the movement. */
  signalId?: string;
  /** The decisive moment: stop-line crossing, or carriageway / crosswalk entry. */
  t: number;
  /** Before the line (red showing), past the line, continued. */
  moments: readonly [EvidenceMoment, EvidenceMoment, EvidenceMoment];
  /** 0..1: how sure the pipeline is (track score and rule margin). */
  score: number;
}

/** A road user who faced red at the stop line or kerb (or entered illegally) in a category. */
export interface Exposure {
  category: Category;
  trackId: number;
  zoneId: string;
  t: number;
}

export interface CategoryCounts {
  exposures: number;
  violations: number;
}

export type WindowCounts = Record<Category, CategoryCounts>;

export function emptyCounts(): WindowCounts {
  return Object.fromEntries(CATEGORIES.map((c) => [c, { exposures: 0, violations: 0 }])) as WindowCounts;
}
