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
 * Trends take whole local days (figures.ts turns the range into them).
 */
export const statsSql = {
  /** Recomputes what changed; returns the figures' version (a bigint, as text). */
  refresh: () => ({ text: 'SELECT figures_refresh() AS version', values: [] }),

  /** One intersection's buckets on its own local calendar (weeks start on Monday). */
  intersectionTrend: (p: { granularity: 'day' | 'week' | 'month'; firstDay: string; lastDay: string; category: string | null; intersectionId: string }) => ({
    text: `SELECT to_char(date_trunc($1, f.day), 'YYYY-MM-DD') AS bucket, sum(f.exposures)::float8 AS exposures, sum(f.violations)::float8 AS violations,
                  sum(f.covered_seconds)::float8 AS covered_seconds, sum(f.windows)::float8 AS windows
             FROM figures_day f
            WHERE f.intersection_id = $5 AND f.category = COALESCE($4, 'all') AND f.day BETWEEN $2::date AND $3::date
            GROUP BY 1 ORDER BY 1`,
    values: [p.granularity, p.firstDay, p.lastDay, p.category, p.intersectionId],
  }),

  /** Every intersection's local days added together. */
  cityTrend: (p: { granularity: 'day' | 'week' | 'month'; firstDay: string; lastDay: string; category: string | null }) => ({
    text: `SELECT to_char(date_trunc($1, f.day), 'YYYY-MM-DD') AS bucket, sum(f.exposures)::float8 AS exposures, sum(f.violations)::float8 AS violations,
                  sum(f.covered_seconds)::float8 AS covered_seconds, sum(f.windows)::float8 AS windows
             FROM figures_city_day f
            WHERE f.category = COALESCE($4, 'all') AND f.day BETWEEN $2::date AND $3::date
            GROUP BY 1 ORDER BY 1`,
    values: [p.granularity, p.firstDay, p.lastDay, p.category],
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
