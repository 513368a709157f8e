// Aggregates behind trends and ratings. One rule everywhere (documented in
// the README's API section): a window counts once it is done; a violation
// counts unless a reviewer rejected it (pending and confirmed both count), so
// counted = window_counts.violations - rejected violation rows of that window
// and category. Exposures never change with review: a road user whose
// violation was rejected still faced red and complied.

export interface BucketRow {
  bucket: string;
  exposures: number;
  violations: number;
  covered_seconds: number;
  windows: number;
}

export interface IntersectionAggregate {
  id: string;
  code: string;
  name: string;
  district: string | null;
  responsible_unit: string | null;
  exposures: number;
  violations: number;
  covered_seconds: number;
  windows: number;
}

/**
 * Reads the figures tables (sql/005_figures.sql): sums per intersection and
 * local day, month and city day, kept exact by triggers. Call
 * `SELECT figures_refresh()` first so days changed since are recomputed.
 * Trends cover whole local days: from the day `from` falls on to the day
 * just before `to` (so `to` at midnight excludes that day, `to` = now
 * includes today).
 */
export const statsSql = {
  refresh: () => ({ text: 'SELECT figures_refresh() AS days', values: [] }),

  /** One intersection's buckets on its own local calendar (weeks start on Monday). */
  intersectionTrend: (p: { granularity: 'day' | 'week' | 'month'; from: string; to: string; category: string | null; intersectionId: string }) => ({
    text: `SELECT to_char(date_trunc($1, f.day), 'YYYY-MM-DD') AS bucket, sum(f.exposures)::float8 AS exposures, sum(f.violations)::float8 AS violations,
                  sum(f.covered_seconds)::float8 AS covered_seconds, sum(f.windows)::float8 AS windows
             FROM intersections i
             JOIN figures_day f ON f.intersection_id = i.id AND f.category = COALESCE($4, 'all')
                               AND f.day >= ($2::timestamptz AT TIME ZONE i.time_zone)::date
                               AND f.day <= (($3::timestamptz - interval '1 millisecond') AT TIME ZONE i.time_zone)::date
            WHERE i.id = $5
            GROUP BY 1 ORDER BY 1`,
    values: [p.granularity, p.from, p.to, p.category, p.intersectionId],
  }),

  /** Every intersection's local days added together; the range read in the city's zone. */
  cityTrend: (p: { granularity: 'day' | 'week' | 'month'; from: string; to: string; category: string | null; timeZone: string }) => ({
    text: `SELECT to_char(date_trunc($1, f.day), 'YYYY-MM-DD') AS bucket, sum(f.exposures)::float8 AS exposures, sum(f.violations)::float8 AS violations,
                  sum(f.covered_seconds)::float8 AS covered_seconds, sum(f.windows)::float8 AS windows
             FROM figures_city_day f
            WHERE f.category = COALESCE($4, 'all')
              AND f.day >= ($2::timestamptz AT TIME ZONE $5)::date
              AND f.day <= (($3::timestamptz - interval '1 millisecond') AT TIME ZONE $5)::date
            GROUP BY 1 ORDER BY 1`,
    values: [p.granularity, p.from, p.to, p.category, p.timeZone],
  }),

  /** Every intersection's figures for one local month (empty months included, as zeros). */
  month: (p: { month: string; category: string | null }) => ({
    text: `SELECT i.id::text, i.code, i.name, i.district, i.responsible_unit,
                  COALESCE(f.exposures, 0)::float8 AS exposures, COALESCE(f.violations, 0)::float8 AS violations,
                  COALESCE(f.covered_seconds, 0)::float8 AS covered_seconds, COALESCE(f.windows, 0)::float8 AS windows
             FROM intersections i
             LEFT JOIN figures_month f ON f.intersection_id = i.id AND f.month = ($1 || '-01')::date AND f.category = COALESCE($2, 'all')
            ORDER BY i.code`,
    values: [p.month, p.category],
  }),
};
