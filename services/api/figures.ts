// Trends and monthly ratings from the aggregate queries: rates through
// pipelines/stats (Wilson interval, sample size), bands and flags through
// rating.ts. Handlers call these and only shape the reply.
import type pg from 'pg';
import { complianceRate, type ComplianceRate } from '../../pipelines/stats/rates.ts';
import { localDateAt, wallTimeAt } from '../../pipelines/time/zone.ts';
import { validationError } from './errors.ts';
import { statsSql, type BucketRow, type IntersectionAggregate } from './queries/stats.ts';
import { BANDS, BLACK_RATE, PASS_RATE, rank, type RatingRules } from './rating.ts';

const DAY_MS = 86_400_000;
const DEFAULT_SPAN_DAYS = { day: 30, week: 26 * 7, month: 365 };
/** Buckets one reply may hold: enough for three years by day. */
const MAX_BUCKETS = 1100;

export type Granularity = keyof typeof DEFAULT_SPAN_DAYS;

export function rateOf(r: { exposures: number; violations: number; covered_seconds: number }): ComplianceRate {
  return complianceRate(r.exposures, r.violations, r.covered_seconds);
}

export interface TrendParams {
  granularity: Granularity;
  category: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** null: the city. */
  intersectionId: string | null;
  /** The zone whose local days the range is read in: the intersection's, or the city's. */
  timeZone: string;
}

/**
 * Figures change only when figures_refresh() recomputes something, and then
 * its version moves: replies computed at a version are reused until then.
 * One cache per pool (per database), bounded; a ranking of 200 intersections
 * costs milliseconds to rank and shape, a cached one nothing.
 */
class FiguresCache {
  private readonly entries = new Map<string, { version: string; value: unknown }>();
  constructor(private readonly max = 2000) {}

  async get<T>(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = await compute();
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    return value;
  }
}
const caches = new WeakMap<pg.Pool, FiguresCache>();
const cacheOf = (pool: pg.Pool) => caches.get(pool) ?? caches.set(pool, new FiguresCache()).get(pool)!;

/** Recomputes the figure days changed since the last read (sql/005_figures.sql); cheap when none did. Returns the figures' version. */
export async function refreshFigures(pool: pg.Pool): Promise<string> {
  return String((await pool.query<{ version: string }>(statsSql.refresh())).rows[0]!.version);
}

export async function trend(pool: pg.Pool, p: TrendParams) {
  const to = p.to ? Date.parse(p.to) : Date.now();
  const from = p.from ? Date.parse(p.from) : to - DEFAULT_SPAN_DAYS[p.granularity] * DAY_MS;
  if (from >= to) throw invalid('/query/from', 'must be before to');
  const days = (to - from) / DAY_MS;
  const perBucket = p.granularity === 'day' ? 1 : p.granularity === 'week' ? 7 : 28;
  if (days / perBucket > MAX_BUCKETS) throw invalid('/query/from', `the range holds more than ${MAX_BUCKETS} ${p.granularity}s; narrow it or use a coarser granularity`);
  // Whole local days: the day `from` falls on through the day before `to`.
  const q = { granularity: p.granularity, firstDay: localDateAt(p.timeZone, from), lastDay: localDateAt(p.timeZone, to - 1), category: p.category ?? null };
  const version = await refreshFigures(pool);
  const key = `trend\u0000${p.intersectionId ?? 'city'}\u0000${q.granularity}\u0000${q.category ?? ''}\u0000${q.firstDay}\u0000${q.lastDay}`;
  const figures = await cacheOf(pool).get(key, version, async () => {
    const { rows } = await pool.query<BucketRow>(p.intersectionId === null ? statsSql.cityTrend(q) : statsSql.intersectionTrend({ ...q, intersectionId: p.intersectionId }));
    const sum = (k: keyof Omit<BucketRow, 'bucket'>) => rows.reduce((s, r) => s + r[k], 0);
    const total = { exposures: sum('exposures'), violations: sum('violations'), covered_seconds: sum('covered_seconds') };
    return {
      buckets: rows.map((r) => ({ bucket: r.bucket, windows: r.windows, ...rateOf(r) })),
      total: { windows: sum('windows'), ...rateOf(total) },
    };
  });
  return { granularity: p.granularity, category: p.category ?? null, from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...figures };
}

/** The current month on the wall clock of `timeZone`, as YYYY-MM. */
export function currentMonth(timeZone: string, now = Date.now()): string {
  const w = wallTimeAt(timeZone, now);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}

export type RankBy = 'intersection' | 'unit';

export async function monthRatings(pool: pg.Pool, rules: RatingRules, month: string, by: RankBy, category: string | undefined) {
  const version = await refreshFigures(pool);
  const key = `ratings\u0000${month}\u0000${by}\u0000${category ?? ''}\u0000${rules.minExposures}\u0000${rules.flagCount}`;
  return cacheOf(pool).get(key, version, () => rateMonth(pool, rules, month, by, category));
}

async function rateMonth(pool: pg.Pool, rules: RatingRules, month: string, by: RankBy, category: string | undefined) {
  const { rows } = await pool.query<IntersectionAggregate>(statsSql.month({ month, category: category ?? null }));
  const entries = by === 'intersection' ? rows.map(intersectionEntry) : unitEntries(rows);
  return {
    month,
    by,
    category: category ?? null,
    rules: { bands: BANDS.map((b) => ({ ...b })), minExposures: rules.minExposures, flagCount: rules.flagCount, passRate: PASS_RATE, blackRate: BLACK_RATE, text: RULES_TEXT },
    items: rank(entries, rules).map((r) => ({
      rank: r.rank,
      ...r.item,
      band: r.band,
      redFlag: r.redFlag,
      blackFlag: r.blackFlag,
      compliance: r.rate,
    })),
  };
}

const RULES_TEXT =
  'Band by compliance rate: A ≥ 98%, B ≥ 95%, C ≥ 90% (pass), D ≥ 80%, E < 80%; unrated below the minimum exposures. ' +
  'Rank by rate (ties: higher interval lower bound, more exposures). Red flag: best k ranks and at least C. ' +
  'Black flag: worst k ranks, or below 80%. k is at most half the rated entries. ' +
  'Violations count unless a reviewer rejected them.';

function intersectionEntry(r: IntersectionAggregate) {
  return {
    key: r.code,
    rate: rateOf(r),
    item: { key: r.code, name: r.name, responsibleUnit: r.responsible_unit, intersections: 1, windows: r.windows, id: r.id },
  };
}

const NO_UNIT = '(unassigned)';

function unitEntries(rows: IntersectionAggregate[]) {
  const units = new Map<string, { n: number; exposures: number; violations: number; covered_seconds: number; windows: number }>();
  for (const r of rows) {
    const key = r.responsible_unit ?? NO_UNIT;
    const u = units.get(key) ?? { n: 0, exposures: 0, violations: 0, covered_seconds: 0, windows: 0 };
    u.n++;
    u.exposures += r.exposures;
    u.violations += r.violations;
    u.covered_seconds += r.covered_seconds;
    u.windows += r.windows;
    units.set(key, u);
  }
  return [...units].map(([key, u]) => ({
    key,
    rate: rateOf(u),
    item: { key, name: key, responsibleUnit: key === NO_UNIT ? null : key, intersections: u.n, windows: u.windows, id: null as string | null },
  }));
}

const invalid = (path: string, message: string) => validationError([{ path, message }]);
