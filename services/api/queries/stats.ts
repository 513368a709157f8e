// Aggregates behind trends and ratings. One rule everywhere (documented in
// the README's API section): a window counts once it is done; a violation
// counts unless a reviewer rejected it (pending and confirmed both count), so
// counted = window_counts.violations - rejected violation rows of that window
// and category. Exposures never change with review: a road user whose
// violation was rejected still faced red and complied.

/** Per done window: its local bucket, covered seconds and (filtered) counts. */
const perWindow = (bucketExpr: string, where: string) => `
  rejected AS (
    SELECT window_id, category, count(*) AS n FROM violations WHERE review_status = 'rejected' GROUP BY window_id, category
  ),
  per_window AS (
    SELECT w.id, i.id AS intersection_id, ${bucketExpr} AS bucket,
           COALESCE(w.covered_seconds, extract(epoch FROM w.ends_at - w.starts_at)) AS covered,
           sum(wc.exposures) AS exposures,
           sum(GREATEST(wc.violations - COALESCE(r.n, 0), 0)) AS violations
      FROM windows w
      JOIN cameras c ON c.id = w.camera_id
      JOIN intersections i ON i.id = c.intersection_id
      JOIN window_counts wc ON wc.window_id = w.id
      LEFT JOIN rejected r ON r.window_id = w.id AND r.category = wc.category
     WHERE w.status = 'done' AND ${where}
     GROUP BY w.id, i.id, bucket, covered
  )`;

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

export const statsSql = {
  /** Buckets on each site's local calendar (date_trunc on local wall time). */
  trend: (p: { granularity: 'day' | 'week' | 'month'; from: string; to: string; category: string | null; intersectionId: string | null }) => ({
    text: `WITH ${perWindow(
      `date_trunc($1, w.starts_at AT TIME ZONE i.time_zone)`,
      `w.starts_at >= $2 AND w.starts_at < $3 AND ($4::text IS NULL OR wc.category = $4) AND ($5::bigint IS NULL OR i.id = $5)`,
    )}
    SELECT to_char(bucket, 'YYYY-MM-DD') AS bucket, sum(exposures)::float8 AS exposures, sum(violations)::float8 AS violations,
           sum(covered)::float8 AS covered_seconds, count(*)::float8 AS windows
      FROM per_window GROUP BY bucket ORDER BY bucket`,
    values: [p.granularity, p.from, p.to, p.category, p.intersectionId],
  }),
  /**
   * Every intersection's figures for one local month (empty months included,
   * as zeros). The UTC range around the month only lets the index help; the
   * local month test decides.
   */
  month: (p: { month: string; lo: string; hi: string; category: string | null }) => ({
    text: `WITH ${perWindow(
      `to_char(w.starts_at AT TIME ZONE i.time_zone, 'YYYY-MM')`,
      `w.starts_at >= $2 AND w.starts_at < $3 AND to_char(w.starts_at AT TIME ZONE i.time_zone, 'YYYY-MM') = $1 AND ($4::text IS NULL OR wc.category = $4)`,
    )}
    SELECT i.id::text, i.code, i.name, i.district, i.responsible_unit,
           COALESCE(sum(pw.exposures), 0)::float8 AS exposures, COALESCE(sum(pw.violations), 0)::float8 AS violations,
           COALESCE(sum(pw.covered), 0)::float8 AS covered_seconds, count(pw.id)::float8 AS windows
      FROM intersections i LEFT JOIN per_window pw ON pw.intersection_id = i.id
     GROUP BY i.id ORDER BY i.code`,
    values: [p.month, p.lo, p.hi, p.category],
  }),
};
