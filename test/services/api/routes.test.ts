// Validation errors that name the field, pagination, evidence streaming and
// traversal refusals, readiness, the OpenAPI document and metrics.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../../services/api/app.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import { testServer } from '../../helpers/pg-cluster.ts';
import { exampleSites } from '../../helpers/sites.ts';
import { addSite, addWindow, apiFixture } from './helpers.ts';

const f = await apiFixture(t);
const X = await addSite(f.db, 'X1');
const get = (url: string) => f.app.inject({ url, headers: f.as('viewer') });

t.test('validation errors name the field', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['/api/trends/city?from=yesterday', '/query/from', /must be a date-time/],
    ['/api/trends/city?granularity=hour', '/query/granularity', /must be one of "day", "week", "month"/],
    // Ajv coerces these to numbers that pass `integer` and `minimum` (found by test/fuzz/api.test.ts).
    ['/api/windows?limit=-Infinity', '/query/limit', /must be a finite number/],
    ['/api/runs?limit=Infinity', '/query/limit', /must be a finite number/],
    ['/api/simulations?limit=-Infinity', '/query/limit', /must be a finite number/],
    ['/api/ratings?month=2024-13', '/query/month', /must be a month as YYYY-MM/],
    ['/api/windows?limit=0', '/query/limit', /must be >= 1/],
    ['/api/windows?limit=abc', '/query/limit', /must be integer/],
    ['/api/windows?colour=red', '/query/colour', /not a field/],
    ['/api/violations?category=speeding', '/query/category', /must be one of/],
    ['/api/windows/abc', '/params/id', /positive whole number/],
    ['/api/intersections/..%2Fetc/trends', '/params/code', /must be a code/],
    ['/api/windows?cursor=bm9wZQ', '/query/cursor', /not a cursor/],
    ['/api/trends/city?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z', '/query/from', /before to/],
  ];
  for (const [url, field, message] of cases) {
    const res = await get(url);
    t.equal(res.statusCode, 400, url);
    const body = res.json();
    t.equal(body.error.details[0].path, field, `${url} names ${field}`);
    t.match(body.error.message, message);
    t.match(body.error.message, new RegExp(`^${field.replace(/\//g, '\\/')}: `));
  }
  const body = await f.app.inject({ method: 'POST', url: '/api/violations/1/review', headers: f.as('reviewer'), payload: {} });
  t.equal(body.json().error.details[0].path, '/body/decision');
  const json = await f.app.inject({ method: 'POST', url: '/api/keys', headers: { ...f.as('admin'), 'content-type': 'application/json' }, payload: '{"name":' });
  t.equal(json.statusCode, 400);
  t.ok(json.json().error.message);
  const sites = exampleSites() as unknown as { intersections: { code: string }[] };
  sites.intersections[0]!.code = 'bad code!';
  const imp = await f.app.inject({ method: 'POST', url: '/api/sites/import', headers: f.as('operator'), payload: sites });
  t.equal(imp.statusCode, 400);
  t.match(imp.json().error.details[0].path, /^\/body\/intersections\/0\/code/);
});

t.test('pagination round trip over windows and violations', async (t) => {
  for (let i = 0; i < 7; i++) await addWindow(f.db, X.cameraId, new Date(Date.UTC(2024, 4, 1, 2, i * 10)).toISOString(), { red_light: [5, 1] });
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await get(`/api/windows?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    const body = res.json();
    seen.push(...body.items.map((w: { startsAt: string }) => w.startsAt));
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  t.equal(pages, 3);
  t.equal(seen.length, 7);
  t.same(seen, [...seen].sort().reverse(), 'newest first, no repeats');
  const asc: string[] = [];
  cursor = null;
  do {
    const body: { items: { id: string }[]; nextCursor: string | null } = (await get(`/api/violations?order=asc&limit=2&status=pending${cursor ? `&cursor=${cursor}` : ''}`)).json();
    asc.push(...body.items.map((v: { id: string }) => v.id));
    cursor = body.nextCursor;
  } while (cursor);
  t.equal(new Set(asc).size, 7);
  const filtered = (await get('/api/windows?intersection=X1&status=done&from=2024-05-01T02:25:00Z&to=2024-05-01T02:45:00Z')).json();
  t.equal(filtered.items.length, 2);
});

t.test('evidence: streamed with caching headers; paths that leave the folder are refused', async (t) => {
  const outside = mkdtempSync(path.join(tmpdir(), 'cw-outside-'));
  t.teardown(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(path.join(outside, 'secret.jpg'), 'SECRET');
  mkdirSync(path.join(f.config.evidenceDir, 'X1-cam', '2024-05-10'), { recursive: true });
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  writeFileSync(path.join(f.config.evidenceDir, 'X1-cam', '2024-05-10', 'w-0.jpg'), jpeg);
  symlinkSync(path.join(outside, 'secret.jpg'), path.join(f.config.evidenceDir, 'link.jpg'));
  symlinkSync(outside, path.join(f.config.evidenceDir, 'linkdir'));
  const paths = [
    'X1-cam/2024-05-10/w-0.jpg',
    '../' + path.basename(outside) + '/secret.jpg',
    'X1-cam/../../' + path.basename(outside) + '/secret.jpg',
    '..%2F' + path.basename(outside) + '%2Fsecret.jpg',
    path.join(outside, 'secret.jpg'),
    'link.jpg',
    'linkdir/secret.jpg',
    'X1-cam/2024-05-10/missing.jpg',
    'X1-cam/2024-05-10/w-0.jpg\0.txt',
  ];
  const { violationIds } = await addWindow(f.db, X.cameraId, '2024-05-10T02:00:00Z', { red_light: [20, paths.length] }, { evidence: (n) => paths[n]!.replace('\0', '') });
  await f.db.pool.query('UPDATE violations SET evidence_path = $2 WHERE id = $1', [violationIds[8], paths[8]!.replace('\0', '%00')]);
  const ok = await get(`/api/violations/${violationIds[0]}/evidence`);
  t.equal(ok.statusCode, 200);
  t.equal(ok.headers['content-type'], 'image/jpeg');
  t.same(ok.rawPayload, jpeg);
  t.match(ok.headers['cache-control'], /private, max-age=\d+/);
  t.ok(ok.headers['etag']);
  t.ok(ok.headers['last-modified']);
  const again = await f.app.inject({ url: `/api/violations/${violationIds[0]}/evidence`, headers: { ...f.as('viewer'), 'if-none-match': ok.headers['etag'] as string } });
  t.equal(again.statusCode, 304);
  for (let i = 1; i < paths.length; i++) {
    const res = await get(`/api/violations/${violationIds[i]}/evidence`);
    t.equal(res.statusCode, 404, `refused: ${JSON.stringify(paths[i])}`);
    t.equal(res.json().error.code, 'EVIDENCE_UNAVAILABLE');
    t.notOk(res.body.includes('SECRET'));
  }
  for (const url of [`/api/violations/..%2F..%2Fetc%2Fpasswd/evidence`, `/api/violations/${violationIds[0]}/evidence/../../../etc/passwd`, '/api/violations/%2e%2e/evidence']) {
    const res = await get(url);
    t.ok([400, 404].includes(res.statusCode), `${url} → ${res.statusCode}`);
    t.notOk(res.body.includes('root:'));
  }
});

t.test('readyz: 503 naming the check when migrations are missing or the database is gone', async (t) => {
  t.same((await f.app.inject({ url: '/readyz' })).json(), { ready: true, checks: { database: 'ok', migrations: 'ok' } });
  const db = await testDatabase(t);
  const app = await buildApp({ pool: db.pool, config: f.config, log: testLog });
  t.teardown(() => app.close());
  await db.pool.query('DELETE FROM schema_migrations WHERE version = 3');
  const partial = await app.inject({ url: '/readyz' });
  t.equal(partial.statusCode, 503);
  t.equal(partial.json().checks.migrations, 'not applied: 3');
  const admin = new pg.Client({ connectionString: (await testServer())('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE ${admin.escapeIdentifier(db.name)} WITH (FORCE)`);
  await admin.end();
  const gone = await app.inject({ url: '/readyz' });
  t.equal(gone.statusCode, 503);
  t.same(gone.json(), { ready: false, checks: { database: 'unreachable', migrations: 'unknown' } });
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'liveness does not depend on the database');
  const down = await app.inject({ url: '/api/me', headers: f.as('viewer') });
  t.equal(down.statusCode, 503, 'requests during an outage get 503, not 500');
  t.equal(down.json().error.code, 'UNAVAILABLE');
});

t.test('OpenAPI document: 3.x, every /api route, security on protected ones', async (t) => {
  const doc = (await f.app.inject({ url: '/docs/json' })).json();
  t.match(doc.openapi, /^3\./);
  const routes = f.app.routeTable.filter((r) => r.url.startsWith('/api'));
  for (const r of routes) {
    const p = r.url.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[p]?.[r.method.toLowerCase()];
    t.ok(op, `${r.method} ${p} documented`);
    t.same(op?.security, [{ apiKey: [] }, { bearer: [] }]);
    t.match(op?.description ?? '', new RegExp(`Requires role: \\*\\*${r.access}\\*\\*`));
  }
  t.ok(doc.paths['/readyz']);
  t.ok(doc.components.securitySchemes.apiKey);
  const ui = await f.app.inject({ url: '/docs/' });
  t.equal(ui.statusCode, 200);
  t.notMatch(ui.body, /https?:\/\/(cdn|unpkg|jsdelivr)/, 'no CDN');
  const asset = ui.body.match(/src="\.\/(static\/[^"]+\.js)"/)?.[1];
  t.ok(asset, 'the page loads its own assets');
  t.equal((await f.app.inject({ url: `/docs/${asset}` })).statusCode, 200);
});

t.test('metrics: request counts by route pattern, latency histogram, gauges', async (t) => {
  await get('/api/windows/1');
  const text = (await f.app.inject({ url: '/metrics' })).body;
  t.match(text, /http_requests_total\{method="GET",route="\/api\/windows\/:id",status="200"\} \d+/);
  t.match(text, /http_request_duration_seconds_bucket\{method="GET",route="\/api\/windows\/:id",le="0.05"\} \d+/);
  t.match(text, /crosswatch_windows\{status="done"\} \d+/);
  t.match(text, /crosswatch_api_keys_active\{role="admin"\} 1/);
});
