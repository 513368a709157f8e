// From simulated assessments to the figures people read.
import type { Simulation, DrawPool } from './monte-carlo.ts';
import { passes } from './scoring.ts';
import type { CostlyWindow, ScoreEstimate, ScoringRule } from './types.ts';

export interface SummaryInput {
  sim: Simulation;
  pool: DrawPool;
  n: number;
  rule: ScoringRule;
  topWindows: number;
  excluded: number;
}

export function summarize({ sim, pool, n, rule, topWindows, excluded }: SummaryInput): ScoreEstimate {
  const draws = sim.scores.length;
  const { mean, sd } = meanSd(sim.scores);
  const p = sim.scores.reduce((s, x) => s + (passes(x, rule) ? 1 : 0), 0) / draws;
  const sorted = Float64Array.from(sim.scores).sort();
  return {
    windowsUsed: pool.entries.length,
    windowsExcluded: excluded,
    windowsPerAssessment: n,
    draws,
    expectedScore: mean,
    scoreStdError: sd / Math.sqrt(draws),
    band: { p5: quantile(sorted, 0.05), p95: quantile(sorted, 0.95) },
    passProbability: p,
    passProbabilityStdError: Math.sqrt((p * (1 - p)) / draws),
    expectedDeduction: meanSd(sim.deductions).mean,
    costliestWindows: costliest(pool, n, topWindows),
  };
}

/** Linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Costliest windows by their exact expected contribution: times drawn per
 * assessment (N x its chance per pick) x its mean points per draw. Exact
 * rather than tallied from the simulation, so ties stay ties and the list
 * does not change with D. Points lost below the floor are still counted:
 * they say which windows to fix first.
 */
function costliest(pool: DrawPool, n: number, top: number): CostlyWindow[] {
  const m = pool.entries.length;
  const rows = pool.entries.map((e, i) => {
    const drawsPerAssessment = n * (pool.weights ? pool.weights[i]! : 1 / m);
    const { id, intersectionCode, cameraCode, from, to } = e.window;
    return { id, intersectionCode, cameraCode, from, to, deductionPerDraw: e.cost.mean, drawsPerAssessment, expectedDeduction: drawsPerAssessment * e.cost.mean, share: 0 };
  });
  const total = rows.reduce((s, r) => s + r.expectedDeduction, 0);
  return rows
    .filter((r) => r.expectedDeduction > 0)
    .sort((a, b) => b.expectedDeduction - a.expectedDeduction || (a.id < b.id ? -1 : 1))
    .slice(0, top)
    .map((r) => dropUndefined({ ...r, share: r.expectedDeduction / total }));
}

function dropUndefined<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as T;
}

function meanSd(xs: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}
