// The pools the Monte Carlo draws from: usable processed windows, with the
// distribution of points each draw of them costs.
import { deductionDistribution, type DeductionDistribution } from './deductions.ts';
import type { NormalizedOptions } from './options.ts';
import type { ProcessedWindow } from './types.ts';

export interface PoolEntry {
  window: ProcessedWindow;
  cost: DeductionDistribution;
}

export interface IntersectionPool {
  intersectionCode: string;
  entries: PoolEntry[];
  /** Windows of this intersection left out for their length. */
  excluded: number;
}

/**
 * Pools per intersection, sorted by code and windows by id, so the result
 * does not depend on the order rows came from the database.
 */
export function buildPools(windows: ProcessedWindow[], o: NormalizedOptions): IntersectionPool[] {
  const pools = new Map<string, IntersectionPool>();
  const sorted = [...windows].sort((a, b) => compare(a.intersectionCode, b.intersectionCode) || compare(a.id, b.id));
  for (const w of sorted) {
    const pool = pools.get(w.intersectionCode) ?? { intersectionCode: w.intersectionCode, entries: [], excluded: 0 };
    pools.set(w.intersectionCode, pool);
    const keep = keepProbability(w.coveredSeconds, o);
    if (keep === null) pool.excluded++;
    else pool.entries.push({ window: w, cost: deductionDistribution(w.counts, o.rule, keep) });
  }
  return [...pools.values()];
}

/** 1 for a window of the assessors' length, L / length for a longer one under 'thin', null when left out. */
export function keepProbability(coveredSeconds: number, o: NormalizedOptions): number | null {
  const target = o.windowMinutes * 60;
  if (Math.abs(coveredSeconds - target) <= o.lengthTolerance * target) return 1;
  if (o.lengthPolicy === 'thin' && coveredSeconds > target) return target / coveredSeconds;
  return null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
