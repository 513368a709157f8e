// Shares a group's windows among its strata.
import type { Allocation } from './types.ts';

/**
 * Proportional allocation by the largest-remainder (Hamilton) method: each
 * stratum gets the floor of its exact share, the windows left over go to the
 * largest fractions, ties to the stratum listed first. Unlike rounding each
 * share, the counts always sum to `total`.
 */
export function allocate(total: number, weights: readonly number[], allocation: Allocation, labels: readonly string[]): number[] {
  if (allocation.kind === 'fixed') return labels.map((l) => allocation.counts[l] ?? 0);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((x, y) => y.frac - x.frac || x.i - y.i);
  let left = total - counts.reduce((s, c) => s + c, 0);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}
