// Compliance figures as people read them: every rate with its sample size and
// a 95% Wilson score interval, which stays honest at small n and at 0 or 100%
// (the normal approximation would claim certainty it does not have).

export interface Interval {
  low: number;
  high: number;
}

export interface ComplianceRate {
  /** Road users who faced red (the sample size). */
  exposures: number;
  violations: number;
  /** 1 - violations / exposures, or null when nobody faced red. */
  rate: number | null;
  /** 95% Wilson interval of the compliance rate, or null without exposures. */
  interval: Interval | null;
  /** Violations per hour of footage actually covered, or null without footage. */
  violationsPerHour: number | null;
  coveredHours: number;
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Wilson score interval for `successes` out of `n`. */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (!Number.isInteger(n) || n <= 0) return null;
  if (successes < 0 || successes > n) throw new RangeError(`successes ${successes} outside [0, ${n}]`);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Violations can exceed exposures only through a counting bug upstream;
 * refuse it rather than print a negative rate.
 */
export function complianceRate(exposures: number, violations: number, coveredSeconds: number): ComplianceRate {
  if (violations > exposures) throw new RangeError(`violations (${violations}) exceed exposures (${exposures})`);
  const coveredHours = coveredSeconds / 3600;
  return {
    exposures,
    violations,
    rate: exposures > 0 ? 1 - violations / exposures : null,
    interval: wilson(exposures - violations, exposures),
    violationsPerHour: coveredHours > 0 ? violations / coveredHours : null,
    coveredHours,
  };
}
