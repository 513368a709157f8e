// SQL for violations (rows owned by the window pipeline; the API writes only
// their review columns) and for review_audit (owned by the API).
import type { Cursor } from '../pagination.ts';

export interface ViolationFilter {
  category?: string | undefined;
  status?: string | undefined;
  intersection?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  order: 'asc' | 'desc';
}

export interface ViolationRow {
  id: string;
  window_id: string;
  intersection: string;
  intersection_name: string;
  time_zone: string;
  camera: string;
  category: string;
  track_id: number;
  road_user_class: string;
  zone_id: string;
  signal_id: string | null;
  t: Date;
  score: number;
  evidence_path: string | null;
  moments: unknown;
  review_status: 'pending' | 'confirmed' | 'rejected';
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
  cursor_key: string;
}

export interface AuditRow {
  id: string;
  violation_id: string;
  actor: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  at: Date;
}

const COLUMNS = `v.id::text, v.window_id::text, i.code AS intersection, i.name AS intersection_name, i.time_zone, c.code AS camera,
  v.category, v.track_id, v.road_user_class, v.zone_id, v.signal_id, v.t, v.score, v.evidence_path, v.moments,
  v.review_status, v.reviewed_at, v.reviewed_by, v.review_note,
  to_char(v.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_key`;
const FROM = `FROM violations v JOIN windows w ON w.id = v.window_id JOIN cameras c ON c.id = w.camera_id JOIN intersections i ON i.id = c.intersection_id`;
const AUDIT_COLUMNS = 'id::text, violation_id::text, actor, from_status, to_status, reason, at';

export const violationsSql = {
  /** Keyset-paged on (t, id); the review queue reads it oldest first. */
  list: (f: ViolationFilter, cursor: Cursor | undefined, limit: number) => {
    const [cmp, dir] = f.order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
    return {
      text: `SELECT ${COLUMNS} ${FROM}
              WHERE ($1::text IS NULL OR v.category = $1) AND ($2::text IS NULL OR v.review_status = $2) AND ($3::text IS NULL OR i.code = $3)
                AND ($4::timestamptz IS NULL OR v.t >= $4) AND ($5::timestamptz IS NULL OR v.t < $5)
                AND ($6::timestamptz IS NULL OR (v.t, v.id) ${cmp} ($6::timestamptz, $7::bigint))
              ORDER BY v.t ${dir}, v.id ${dir} LIMIT $8`,
      values: [f.category ?? null, f.status ?? null, f.intersection ?? null, f.from ?? null, f.to ?? null, cursor?.key ?? null, cursor?.id ?? null, limit],
    };
  },
  byId: (id: string) => ({ text: `SELECT ${COLUMNS} ${FROM} WHERE v.id = $1`, values: [id] }),
  lockForReview: (id: string) => ({
    text: `SELECT id::text, window_id::text, category, track_id, review_status FROM violations WHERE id = $1 FOR UPDATE`,
    values: [id],
  }),
  setReview: (p: { id: string; status: 'confirmed' | 'rejected'; actor: string; reason: string | null }) => ({
    text: `UPDATE violations SET review_status = $2, reviewed_at = now(), reviewed_by = $3, review_note = $4 WHERE id = $1`,
    values: [p.id, p.status, p.actor, p.reason],
  }),
  audit: (p: {
    violationId: string;
    windowId: string;
    category: string;
    trackId: number;
    keyId: string | null;
    actor: string;
    from: string;
    to: 'confirmed' | 'rejected';
    reason: string | null;
  }) => ({
    text: `INSERT INTO review_audit (violation_id, window_id, category, track_id, key_id, actor, from_status, to_status, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${AUDIT_COLUMNS}`,
    values: [p.violationId, p.windowId, p.category, p.trackId, p.keyId, p.actor, p.from, p.to, p.reason],
  }),
  auditOf: (violationId: string) => ({
    text: `SELECT ${AUDIT_COLUMNS} FROM review_audit WHERE violation_id = $1 ORDER BY at, id`,
    values: [violationId],
  }),
};
