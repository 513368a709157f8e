// Daily rollups and month-to-date ratings. Both are derived tables: a
// refresh replaces the rows of its days (or month) from the windows, so it
// can run any number of times, after every run, and give the same rows.
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { complianceRate } from '../../pipelines/stats/rates.ts';
import { addDays, formatDate, parseDate, parseMonth, toEpochDay } from '../../pipelines/time/calendar.ts';
import { rollupSql, type NewRating, type RatingRow, type RatingSourceRow } from './queries.ts';
import { withTransaction } from '../db/pool.ts';

export interface RollupResult {
  from: string;
  to: string;
  /** Intersection-days with at least one done window. */
  intersectionDays: number;
  /** Done windows summed in. */
  windows: number;
  /** Months whose ratings were refreshed ('YYYY-MM'). */
  months: string[];
}

/** Most days one refresh covers: a typo must not rewrite years of rollups in one transaction. */
const MAX_DAYS = 400;

/** Rollups of local days from..to (both included), then the ratings of every month they touch. */
export async function refreshRollups(pool: pg.Pool, range: { from: string; to: string }): Promise<RollupResult> {
  const first = parseDate(range.from);
  const last = parseDate(range.to);
  if (!first || !last) throw new CrosswatchError('USAGE', `rollup days must be dates 'YYYY-MM-DD', got ${JSON.stringify(range)}`);
  const days = toEpochDay(last) - toEpochDay(first) + 1;
  if (days < 1 || days > MAX_DAYS) throw new CrosswatchError('USAGE', `rollup range ${range.from} – ${range.to} is ${days} days; expected 1..${MAX_DAYS}`);
  const totals = await inTransaction(pool, async (client) => {
    await client.query(rollupSql.lock());
    await client.query(rollupSql.deleteDays(range.from, range.to));
    await client.query(rollupSql.insertDays(range.from, range.to));
    return (await client.query<{ intersection_days: number; windows: number }>(rollupSql.dayTotals(range.from, range.to))).rows[0]!;
  });
  const months = monthsBetween(range.from, range.to);
  for (const m of months) await refreshRatings(pool, m);
  return { from: range.from, to: range.to, intersectionDays: totals.intersection_days, windows: totals.windows, months };
}

/** Ratings of one month ('YYYY-MM') from its daily rollups: compliance rate with its Wilson interval and sample size. */
export async function refreshRatings(pool: pg.Pool, month: string): Promise<RatingRow[]> {
  if (!parseMonth(month)) throw new CrosswatchError('USAGE', `a month is 'YYYY-MM', got ${JSON.stringify(month)}`);
  const firstDay = `${month}-01`;
  await inTransaction(pool, async (client) => {
    await client.query(rollupSql.lock());
    const source = (await client.query<RatingSourceRow>(rollupSql.ratingSource(firstDay))).rows;
    await client.query(rollupSql.deleteMonth(firstDay));
    if (source.length > 0) await client.query(rollupSql.insertRatings(firstDay, source.map(withRate)));
  });
  return monthRatings(pool, month);
}

export async function monthRatings(pool: pg.Pool, month: string): Promise<RatingRow[]> {
  return (await pool.query<RatingRow>(rollupSql.ratings(`${month}-01`))).rows;
}

function withRate(r: RatingSourceRow): NewRating {
  const rate = complianceRate(r.exposures, r.violations, r.covered_seconds);
  return { ...r, compliance_rate: rate.rate, ci_low: rate.interval?.low ?? null, ci_high: rate.interval?.high ?? null, violations_per_hour: rate.violationsPerHour };
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let d = parseDate(`${from.slice(0, 7)}-01`)!;
  const end = to.slice(0, 7);
  while (formatDate(d).slice(0, 7) <= end) {
    out.push(formatDate(d).slice(0, 7));
    d = addDays(parseMonth(formatDate(d).slice(0, 7))!.last, 1);
  }
  return out;
}

// One helper for every transaction (services/db/pool.ts): it survives a connection lost mid-transaction.
const inTransaction = withTransaction;
