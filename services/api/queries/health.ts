// SQL for readiness and the gauges /metrics reports.
export const healthSql = {
  ping: () => ({ text: 'SELECT 1 AS ok', values: [] }),
  appliedVersions: () => ({ text: 'SELECT version FROM schema_migrations ORDER BY version', values: [] }),
  windowsByStatus: () => ({ text: 'SELECT status, count(*)::float8 AS n FROM windows GROUP BY status', values: [] }),
  violationsByReview: () => ({ text: 'SELECT review_status AS status, count(*)::float8 AS n FROM violations GROUP BY review_status', values: [] }),
  activeKeys: () => ({
    text: `SELECT role AS status, count(*)::float8 AS n FROM api_keys
            WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) GROUP BY role`,
    values: [],
  }),
};
