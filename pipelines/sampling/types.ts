// Public records of assessor-style sampling. Times are ms since the epoch,
// UTC; dates and hours are read in each camera's own time zone.
import type { Seed } from './random.ts';

export interface Interval {
  /** Inclusive start, ms epoch UTC. */
  from: number;
  /** Exclusive end, ms epoch UTC. */
  to: number;
}

/** Where a camera has footage (merged across files; touching intervals are merged again here). */
export interface CameraCoverage {
  cameraCode: string;
  intersectionCode: string;
  /** IANA zone of the site; hours and dates are read in it. */
  timeZone: string;
  intervals: Interval[];
}

export type StratumDimension = 'dayType' | 'peak';

export type Allocation =
  /** Windows shared out in proportion to each stratum's eligible start time. */
  | { kind: 'proportional' }
  /** Exactly these windows per stratum label (per intersection when scope is 'intersection'); must sum to `windows`. */
  | { kind: 'fixed'; counts: Record<string, number> };

export interface StrataOptions {
  /** 'dayType' splits weekday / weekend, 'peak' splits peak / off-peak. Both give 'weekday/peak' etc. */
  by: StratumDimension[];
  /** Site-local 'HH:MM-HH:MM' ranges that are peak, every day; default 07:00-09:00 and 17:00-19:00. */
  peakHours?: string[];
  /** Local weekdays counted as weekend, 0 = Sunday; default [0, 6]. */
  weekendDays?: number[];
  /** Default proportional. */
  allocation?: Allocation;
}

export interface SamplingRequest {
  /** A month 'YYYY-MM', or local dates { from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' }, both included. */
  period: string | { from: string; to: string };
  /** Hours under assessment, site-local 'HH:MM-HH:MM', end excluded, '24:00' allowed; ranges must not overlap. */
  hours: string[];
  /** N: windows to draw, city-wide or per intersection (see scope). */
  windows: number;
  /** L: length of one window in minutes. */
  windowMinutes: number;
  /** 'city': N windows over all cameras' footage (how assessors draw); 'intersection': N windows for each intersection. */
  scope: 'city' | 'intersection';
  /** Only these intersections; default every intersection in the coverage. */
  intersections?: string[];
  strata?: StrataOptions;
  /**
   * Also forbid two windows of one intersection overlapping in time on
   * different cameras. Default false: cameras usually watch different
   * approaches, and forbidding it lowers the capacity of busy junctions.
   */
  exclusivePerIntersection?: boolean;
  seed: Seed;
  /**
   * Window starts are drawn on this grid (epoch-aligned). Default 1000 (whole
   * seconds): finer grids change nothing a person would notice; 60000 gives
   * whole-minute starts as a person would pick them, at a little less choice.
   */
  startStepMs?: number;
}

export interface SampledWindow {
  cameraCode: string;
  intersectionCode: string;
  from: number;
  to: number;
  /** 'all' without strata, else e.g. 'weekday', 'off-peak', 'weekend/peak'. */
  stratum: string;
}

export interface StratumDescription {
  stratum: string;
  /** Footage inside the assessed hours of this stratum, hours. */
  eligibleHours: number;
  /** Time where a whole window can start (footage and hours allow it to finish), hours. */
  startHours: number;
  /** Most non-overlapping windows that fit. */
  maxWindows: number;
}

export interface CameraDescription {
  cameraCode: string;
  intersectionCode: string;
  timeZone: string;
  strata: StratumDescription[];
}

export interface GroupStratumDescription extends StratumDescription {
  /** Windows this group draws in this stratum. */
  allocated: number;
}

export interface GroupDescription {
  /** 'city', or the intersection code when scope is 'intersection'. */
  group: string;
  cameras: number;
  strata: GroupStratumDescription[];
}

export interface PlanDescription {
  period: { from: string; to: string };
  hours: string[];
  windows: number;
  windowMinutes: number;
  scope: 'city' | 'intersection';
  strata: string[];
  cameras: CameraDescription[];
  groups: GroupDescription[];
  /** Why the request cannot be drawn, one line per group and stratum; empty when it can. */
  problems: string[];
}

/** How each window was placed (see draw.ts): plain rejection, exact draw from the free set, or forced by a tight capacity. */
export interface DrawMethods {
  rejection: number;
  exact: number;
  tight: number;
}

export interface SamplePlan {
  /** The request as given: with the coverage, all that is needed to draw the same windows again. */
  request: SamplingRequest;
  seed: Seed;
  description: PlanDescription;
  /** Sorted by start, then camera. */
  windows: SampledWindow[];
  methods: DrawMethods;
}
