// Pre-assessment: how the assessors' draw is likely to go, per intersection
// and city-wide, from the windows processed so far this month.
import { CrosswatchError } from '../errors.ts';
import { createRng } from '../sampling/random.ts';
import { simulate, type DrawPool } from './monte-carlo.ts';
import { normalizeOptions, type NormalizedOptions } from './options.ts';
import { buildPools, type IntersectionPool } from './pool.ts';
import { summarize } from './summary.ts';
import type { IntersectionEstimate, PreAssessment, PreAssessmentOptions, ProcessedWindow, ScoreEstimate } from './types.ts';

/**
 * Deterministic from options.seed, whatever the order of `windows`.
 * Throws ASSESSMENT_INVALID on malformed input and ASSESSMENT_INSUFFICIENT
 * when the city-wide estimate would rest on too few windows; an intersection
 * with too few gets `estimate: null` and a `refusal` saying the numbers.
 */
export function preAssess(windows: ProcessedWindow[], options: PreAssessmentOptions): PreAssessment {
  const o = normalizeOptions(options, windows);
  const pools = buildPools(windows, o);
  const city = cityEstimate(pools, o);
  const intersections = pools.map((p) => intersectionEstimate(p, o));
  return { parameters: o, city, intersections };
}

function cityEstimate(pools: IntersectionPool[], o: NormalizedOptions): ScoreEstimate {
  const entries = pools.flatMap((p) => p.entries);
  const excluded = pools.reduce((s, p) => s + p.excluded, 0);
  const shortage = shortageOf(entries.length, excluded, o.windows, o);
  if (shortage) throw new CrosswatchError('ASSESSMENT_INSUFFICIENT', `Cannot pre-assess city-wide: ${shortage}`, { details: { found: entries.length, excluded } });
  const pool: DrawPool = { entries, weights: cityWeights(pools, o) };
  const sim = simulate(pool, o.windows, o.draws, o.rule, createRng(o.seed, 'city'));
  return summarize({ sim, pool, n: o.windows, rule: o.rule, topWindows: o.topWindows, excluded });
}

function intersectionEstimate(p: IntersectionPool, o: NormalizedOptions): IntersectionEstimate {
  const shortage = shortageOf(p.entries.length, p.excluded, o.intersectionWindows, o);
  if (shortage) return { intersectionCode: p.intersectionCode, estimate: null, refusal: `intersection ${p.intersectionCode}: ${shortage}` };
  const pool: DrawPool = { entries: p.entries, weights: null };
  // One stream per intersection: adding another leaves this one's figures unchanged.
  const sim = simulate(pool, o.intersectionWindows, o.draws, o.rule, createRng(o.seed, `intersection\u0000${p.intersectionCode}`));
  const estimate = summarize({ sim, pool, n: o.intersectionWindows, rule: o.rule, topWindows: o.topWindows, excluded: p.excluded });
  return { intersectionCode: p.intersectionCode, estimate, refusal: null };
}

/**
 * Why `found` usable windows are too few, or null. The floor is the larger of
 * minWindows and N: below N every simulated assessment repeats windows, and
 * the spread would claim more certainty than the data holds.
 */
function shortageOf(found: number, excluded: number, n: number, o: NormalizedOptions): string | null {
  const need = Math.max(o.minWindows, n);
  if (found >= need) return null;
  const tolerance = o.lengthTolerance > 0 ? ` (±${Number((o.lengthTolerance * 100).toFixed(1))}%)` : '';
  const others = excluded > 0 ? `; ${excluded} more of other lengths were left out${o.lengthPolicy === 'match' ? " (lengthPolicy 'thin' can use the longer ones)" : ''}` : '';
  return `${found} processed windows of ${o.windowMinutes} min${tolerance}, at least ${need} needed (${n} per assessment, minimum ${o.minWindows})${others}`;
}

/** Each entry's chance per pick in the city-wide draw, from intersectionWeights; null for equal chances. */
function cityWeights(pools: IntersectionPool[], o: NormalizedOptions): number[] | null {
  const weights = o.intersectionWeights;
  if (weights === null) return null;
  const missing = pools.filter((p) => p.entries.length > 0 && weights[p.intersectionCode] === undefined).map((p) => p.intersectionCode);
  if (missing.length > 0) {
    throw new CrosswatchError('ASSESSMENT_INVALID', `Invalid pre-assessment input:\n  /options/intersectionWeights: no weight for ${missing.join(', ')}`);
  }
  const usable = new Set(pools.filter((p) => p.entries.length > 0).map((p) => p.intersectionCode));
  const empty = Object.entries(weights).filter(([code, w]) => w > 0 && !usable.has(code));
  if (empty.length > 0) {
    const list = empty.map(([code, w]) => `${code} (weight ${w})`).join(', ');
    throw new CrosswatchError('ASSESSMENT_INSUFFICIENT', `Cannot pre-assess city-wide: ${list} would be drawn by the assessors but has no usable processed windows of ${o.windowMinutes} min`);
  }
  const total = [...usable].reduce((s, code) => s + weights[code]!, 0);
  if (!(total > 0)) throw new CrosswatchError('ASSESSMENT_INVALID', 'Invalid pre-assessment input:\n  /options/intersectionWeights: all weights of intersections with windows are 0');
  return pools.flatMap((p) => p.entries.map(() => weights[p.intersectionCode]! / total / p.entries.length));
}
