// Access control. Every /api route declares the least role it needs in
// config.access (startup fails when one does not); the onRequest hook checks
// the presented key: 401 without a key or with an unknown, expired or revoked
// one, 403 when its role is below the route's. The key itself is never
// logged nor echoed: only its prefix, and only when it is valid.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashKey, looksLikeKey, roleAllows, type Access } from '../access.ts';
import { ApiError } from '../errors.ts';
import { keysSql, type KeyRow } from '../queries/keys.ts';
import { shared } from '../types.ts';

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header.trim() : undefined;
}

async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('routeTable', []);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    let access = route.config?.access;
    if (access === undefined) {
      if (route.url.startsWith('/api')) throw new Error(`route ${methods.join(',')} ${route.url} declares no access role (config.access)`);
      access = 'public';
      route.config = { ...route.config, access };
    }
    if (access !== 'public' && route.schema) {
      route.schema = {
        ...route.schema,
        security: [{ apiKey: [] }, { bearer: [] }],
        description: `${route.schema.description ?? ''}\n\nRequires role: **${access}** or above.`.trim(),
      };
    }
    for (const method of methods) app.routeTable.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request) => {
    const access: Access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const key = presentedKey(request);
    if (key === undefined) {
      throw new ApiError('UNAUTHORIZED', 'an API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    const row = looksLikeKey(key) ? await findKey(app, key) : undefined;
    if (!row) throw new ApiError('UNAUTHORIZED', 'the API key is not valid');
    if (row.revoked_at) throw new ApiError('UNAUTHORIZED', `the API key ${row.prefix}… was revoked`);
    if (!row.usable) throw new ApiError('UNAUTHORIZED', `the API key ${row.prefix}… has expired`);
    if (!roleAllows(row.role, access)) {
      throw new ApiError('FORBIDDEN', `this needs the ${access} role or above; the key ${row.prefix}… has the ${row.role} role`);
    }
    request.principal = { keyId: row.id, name: row.name, role: row.role };
    request.log = request.log.child({ key: row.prefix, role: row.role });
    // Best effort: a failed touch must not fail the request.
    app.deps.pool.query(keysSql.touch(row.id)).catch((err: unknown) => request.log.warn({ err }, 'could not record key use'));
  });
}

async function findKey(app: FastifyInstance, key: string): Promise<(KeyRow & { usable: boolean }) | undefined> {
  const { rows } = await app.deps.pool.query<KeyRow & { usable: boolean }>(keysSql.byHash(hashKey(key)));
  return rows[0];
}

export default shared(authPlugin, 'crosswatch-auth');
