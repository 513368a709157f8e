// SQL of the rollup service (daily_rollups, monthly_ratings), built in one place as { text, values }.

export interface RatingSourceRow {
  intersection_id: string;
  category: string;
  through_day: string;
  days: number;
  windows: number;
  covered_seconds: number;
  exposures: number;
  violations: number;
}

export interface RatingRow extends RatingSourceRow {
  month: string;
  intersection_code: string;
  compliance_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  violations_per_hour: number | null;
}

export interface NewRating extends RatingSourceRow {
  compliance_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  violations_per_hour: number | null;
}

/** Serialises refreshes: two workers finishing runs at once would otherwise both delete and both insert the same days. */
const ROLLUP_LOCK_KEY = 0x6377_726f; // "cw" + "ro"

export const rollupSql = {
  lock: () => ({ text: 'SELECT pg_advisory_xact_lock($1)', values: [ROLLUP_LOCK_KEY] }),

  deleteDays: (first: string, last: string) => ({ text: `DELETE FROM daily_rollups WHERE day BETWEEN $1 AND $2`, values: [first, last] }),

  /**
   * Sums per local day, intersection and category over done windows. The UTC
   * range only lets the index help (zones are within a day of UTC); the local
   * date decides. Rejected violations are capped at the window's count, so
   * violations - rejected is what the API counts.
   */
  insertDays: (first: string, last: string) => ({
    text: `INSERT INTO daily_rollups (day, intersection_id, category, windows, covered_seconds, exposures, violations, rejected, unjudged)
           SELECT d.day, d.intersection_id, d.category, count(*), sum(d.covered), sum(d.exposures), sum(d.violations), sum(d.rejected), sum(d.unjudged)
             FROM (
               SELECT (w.starts_at AT TIME ZONE i.time_zone)::date AS day, i.id AS intersection_id, wc.category,
                      COALESCE(w.covered_seconds, extract(epoch FROM w.ends_at - w.starts_at)) AS covered,
                      wc.exposures, wc.violations, wc.unjudged,
                      LEAST(wc.violations, (SELECT count(*) FROM violations v
                                             WHERE v.window_id = w.id AND v.category = wc.category AND v.review_status = 'rejected')) AS rejected
                 FROM windows w
                 JOIN cameras c ON c.id = w.camera_id
                 JOIN intersections i ON i.id = c.intersection_id
                 JOIN window_counts wc ON wc.window_id = w.id
                WHERE w.status = 'done'
                  AND w.starts_at >= $1::date - 2 AND w.starts_at < $2::date + 3
                  AND (w.starts_at AT TIME ZONE i.time_zone)::date BETWEEN $1 AND $2
             ) d
            GROUP BY d.day, d.intersection_id, d.category`,
    values: [first, last],
  }),

  /** What a refresh wrote: intersection-days and windows (a window counts once, not once per category). */
  dayTotals: (first: string, last: string) => ({
    text: `SELECT count(*)::int AS intersection_days, COALESCE(sum(w), 0)::int AS windows
             FROM (SELECT day, intersection_id, max(windows) AS w FROM daily_rollups WHERE day BETWEEN $1 AND $2 GROUP BY day, intersection_id) d`,
    values: [first, last],
  }),

  /** Month-to-date sums per intersection and category, plus 'all' (every category together), after rejections. */
  ratingSource: (month: string) => ({
    text: `WITH m AS (
             SELECT intersection_id, category, day, windows, covered_seconds, exposures, violations - rejected AS violations
               FROM daily_rollups WHERE day >= $1::date AND day < ($1::date + interval '1 month')
           )
           SELECT intersection_id::text, category, to_char(max(day), 'YYYY-MM-DD') AS through_day, count(DISTINCT day)::int AS days,
                  sum(windows)::int AS windows, sum(covered_seconds)::float8 AS covered_seconds,
                  sum(exposures)::int AS exposures, sum(violations)::int AS violations
             FROM m GROUP BY intersection_id, category
           UNION ALL
           -- A done window has a row per category, so a day's windows and footage are any category's (max guards a missing one).
           SELECT intersection_id::text, 'all', to_char(max(day), 'YYYY-MM-DD'), count(*)::int,
                  sum(day_windows)::int, sum(day_covered)::float8, sum(day_exposures)::int, sum(day_violations)::int
             FROM (SELECT intersection_id, day, max(windows) AS day_windows, max(covered_seconds) AS day_covered,
                          sum(exposures) AS day_exposures, sum(violations) AS day_violations
                     FROM m GROUP BY intersection_id, day) d
            GROUP BY intersection_id`,
    values: [month],
  }),

  deleteMonth: (month: string) => ({ text: `DELETE FROM monthly_ratings WHERE month = $1`, values: [month] }),

  insertRatings: (month: string, rows: NewRating[]) => ({
    text: `INSERT INTO monthly_ratings (month, intersection_id, category, through_day, days, windows, covered_seconds, exposures, violations,
                                        compliance_rate, ci_low, ci_high, violations_per_hour)
           SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::date[], $5::int[], $6::int[], $7::float8[], $8::int[], $9::int[],
                                     $10::float8[], $11::float8[], $12::float8[], $13::float8[])`,
    values: [
      month,
      rows.map((r) => r.intersection_id),
      rows.map((r) => r.category),
      rows.map((r) => r.through_day),
      rows.map((r) => r.days),
      rows.map((r) => r.windows ?? 0),
      rows.map((r) => r.covered_seconds ?? 0),
      rows.map((r) => r.exposures),
      rows.map((r) => r.violations),
      rows.map((r) => r.compliance_rate),
      rows.map((r) => r.ci_low),
      rows.map((r) => r.ci_high),
      rows.map((r) => r.violations_per_hour),
    ],
  }),

  ratings: (month: string) => ({
    text: `SELECT to_char(r.month, 'YYYY-MM') AS month, r.intersection_id::text, i.code AS intersection_code, r.category,
                  to_char(r.through_day, 'YYYY-MM-DD') AS through_day, r.days, r.windows, r.covered_seconds, r.exposures, r.violations,
                  r.compliance_rate, r.ci_low, r.ci_high, r.violations_per_hour
             FROM monthly_ratings r JOIN intersections i ON i.id = r.intersection_id
            WHERE r.month = $1 ORDER BY i.code, r.category`,
    values: [month],
  }),
};
