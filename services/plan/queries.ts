// SQL of the plan service (plans, plan_windows), built in one place as { text, values }.

export interface CoverageRow {
  camera_code: string;
  intersection_code: string;
  time_zone: string;
  starts_at: Date;
  ends_at: Date;
}

export interface ExcludedCameraRow {
  camera_code: string;
  why: 'not in the sites' | 'not calibrated';
}

export interface PlanRow {
  id: string;
  kind: 'assessment' | 'nightly';
  params: Record<string, unknown>;
  seed: string;
  period_from: string;
  period_to: string;
  window_minutes: number;
  window_count: number;
  description: unknown;
  coverage_digest: string;
  nightly_date: string | null;
  created_at: Date;
}

export interface PlanWindowRow {
  seq: number;
  camera_code: string;
  intersection_code: string;
  starts_at: Date;
  ends_at: Date;
  stratum: string;
}

export interface NewPlan {
  kind: 'assessment' | 'nightly';
  params: object;
  seed: string;
  periodFrom: string;
  periodTo: string;
  windowMinutes: number;
  description: unknown;
  coverageDigest: string;
  nightlyDate: string | null;
  windows: { cameraCode: string; intersectionCode: string; from: number; to: number; stratum: string }[];
}

const PLAN_COLUMNS = `id::text, kind, params, seed, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
  window_minutes, window_count, description, coverage_digest, to_char(nightly_date, 'YYYY-MM-DD') AS nightly_date, created_at`;

export const planSql = {
  /**
   * Readable footage of calibrated cameras overlapping [lo, hi): only those
   * can be judged, so only those may be drawn.
   */
  coverage: (lo: Date, hi: Date) => ({
    text: `SELECT f.camera_code, i.code AS intersection_code, i.time_zone, f.starts_at, f.ends_at
             FROM footage_segments f
             JOIN cameras c ON c.code = f.camera_code
             JOIN intersections i ON i.id = c.intersection_id
            WHERE f.status = 'ok' AND c.calibration IS NOT NULL AND f.starts_at < $2 AND f.ends_at > $1
            ORDER BY f.camera_code, f.starts_at`,
    values: [lo, hi],
  }),

  /** Cameras with footage in [lo, hi) that a plan leaves out, and why. */
  excluded: (lo: Date, hi: Date) => ({
    text: `SELECT DISTINCT f.camera_code,
                  CASE WHEN c.id IS NULL THEN 'not in the sites' ELSE 'not calibrated' END AS why
             FROM footage_segments f
             LEFT JOIN cameras c ON c.code = f.camera_code
            WHERE f.status = 'ok' AND f.starts_at < $2 AND f.ends_at > $1 AND (c.id IS NULL OR c.calibration IS NULL)
            ORDER BY f.camera_code`,
    values: [lo, hi],
  }),

  insertPlan: (p: NewPlan) => ({
    text: `INSERT INTO plans (kind, params, seed, period_from, period_to, window_minutes, window_count, description, coverage_digest, nightly_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING id::text`,
    values: [p.kind, JSON.stringify(p.params), p.seed, p.periodFrom, p.periodTo, p.windowMinutes, p.windows.length, JSON.stringify(p.description), p.coverageDigest, p.nightlyDate],
  }),

  insertWindows: (planId: string, windows: NewPlan['windows']) => ({
    text: `INSERT INTO plan_windows (plan_id, seq, camera_code, intersection_code, starts_at, ends_at, stratum)
           SELECT $1, seq - 1, cam, ix, f, t, st
             FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[]) WITH ORDINALITY AS x(cam, ix, f, t, st, seq)`,
    values: [
      planId,
      windows.map((w) => w.cameraCode),
      windows.map((w) => w.intersectionCode),
      windows.map((w) => new Date(w.from)),
      windows.map((w) => new Date(w.to)),
      windows.map((w) => w.stratum),
    ],
  }),

  get: (id: string) => ({ text: `SELECT ${PLAN_COLUMNS} FROM plans WHERE id = $1`, values: [id] }),

  nightly: (date: string) => ({ text: `SELECT ${PLAN_COLUMNS} FROM plans WHERE nightly_date = $1`, values: [date] }),

  windows: (planId: string) => ({
    text: `SELECT seq, camera_code, intersection_code, starts_at, ends_at, stratum FROM plan_windows WHERE plan_id = $1 ORDER BY seq`,
    values: [planId],
  }),

  list: (limit: number) => ({ text: `SELECT ${PLAN_COLUMNS} FROM plans ORDER BY id DESC LIMIT $1`, values: [limit] }),
};
