// SQL for reading windows and their counts (owned by the window pipeline; read-only here).
import type { Cursor } from '../pagination.ts';

export interface WindowFilter {
  camera?: string | undefined;
  intersection?: string | undefined;
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface WindowRow {
  id: string;
  run_id: string | null;
  camera: string;
  intersection: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  reason: string | null;
  model_version: string | null;
  rules_version: string | null;
  covered_seconds: number | null;
  attempts: number;
  processed_at: Date | null;
  cursor_key: string;
}

const COLUMNS = `w.id::text, w.run_id::text, c.code AS camera, i.code AS intersection, w.starts_at, w.ends_at, w.status, w.reason,
  w.model_version, w.rules_version, w.covered_seconds, w.attempts, w.processed_at,
  to_char(w.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_key`;
const FROM = `FROM windows w JOIN cameras c ON c.id = w.camera_id JOIN intersections i ON i.id = c.intersection_id`;

export const windowsSql = {
  /** Newest first, keyset-paged on (starts_at, id). */
  list: (f: WindowFilter, cursor: Cursor | undefined, limit: number) => ({
    text: `SELECT ${COLUMNS} ${FROM}
            WHERE ($1::text IS NULL OR c.code = $1) AND ($2::text IS NULL OR i.code = $2) AND ($3::text IS NULL OR w.status = $3)
              AND ($4::timestamptz IS NULL OR w.starts_at >= $4) AND ($5::timestamptz IS NULL OR w.starts_at < $5)
              AND ($6::timestamptz IS NULL OR (w.starts_at, w.id) < ($6::timestamptz, $7::bigint))
            ORDER BY w.starts_at DESC, w.id DESC LIMIT $8`,
    values: [f.camera ?? null, f.intersection ?? null, f.status ?? null, f.from ?? null, f.to ?? null, cursor?.key ?? null, cursor?.id ?? null, limit],
  }),
  byId: (id: string) => ({ text: `SELECT ${COLUMNS} ${FROM} WHERE w.id = $1`, values: [id] }),
  /** Counts per category with the rejected violations the rates subtract. */
  counts: (id: string) => ({
    text: `SELECT wc.category, wc.exposures, wc.violations,
                  (SELECT count(*)::int FROM violations v WHERE v.window_id = wc.window_id AND v.category = wc.category AND v.review_status = 'rejected') AS rejected
             FROM window_counts wc WHERE wc.window_id = $1 ORDER BY wc.category`,
    values: [id],
  }),
};
