// Who am I (any key), key management (admin) and sites import (operator).
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { validateSites } from '../../../pipelines/sites/validate.ts';
import { importSites } from '../../sites/import.ts';
import { errorResponses } from '../defs/common.ts';
import { KeyCreateBody, KeyCreated, KeyItem, KeyList, KeyParams, MeResponse, SitesBody, SitesImported } from '../defs/admin.ts';
import { notFound, validationError } from '../errors.ts';
import { createKey, listKeys, revokeKey } from '../keys.ts';

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;

  app.get('/me', {
    config: { access: 'viewer' },
    schema: { tags: ['keys'], summary: 'The presented key: its name and role', response: { 200: MeResponse, ...errorResponses(401) } },
  }, async (request) => ({ name: request.principal!.name, role: request.principal!.role }));

  app.get('/keys', {
    config: { access: 'admin' },
    schema: { tags: ['keys'], summary: 'API keys (never the keys themselves)', response: { 200: KeyList, ...errorResponses(401, 403) } },
  }, async () => ({ items: await listKeys(pool) }));

  app.post<{ Body: Static<typeof KeyCreateBody> }>('/keys', {
    config: { access: 'admin' },
    schema: { tags: ['keys'], summary: 'Create a key; the reply is the only time it is shown', body: KeyCreateBody, response: { 201: KeyCreated, ...errorResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const created = await createKey(pool, request.body);
    request.log.info({ keyPrefix: created.prefix, role: created.role }, 'API key created');
    return reply.code(201).send(created);
  });

  app.delete<{ Params: Static<typeof KeyParams> }>('/keys/:id', {
    config: { access: 'admin' },
    schema: { tags: ['keys'], summary: 'Revoke a key (effective at once)', params: KeyParams, response: { 200: KeyItem, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const [revoked] = await revokeKey(pool, request.params.id);
    if (!revoked) throw notFound(`key ${request.params.id}`);
    return revoked;
  });

  app.post<{ Body: unknown }>('/sites/import', {
    config: { access: 'operator' },
    bodyLimit: 8 * 1024 * 1024,
    schema: { tags: ['sites'], summary: 'Validate and import a sites file (intersections, cameras, calibration); re-importing updates', body: SitesBody, response: { 200: SitesImported, ...errorResponses(400, 401, 403, 413, 415) } },
  }, async (request) => {
    const result = validateSites(request.body);
    if (!result.ok) {
      const details = result.issues.map((i) => ({ path: `/body${i.path}`, message: i.message }));
      throw validationError(details);
    }
    return importSites(pool, result.sites, config.defaultTimeZone);
  });
}
