// SQL of the simulate service (simulations, simulation_results), built in one place as { text, values }.

export interface ProcessedWindowRow {
  id: string;
  intersection_code: string;
  camera_code: string;
  starts_at: Date;
  ends_at: Date;
  covered_seconds: number;
  /** Category → violations counted (reviewer-rejected ones taken off). */
  violations: Record<string, number>;
}

export interface SimulationRow {
  id: string;
  month: string;
  params: Record<string, unknown>;
  windows_found: number;
  windows_used: number;
  results: unknown;
  created_at: Date;
}

export interface SimulationResultRow {
  simulation_id: string;
  target: string;
  windows_used: number;
  expected_score: number | null;
  score_p5: number | null;
  score_p95: number | null;
  pass_probability: number | null;
  refusal: string | null;
}

export const simulateSql = {
  /**
   * Done windows whose start falls in the local month of their intersection
   * (the UTC range only lets the index help). A violation a reviewer rejected
   * does not count, as in the API's figures.
   */
  processedWindows: (month: string, lo: Date, hi: Date) => ({
    text: `SELECT w.id::text, i.code AS intersection_code, c.code AS camera_code, w.starts_at, w.ends_at,
                  COALESCE(w.covered_seconds, extract(epoch FROM w.ends_at - w.starts_at))::float8 AS covered_seconds,
                  jsonb_object_agg(wc.category, GREATEST(wc.violations - (SELECT count(*) FROM violations v
                                     WHERE v.window_id = w.id AND v.category = wc.category AND v.review_status = 'rejected'), 0)) AS violations
             FROM windows w
             JOIN cameras c ON c.id = w.camera_id
             JOIN intersections i ON i.id = c.intersection_id
             JOIN window_counts wc ON wc.window_id = w.id
            WHERE w.status = 'done' AND w.starts_at >= $2 AND w.starts_at < $3
              AND to_char(w.starts_at AT TIME ZONE i.time_zone, 'YYYY-MM') = $1
            GROUP BY w.id, i.code, c.code
            ORDER BY w.id`,
    values: [month, lo, hi],
  }),

  insert: (s: { month: string; params: object; windowsFound: number; windowsUsed: number; results: unknown }) => ({
    text: `INSERT INTO simulations (month, params, windows_found, windows_used, results) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
    values: [`${s.month}-01`, JSON.stringify(s.params), s.windowsFound, s.windowsUsed, JSON.stringify(s.results)],
  }),

  insertResults: (simulationId: string, rows: Omit<SimulationResultRow, 'simulation_id'>[]) => ({
    text: `INSERT INTO simulation_results (simulation_id, target, windows_used, expected_score, score_p5, score_p95, pass_probability, refusal)
           SELECT $1, * FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::text[])`,
    values: [
      simulationId,
      rows.map((r) => r.target),
      rows.map((r) => r.windows_used),
      rows.map((r) => r.expected_score),
      rows.map((r) => r.score_p5),
      rows.map((r) => r.score_p95),
      rows.map((r) => r.pass_probability),
      rows.map((r) => r.refusal),
    ],
  }),

  get: (id: string) => ({
    text: `SELECT id::text, to_char(month, 'YYYY-MM') AS month, params, windows_found, windows_used, results, created_at FROM simulations WHERE id = $1`,
    values: [id],
  }),

  list: (month: string | null, limit: number) => ({
    text: `SELECT id::text, to_char(month, 'YYYY-MM') AS month, params, windows_found, windows_used, NULL::jsonb AS results, created_at
             FROM simulations WHERE ($1::date IS NULL OR month = $1::date) ORDER BY id DESC LIMIT $2`,
    values: [month === null ? null : `${month}-01`, limit],
  }),

  results: (ids: string[]) => ({
    text: `SELECT simulation_id::text, target, windows_used, expected_score, score_p5, score_p95, pass_probability, refusal
             FROM simulation_results WHERE simulation_id = ANY($1::bigint[]) ORDER BY simulation_id, target = 'city' DESC, target`,
    values: [ids],
  }),
};
