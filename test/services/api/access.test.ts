// The role table: every /api route × no key, viewer, reviewer, operator,
// admin → the expected status. Routes declare their role; this table states
// it again from the outside, and fails when a route is missing from it.
import t from 'tap';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from '../../../services/api/app.ts';
import { createKey, revokeKey } from '../../../services/api/keys.ts';
import type { Role } from '../../../services/api/access.ts';
import { LOG_REDACT } from '../../../services/log.ts';
import { exampleSites } from '../../helpers/sites.ts';
import { addSite, addWindow, apiFixture } from './helpers.ts';

const f = await apiFixture(t, {}, { queue: true });
const { cameraId } = await addSite(f.db, 'X1', { unit: 'U1' });
const w = await addWindow(f.db, cameraId, '2024-05-10T02:00:00Z', { red_light: [40, 2] });
const spare = await createKey(f.db.pool, { name: 'to revoke', role: 'viewer' });

type Who = Role | 'none';
const WHO: Who[] = ['none', 'viewer', 'reviewer', 'operator', 'admin'];
const LEVEL: Record<Who, number> = { none: -1, viewer: 0, reviewer: 1, operator: 2, admin: 3 };

/** route → [least role, status when allowed, request]. */
const TABLE: Record<string, [Role, number, { url: string; payload?: unknown }]> = {
  'GET /api/intersections': ['viewer', 200, { url: '/api/intersections' }],
  'GET /api/intersections/:code': ['viewer', 200, { url: '/api/intersections/X1' }],
  'GET /api/intersections/:code/trends': ['viewer', 200, { url: '/api/intersections/X1/trends' }],
  'GET /api/trends/city': ['viewer', 200, { url: '/api/trends/city' }],
  'GET /api/ratings': ['viewer', 200, { url: '/api/ratings?month=2024-05' }],
  'GET /api/windows': ['viewer', 200, { url: '/api/windows' }],
  'GET /api/windows/:id': ['viewer', 200, { url: `/api/windows/${w.windowId}` }],
  'GET /api/violations': ['viewer', 200, { url: '/api/violations' }],
  'GET /api/violations/:id': ['viewer', 200, { url: `/api/violations/${w.violationIds[0]}` }],
  // No evidence file for this violation: allowed, and then 404.
  'GET /api/violations/:id/evidence': ['viewer', 404, { url: `/api/violations/${w.violationIds[0]}/evidence` }],
  'POST /api/violations/:id/review': ['reviewer', 200, { url: `/api/violations/${w.violationIds[0]}/review`, payload: { decision: 'confirm' } }],
  'GET /api/me': ['viewer', 200, { url: '/api/me' }],
  'GET /api/keys': ['admin', 200, { url: '/api/keys' }],
  'POST /api/keys': ['admin', 201, { url: '/api/keys', payload: { name: 'made by admin', role: 'viewer' } }],
  'DELETE /api/keys/:id': ['admin', 200, { url: `/api/keys/${spare.id}` }],
  'POST /api/sites/import': ['operator', 200, { url: '/api/sites/import', payload: exampleSites() }],
  // No catalogued footage: allowed, and then refused with the numbers.
  'POST /api/runs': ['operator', 409, { url: '/api/runs', payload: { month: '2024-05', windows: 1 } }],
  'GET /api/runs': ['viewer', 200, { url: '/api/runs' }],
  'GET /api/runs/:id': ['viewer', 404, { url: '/api/runs/999' }],
  // Before the reads below: they find the simulation made here.
  'POST /api/simulations': ['operator', 201, { url: '/api/simulations', payload: { month: '2024-05', windows: 1, minutes: 10, draws: 100, minWindows: 1 } }],
  'GET /api/simulations': ['viewer', 200, { url: '/api/simulations' }],
  'GET /api/simulations/latest': ['viewer', 200, { url: '/api/simulations/latest' }],
  'GET /api/simulations/:id': ['viewer', 200, { url: '/api/simulations/1' }],
};

t.test('every /api route is in the table', async (t) => {
  const routes = f.app.routeTable.filter((r) => r.url.startsWith('/api')).map((r) => `${r.method} ${r.url}`);
  t.same([...new Set(routes)].sort(), Object.keys(TABLE).sort());
  for (const r of f.app.routeTable.filter((r) => r.url.startsWith('/api'))) t.equal(r.access, TABLE[`${r.method} ${r.url}`]![0], `${r.method} ${r.url} declares ${r.access}`);
});

for (const [route, [need, ok, req]] of Object.entries(TABLE)) {
  t.test(route, async (t) => {
    for (const who of WHO) {
      const expected = who === 'none' ? 401 : LEVEL[who] >= LEVEL[need] ? ok : 403;
      const res = await f.app.inject({ method: route.split(' ')[0] as 'GET', url: req.url, headers: f.as(who), ...(req.payload ? { payload: req.payload as object } : {}) });
      t.equal(res.statusCode, expected, `${who} → ${expected}`);
      if (expected === 401 || expected === 403) t.equal(res.json().error.code, expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    }
  });
}

t.test('public routes need no key', async (t) => {
  for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json', '/', '/js/app.js']) t.equal((await f.app.inject({ url })).statusCode, 200, url);
});

t.test('bad, revoked and expired keys are 401; X-API-Key works too', async (t) => {
  const bad = await f.app.inject({ url: '/api/me', headers: { authorization: 'Bearer cw_' + 'A'.repeat(43) } });
  t.equal(bad.statusCode, 401);
  t.match(bad.json().error.message, /not valid/);
  t.equal((await f.app.inject({ url: '/api/me', headers: { authorization: 'Bearer nonsense' } })).statusCode, 401);
  t.equal((await f.app.inject({ url: '/api/me', headers: { 'x-api-key': f.keys.viewer } })).statusCode, 200);
  const k = await createKey(f.db.pool, { name: 'short-lived', role: 'admin' });
  t.equal((await f.app.inject({ url: '/api/me', headers: { 'x-api-key': k.key } })).statusCode, 200);
  await revokeKey(f.db.pool, k.prefix);
  const revoked = await f.app.inject({ url: '/api/me', headers: { 'x-api-key': k.key } });
  t.equal(revoked.statusCode, 401);
  t.match(revoked.json().error.message, /revoked/);
  const e = await createKey(f.db.pool, { name: 'expired', role: 'admin', expiresDays: 1 });
  await f.db.pool.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [e.id]);
  const expired = await f.app.inject({ url: '/api/me', headers: { 'x-api-key': e.key } });
  t.equal(expired.statusCode, 401);
  t.match(expired.json().error.message, /expired/);
});

t.test('keys are stored hashed and listed without the key', async (t) => {
  const { rows } = await f.db.pool.query<{ key_hash: string; prefix: string }>('SELECT key_hash, prefix FROM api_keys');
  for (const r of rows) t.match(r.key_hash, /^[0-9a-f]{64}$/);
  const list = await f.app.inject({ url: '/api/keys', headers: f.as('admin') });
  for (const key of Object.values(f.keys)) t.notOk(list.body.includes(key), 'a key never appears in the list');
});

t.test('security headers', async (t) => {
  const res = await f.app.inject({ url: '/api/me', headers: f.as('viewer') });
  t.match(res.headers['content-security-policy'], /default-src 'self'/);
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  t.ok(res.headers['x-ratelimit-limit'], 'rate limit headers');
});

t.test('keys never reach the log', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const log = pino({ level: 'trace', redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' } }, sink);
  const app = await buildApp({ pool: f.db.pool, config: f.config, log });
  t.teardown(() => app.close());
  await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${f.keys.admin}` } });
  await app.inject({ url: '/api/keys', headers: { 'x-api-key': f.keys.viewer } });
  await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${f.keys.admin.slice(0, -1)}x` } });
  const created = await app.inject({ method: 'POST', url: '/api/keys', headers: f.as('admin'), payload: { name: 'n', role: 'viewer' } });
  const text = lines.join('');
  t.ok(lines.length > 5, 'requests were logged');
  for (const key of [...Object.values(f.keys), created.json().key as string, f.keys.admin.slice(0, -1)]) t.notOk(text.includes(key.slice(3)), 'no key in the log');
});

t.test('rate limit answers 429 in the error format', async (t) => {
  const f2 = await apiFixture(t, { apiRateLimit: 3 });
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) codes.push((await f2.app.inject({ url: '/api/me', headers: f2.as('viewer') })).statusCode);
  t.same(codes, [200, 200, 200, 429, 429]);
  const res = await f2.app.inject({ url: '/api/me', headers: f2.as('viewer') });
  t.equal(res.json().error.code, 'RATE_LIMITED');
  t.equal((await f2.app.inject({ url: '/api/me', headers: f2.as('admin') })).statusCode, 200, 'limits are per key');
  t.equal((await f2.app.inject({ url: '/healthz' })).statusCode, 200, 'health is exempt');
});

// Issue 9 (hardening): what the table above does not already say.

t.test('a key revoked through the API stops working at once', async (t) => {
  const made = await f.app.inject({ method: 'POST', url: '/api/keys', headers: f.as('admin'), payload: { name: 'revoke me', role: 'operator' } });
  t.equal(made.statusCode, 201);
  const { id, key } = made.json() as { id: string; key: string };
  t.equal((await f.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${key}` } })).statusCode, 200);
  t.equal((await f.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: f.as('admin') })).statusCode, 200);
  const after = await f.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${key}` } });
  t.equal(after.statusCode, 401);
  t.match(after.json().error.message, /revoked/);
  t.notOk(after.body.includes(key), 'the refusal does not echo the key');
});

t.test('a key made with an expiry through the API works until then, and not after', async (t) => {
  const made = await f.app.inject({ method: 'POST', url: '/api/keys', headers: f.as('admin'), payload: { name: 'expiring', role: 'viewer', expiresDays: 2 } });
  const k = made.json() as { id: string; key: string; expiresAt: string };
  const days = (Date.parse(k.expiresAt) - Date.now()) / 86_400_000;
  t.ok(days > 1.99 && days <= 2, `expires in 2 days (${days.toFixed(3)})`);
  t.equal((await f.app.inject({ url: '/api/me', headers: { 'x-api-key': k.key } })).statusCode, 200);
  await f.db.pool.query(`UPDATE api_keys SET expires_at = now() - interval '1 ms' WHERE id = $1`, [k.id]);
  const res = await f.app.inject({ url: '/api/me', headers: { 'x-api-key': k.key } });
  t.equal(res.statusCode, 401);
  t.match(res.json().error.message, /expired/);
  t.equal((await f.app.inject({ method: 'POST', url: '/api/keys', headers: f.as('admin'), payload: { name: 'forever?', role: 'viewer', expiresDays: 0 } })).statusCode, 400, 'an expiry of 0 days is refused');
});

t.test('the project logger redacts secrets in request logs and in any logged object', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  // The logger's own redaction list (services/log.ts), with request headers serialised in full.
  const log = pino({ level: 'trace', redact: LOG_REDACT, serializers: { req: (req: { method: string; url: string; headers: unknown }) => ({ method: req.method, url: req.url, headers: req.headers }) } }, sink);
  const app = await buildApp({ pool: f.db.pool, config: f.config, log });
  t.teardown(() => app.close());
  await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${f.keys.admin}`, 'x-api-key': f.keys.viewer, cookie: 'session=SECRET-COOKIE' } });
  await app.inject({ url: '/api/nowhere', headers: { 'x-api-key': f.keys.operator } });
  log.info({ databaseUrl: 'postgres://u:SECRET-PW@h/db', config: { databaseUrl: 'postgres://u:SECRET-PW@h/db', password: 'SECRET-PW' }, apiKey: f.keys.reviewer }, 'settings');
  const text = lines.join('');
  t.ok(lines.length >= 3);
  for (const secret of [...Object.values(f.keys).map((k) => k.slice(3)), 'SECRET-PW', 'SECRET-COOKIE']) t.notOk(text.includes(secret), `${secret.slice(0, 8)}… never logged`);
  t.match(text, /\[redacted\]/, 'redacted in place');
});

t.test('security headers on every kind of answer', async (t) => {
  const answers = {
    'api 200': await f.app.inject({ url: '/api/me', headers: f.as('viewer') }),
    'api 401': await f.app.inject({ url: '/api/me' }),
    'api 404': await f.app.inject({ url: '/api/nowhere', headers: f.as('viewer') }),
    'api 400': await f.app.inject({ url: '/api/windows?limit=-1', headers: f.as('viewer') }),
    dashboard: await f.app.inject({ url: '/' }),
    health: await f.app.inject({ url: '/healthz' }),
  };
  for (const [what, res] of Object.entries(answers)) {
    t.match(res.headers['content-security-policy'], /default-src 'self'.*frame-ancestors 'none'/, `${what}: CSP`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${what}: frame options`);
    t.ok(res.headers['referrer-policy'], `${what}: referrer policy`);
    t.equal(res.headers['x-powered-by'], undefined, `${what}: no x-powered-by`);
  }
});
