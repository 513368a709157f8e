// SQL of the window service, built in one place as { text, values }.
import type { Category, Violation, WindowCounts } from '../../pipelines/types.ts';

export interface CameraRow {
  camera_id: string;
  code: string;
  width: number;
  height: number;
  calibration: unknown;
  time_zone: string;
  intersection_code: string;
}

export const windowSql = {
  camera: (code: string) => ({
    text: `SELECT c.id AS camera_id, c.code, c.width, c.height, c.calibration, i.time_zone, i.code AS intersection_code
             FROM cameras c JOIN intersections i ON i.id = c.intersection_id WHERE c.code = $1`,
    values: [code],
  }),

  /** Claims the window for processing: creates it, or marks an existing one running again. */
  start: (cameraId: string, from: Date, to: Date, runId: string | null) => ({
    text: `INSERT INTO windows (camera_id, starts_at, ends_at, run_id, status, attempts, updated_at)
           VALUES ($1, $2, $3, $4, 'running', 1, now())
           ON CONFLICT (camera_id, starts_at, ends_at) DO UPDATE
             SET status = 'running', reason = NULL, attempts = windows.attempts + 1, updated_at = now(),
                 run_id = COALESCE(EXCLUDED.run_id, windows.run_id)
           RETURNING id, attempts`,
    values: [cameraId, from, to, runId],
  }),

  /** Only while this attempt still owns the window: a later attempt's outcome is never overwritten. */
  fail: (windowId: string, attempt: number, reason: string) => ({
    text: `UPDATE windows SET status = 'failed', reason = $2, updated_at = now() WHERE id = $1 AND attempts = $3`,
    values: [windowId, reason, attempt],
  }),

  /**
   * The fencing check at commit: locks the window row and returns its attempt
   * number. An attempt that is no longer the latest (its job expired and was
   * retried while it still ran) must not commit.
   */
  lockAttempt: (windowId: string) => ({ text: `SELECT attempts FROM windows WHERE id = $1 FOR UPDATE`, values: [windowId] }),

  evidencePaths: (windowId: string) => ({
    text: `SELECT evidence_path FROM violations WHERE window_id = $1 AND evidence_path IS NOT NULL`,
    values: [windowId],
  }),

  done: (
    windowId: string,
    w: { modelVersion: string; rulesVersion: string; coveredSeconds: number; framesAnalysed: number; reason: string | null; decodeReport: unknown; durationMs: number },
  ) => ({
    text: `UPDATE windows SET status = 'done', reason = $2, model_version = $3, rules_version = $4, covered_seconds = $5,
                  frames_analysed = $6, decode_report = $7, duration_ms = $8, processed_at = now(), updated_at = now()
            WHERE id = $1`,
    values: [windowId, w.reason, w.modelVersion, w.rulesVersion, w.coveredSeconds, w.framesAnalysed, JSON.stringify(w.decodeReport), w.durationMs],
  }),

  clearCounts: (windowId: string) => ({ text: `DELETE FROM window_counts WHERE window_id = $1`, values: [windowId] }),

  insertCounts: (windowId: string, counts: WindowCounts, unjudged: Record<Category, number>) => {
    const cats = Object.keys(counts) as Category[];
    return {
      text: `INSERT INTO window_counts (window_id, category, exposures, violations, unjudged)
             SELECT $1, c, e, v, u FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS x(c, e, v, u)`,
      values: [windowId, cats, cats.map((c) => counts[c].exposures), cats.map((c) => counts[c].violations), cats.map((c) => unjudged[c])],
    };
  },

  /**
   * Same window, same versions, same footage → same road users and track ids:
   * an upsert keeps a reviewer's decision on a violation found again.
   */
  upsertViolation: (windowId: string, v: Violation, evidencePath: string | null) => ({
    text: `INSERT INTO violations (window_id, category, track_id, road_user_class, zone_id, signal_id, t, score, evidence_path, moments)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (window_id, category, track_id) DO UPDATE
             SET road_user_class = EXCLUDED.road_user_class, zone_id = EXCLUDED.zone_id, signal_id = EXCLUDED.signal_id,
                 t = EXCLUDED.t, score = EXCLUDED.score, evidence_path = EXCLUDED.evidence_path, moments = EXCLUDED.moments
           RETURNING id`,
    values: [windowId, v.category, v.trackId, v.roadUserClass, v.zoneId, v.signalId ?? null, new Date(v.t), v.score, evidencePath, JSON.stringify(v.moments)],
  }),

  /** Violations of an earlier pass not found this time; reviewed ones are kept (a person ruled on them). */
  dropStale: (windowId: string, keepIds: string[]) => ({
    text: `DELETE FROM violations WHERE window_id = $1 AND review_status = 'pending' AND NOT (id = ANY($2::bigint[]))`,
    values: [windowId, keepIds],
  }),

  counts: (windowId: string) => ({
    text: `SELECT category, exposures, violations, unjudged FROM window_counts WHERE window_id = $1 ORDER BY category`,
    values: [windowId],
  }),
};
