// Liveness (/healthz: the process answers) and readiness (/readyz: the
// database answers and every migration in sql/ is applied). Readiness is 503
// with the failing check named, so a load balancer and a person both see why.
import type { FastifyInstance } from 'fastify';
import { loadMigrations } from '../../db/migrate.ts';
import { HealthResponse, ReadyResponse } from '../defs/health.ts';
import { healthSql } from '../queries/health.ts';
import { shared } from '../types.ts';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

async function healthPlugin(app: FastifyInstance): Promise<void> {
  const expected = loadMigrations().map((m) => m.version);
  const common = { config: { access: 'public' as const, rateLimit: false } };

  app.get('/healthz', { ...common, schema: { tags: ['health'], summary: 'Liveness', response: { 200: HealthResponse } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { ...common, schema: { tags: ['health'], summary: 'Readiness: database reachable, migrations applied', response: { 200: ReadyResponse, 503: ReadyResponse } } }, async (_request, reply) => {
    const checks = { database: 'ok', migrations: 'ok' };
    try {
      await withTimeout(app.deps.pool.query(healthSql.ping()), CHECK_TIMEOUT_MS);
      const { rows } = await withTimeout(app.deps.pool.query<{ version: number }>(healthSql.appliedVersions()), CHECK_TIMEOUT_MS);
      const applied = new Set(rows.map((r) => r.version));
      const missing = expected.filter((v) => !applied.has(v));
      if (missing.length > 0) checks.migrations = `not applied: ${missing.join(', ')}`;
    } catch (err) {
      // The cause goes to the log, not to an unauthenticated caller.
      app.log.warn({ err }, 'readiness: database check failed');
      checks.database = 'unreachable';
      checks.migrations = 'unknown';
    }
    const ready = checks.database === 'ok' && checks.migrations === 'ok';
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
}

export default shared(healthPlugin, 'crosswatch-health');
