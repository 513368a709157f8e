// The assessors' draw, simulated: N windows drawn with replacement from the
// processed windows (a bootstrap: the processed windows stand in for the
// month's footage they were sampled from), their points summed and scored.
// Repeated D times.
import type { Rng } from '../sampling/random.ts';
import { sampleDeduction } from './deductions.ts';
import type { PoolEntry } from './pool.ts';
import { scoreOf } from './scoring.ts';
import type { ScoringRule } from './types.ts';

export interface DrawPool {
  entries: PoolEntry[];
  /** Chance of each entry per pick; null for equal chances. Sums to 1. */
  weights: number[] | null;
}

export interface Simulation {
  /** Score of each simulated assessment. */
  scores: Float64Array;
  /** Points deducted in each, before the floor. */
  deductions: Float64Array;
}

export function simulate(pool: DrawPool, n: number, draws: number, rule: ScoringRule, rng: Rng): Simulation {
  const pick = picker(pool, rng);
  const scores = new Float64Array(draws);
  const deductions = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    let total = 0;
    for (let j = 0; j < n; j++) total += sampleDeduction(pool.entries[pick()]!.cost, rng);
    deductions[d] = total;
    scores[d] = scoreOf(total, rule);
  }
  return { scores, deductions };
}

function picker(pool: DrawPool, rng: Rng): () => number {
  const m = pool.entries.length;
  if (pool.weights === null) return () => rng.int(m);
  const cumulative = new Float64Array(m);
  let acc = 0;
  pool.weights.forEach((w, i) => (cumulative[i] = acc += w));
  return () => {
    const u = rng.float() * acc;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
