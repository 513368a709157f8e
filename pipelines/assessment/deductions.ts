// The points one draw of a processed window costs, as a discrete
// distribution. A window of the assessors' length costs a fixed amount; a
// longer one under the 'thin' policy costs a random amount, because only the
// violations falling in a random L-minute part of it would be seen.
import type { Rng } from '../sampling/random.ts';
import { CATEGORIES } from '../types.ts';
import { deductionOf, roundPoints } from './scoring.ts';
import type { ProcessedWindow, ScoringRule } from './types.ts';

export interface DeductionDistribution {
  /** Ascending distinct point values. */
  values: number[];
  /** cdf[i] = P(points <= values[i]); the last is 1. */
  cdf: number[];
  mean: number;
}

/** `keep`: probability that each violation is seen (1 for a window of the assessors' length). */
export function deductionDistribution(counts: ProcessedWindow['counts'], rule: ScoringRule, keep: number): DeductionDistribution {
  let dist = new Map<number, number>([[0, 1]]);
  for (const c of CATEGORIES) {
    const v = counts[c]?.violations ?? 0;
    const d = deductionOf(rule, c);
    if (v > 0 && d > 0) dist = convolve(dist, binomial(v, keep).map((p, k) => [roundPoints(k * d), p] as const));
  }
  if (rule.capPerWindow !== null) dist = mapValues(dist, (x) => Math.min(x, rule.capPerWindow!));
  return toCdf(dist);
}

/** One draw. A fixed cost uses no random number, so fixed and thinned pools stay comparable. */
export function sampleDeduction(dist: DeductionDistribution, rng: Rng): number {
  if (dist.values.length === 1) return dist.values[0]!;
  const u = rng.float();
  let lo = 0;
  let hi = dist.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dist.cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return dist.values[lo]!;
}

/** P(k of n kept), k = 0..n; in logs, so that large n does not underflow to all zeros. */
function binomial(n: number, p: number): number[] {
  if (p >= 1) return Array.from({ length: n + 1 }, (_, k) => (k === n ? 1 : 0));
  const logFact = [0];
  for (let i = 1; i <= n; i++) logFact.push(logFact[i - 1]! + Math.log(i));
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  return Array.from({ length: n + 1 }, (_, k) => Math.exp(logFact[n]! - logFact[k]! - logFact[n - k]! + k * lp + (n - k) * lq));
}

function convolve(dist: Map<number, number>, step: (readonly [number, number])[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [x, px] of dist) {
    for (const [y, py] of step) {
      if (py === 0) continue;
      const z = roundPoints(x + y);
      out.set(z, (out.get(z) ?? 0) + px * py);
    }
  }
  return out;
}

function mapValues(dist: Map<number, number>, f: (x: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [x, p] of dist) out.set(f(x), (out.get(f(x)) ?? 0) + p);
  return out;
}

function toCdf(dist: Map<number, number>): DeductionDistribution {
  const values = [...dist.keys()].sort((a, b) => a - b);
  const total = values.reduce((s, x) => s + dist.get(x)!, 0);
  let acc = 0;
  const cdf = values.map((x) => (acc += dist.get(x)! / total));
  cdf[cdf.length - 1] = 1;
  return { values, cdf, mean: values.reduce((s, x) => s + (x * dist.get(x)!) / total, 0) };
}
