// Monthly rating bands and the red / black flags, as pure functions.
//
// Band (from the month's compliance rate, all categories unless filtered):
//   A ≥ 98%, B ≥ 95%, C ≥ 90% (the pass line), D ≥ 80%, E < 80%;
//   'unrated' when the month has fewer than `minExposures` exposures: a rate
//   from a handful of road users says little (its Wilson interval is wide).
// Ranking: rated entries by compliance rate, best first; ties by the lower
// bound of the 95% interval (the better-supported rate first), then more
// exposures, then the key. Unrated entries follow, without a rank.
// Flags, as the civilized-city office publishes them (issue 6):
//   红旗 red flag   = among the best k ranks AND at least the pass line (C);
//   黑旗 black flag = among the worst k ranks, OR below 80% (band E) whatever its rank.
//   k is capped at half the rated entries so no entry is both best and worst.
import type { ComplianceRate } from '../../pipelines/stats/rates.ts';

export const BANDS = [
  { band: 'A', min: 0.98 },
  { band: 'B', min: 0.95 },
  { band: 'C', min: 0.9 },
  { band: 'D', min: 0.8 },
  { band: 'E', min: 0 },
] as const;
export type Band = (typeof BANDS)[number]['band'] | 'unrated';
export const PASS_RATE = 0.9;
export const BLACK_RATE = 0.8;

export interface RatingRules {
  minExposures: number;
  flagCount: number;
}

export function bandOf(rate: ComplianceRate, minExposures: number): Band {
  if (rate.rate === null || rate.exposures < minExposures) return 'unrated';
  return BANDS.find((b) => rate.rate! >= b.min)!.band;
}

export interface Ranked<T> {
  item: T;
  rate: ComplianceRate;
  band: Band;
  rank: number | null;
  redFlag: boolean;
  blackFlag: boolean;
}

export function rank<T>(entries: { item: T; key: string; rate: ComplianceRate }[], rules: RatingRules): Ranked<T>[] {
  const withBand = entries.map((e) => ({ ...e, band: bandOf(e.rate, rules.minExposures) }));
  const rated = withBand.filter((e) => e.band !== 'unrated').sort(compare);
  const unrated = withBand.filter((e) => e.band === 'unrated').sort((a, b) => a.key.localeCompare(b.key));
  const n = rated.length;
  const k = Math.min(rules.flagCount, Math.floor(n / 2));
  const ranked = rated.map((e, i) => ({
    item: e.item,
    rate: e.rate,
    band: e.band,
    rank: i + 1,
    redFlag: i < k && e.rate.rate! >= PASS_RATE,
    blackFlag: i >= n - k || e.rate.rate! < BLACK_RATE,
  }));
  return [...ranked, ...unrated.map((e) => ({ item: e.item, rate: e.rate, band: e.band, rank: null, redFlag: false, blackFlag: false }))];
}

function compare(a: { key: string; rate: ComplianceRate }, b: { key: string; rate: ComplianceRate }): number {
  return (
    b.rate.rate! - a.rate.rate! ||
    (b.rate.interval?.low ?? 0) - (a.rate.interval?.low ?? 0) ||
    b.rate.exposures - a.rate.exposures ||
    a.key.localeCompare(b.key)
  );
}
