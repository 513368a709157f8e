// OpenAPI 3 document at /docs/json and Swagger UI at /docs, its assets served
// from the npm package (no CDN: the machines have no internet).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { shared } from '../types.ts';

async function docsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Crosswatch API',
        version: '1',
        description:
          'Traffic compliance figures, ratings and evidence review. Every /api route needs an API key ' +
          '(`crosswatch keys create`), sent as `Authorization: Bearer <key>` or `X-API-Key`. Roles: viewer < reviewer < operator < admin. ' +
          'Errors: `{ error: { code, message, details? } }`. Rates count a violation unless a reviewer rejected it.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      tags: [
        { name: 'intersections' },
        { name: 'trends' },
        { name: 'ratings' },
        { name: 'windows' },
        { name: 'violations' },
        { name: 'review' },
        { name: 'sites' },
        { name: 'keys' },
        { name: 'health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', persistAuthorization: false } });
}

export default shared(docsPlugin, 'crosswatch-docs');
