// Public records of the pre-assessment: processed windows in, score
// forecasts out. Plain data, so the service layer can store them as JSON.
import type { Seed } from '../sampling/random.ts';
import type { Category, CategoryCounts } from '../types.ts';

/** How the assessors turn counted violations into a score. */
export interface ScoringRule {
  /** Score before any deduction, e.g. 100. */
  start: number;
  /** Points deducted per observed violation, by category; a category left out costs nothing. */
  deductions: Partial<Record<Category, number>>;
  /** Most points one window can cost; null for no cap. */
  capPerWindow: number | null;
  /** The score never falls below this. */
  floor: number;
  /** An assessment passes when its score is at least this. */
  passMark: number;
}

/** A window the pipeline has processed (any length; see lengthPolicy). */
export interface ProcessedWindow {
  /** Stable id (e.g. the database id), used to name the costliest windows. */
  id: string;
  intersectionCode: string;
  cameraCode?: string;
  from?: number;
  to?: number;
  /** Seconds of footage the window covered: its effective length. */
  coveredSeconds: number;
  /** Violations per category; WindowCounts fits. Categories left out had none. */
  counts: Partial<Record<Category, Pick<CategoryCounts, 'violations'>>>;
}

/**
 * - 'match': only windows whose length is the assessors' L (within
 *   lengthTolerance) are drawn; the others are left out and counted.
 * - 'thin': longer windows are used too, each violation kept with probability
 *   L / length (binomial thinning: the count in a random L-minute part of the
 *   window when violations are spread evenly in time). Shorter windows are
 *   always left out: scaling them up would invent violations and hide spread.
 */
export type LengthPolicy = 'match' | 'thin';

export interface PreAssessmentOptions {
  /** N: windows in one city-wide assessment. */
  windows: number;
  /** N for one intersection assessed alone; default `windows`. */
  intersectionWindows?: number;
  /** L: the assessors' window length in minutes. */
  windowMinutes: number;
  /**
   * D: simulated assessments per estimate. Default 10000: the pass
   * probability is then within ±0.01 (two standard errors); quadrupling D
   * halves that at four times the time.
   */
  draws?: number;
  seed: Seed;
  rule: ScoringRule;
  /** Default 'match'. */
  lengthPolicy?: LengthPolicy;
  /** Relative tolerance on a window's length, default 0.05 (a 10-minute window may cover 9.5-10.5 min). */
  lengthTolerance?: number;
  /**
   * Fewest usable windows an estimate may rest on, default 10; the estimate
   * also needs at least N. Lowering it gives figures from a handful of
   * windows that the band would present more firmly than they deserve.
   */
  minWindows?: number;
  /**
   * Share of the city-wide draw each intersection gets (e.g. its eligible
   * footage hours from describePlan). Default: in proportion to its usable
   * processed windows, right when the nightly sample is itself spread by footage.
   */
  intersectionWeights?: Record<string, number>;
  /** Costliest windows listed per estimate, default 10. */
  topWindows?: number;
}

export interface CostlyWindow {
  id: string;
  intersectionCode: string;
  cameraCode?: string;
  from?: number;
  to?: number;
  /** Points this window costs each time it is drawn (mean, after thinning and cap). */
  deductionPerDraw: number;
  /** Times it is drawn in one assessment, on average. */
  drawsPerAssessment: number;
  /** Points it costs one assessment on average: the two above multiplied. */
  expectedDeduction: number;
  /** Its part of the expected total deduction, 0..1. */
  share: number;
}

export interface ScoreEstimate {
  /** Processed windows the estimate rests on (drawn from, with replacement). */
  windowsUsed: number;
  /** Processed windows left out for their length. */
  windowsExcluded: number;
  windowsPerAssessment: number;
  draws: number;
  expectedScore: number;
  /** Monte Carlo standard error of expectedScore. */
  scoreStdError: number;
  /** 5th and 95th percentiles of the simulated scores. */
  band: { p5: number; p95: number };
  passProbability: number;
  /** Monte Carlo standard error of passProbability. */
  passProbabilityStdError: number;
  /** Mean points deducted per assessment, before the floor. */
  expectedDeduction: number;
  costliestWindows: CostlyWindow[];
}

export interface IntersectionEstimate {
  intersectionCode: string;
  /** Null when there are too few usable windows; `refusal` says how many and how many are needed. */
  estimate: ScoreEstimate | null;
  refusal: string | null;
}

export interface PreAssessment {
  parameters: Required<Omit<PreAssessmentOptions, 'intersectionWeights'>> & { intersectionWeights: Record<string, number> | null };
  city: ScoreEstimate;
  intersections: IntersectionEstimate[];
}
