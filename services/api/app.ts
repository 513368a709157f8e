// The API as a Fastify instance, testable without listening:
//   const app = await buildApp({ pool, config, log }); await app.inject(...)
// One plugin per concern, in the order their hooks must run: errors, then
// security (headers, rate limit), access control (its onRoute hook must see
// every route), metrics, docs (which must
// see every route), health, the job queue (opened on first use), the /api
// resources, the dashboard.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import dashboardPlugin from '../dashboard/plugin.ts';
import { CUSTOM_FORMATS } from './defs/common.ts';
import { ApiError } from './errors.ts';
import authPlugin from './plugins/auth.ts';
import docsPlugin from './plugins/docs.ts';
import errorsPlugin from './plugins/errors.ts';
import healthPlugin from './plugins/health.ts';
import metricsPlugin from './plugins/metrics.ts';
import queuePlugin from './plugins/queue.ts';
import securityPlugin from './plugins/security.ts';
import { apiRoutes } from './routes/index.ts';
import type { AppDeps } from './types.ts';

export type { AppDeps } from './types.ts';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'api' }),
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a malformed percent-encoding, a path
    // parameter over 100 characters) skip the error handler and the hooks:
    // without this they answer in Fastify's format, without security
    // headers (found by test/fuzz/api.test.ts).
    frameworkErrors: (err, _request, reply) => {
      const path = String((err as { message?: string }).message ?? '').slice(0, 120);
      const api =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new ApiError('URI_TOO_LONG', 'a path parameter is longer than 100 characters')
          : new ApiError('BAD_REQUEST', `the URL is not valid (malformed percent-encoding or characters): ${path}`);
      void (reply as unknown as FastifyReply)
        .code(api.statusCode)
        .headers({ 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' })
        .type('application/json; charset=utf-8')
        .send(api.toBody());
    },
    // Requests carry keys in headers only; the request log has method, url and
    // address (Fastify's serializer), never headers, and pino redacts them anyway.
    ajv: {
      customOptions: {
        // Unknown fields are an error that names them, not silently dropped.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        formats: CUSTOM_FORMATS,
      },
    },
  });
  app.decorate('deps', deps);
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(authPlugin);
  await app.register(metricsPlugin);
  await app.register(docsPlugin);
  await app.register(healthPlugin);
  await app.register(queuePlugin);
  await app.register(async (api) => {
    for (const routes of apiRoutes) await api.register(routes);
  }, { prefix: '/api' });
  await app.register(dashboardPlugin);
  await app.ready();
  return app as unknown as FastifyInstance;
}
