// Hostile input against every route of the API, listed from the app's own
// route table (a route added later is fuzzed without editing this file):
// malformed, oversized, wrongly typed and unicode-laden path parameters,
// query strings, bodies, content types and keys, through app.inject. Then
// every SQL injection and path traversal attempt against every path and
// query parameter. Zero 5xx, zero unhandled rejections, every 4xx in the
// error format with a message that names the problem, and the database
// intact afterwards.
import t from 'tap';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { addSite, addWindow, apiFixture } from '../services/api/helpers.ts';
import { hostileJson, hostileString, PATH_TRAVERSALS, SQL_INJECTIONS } from './payloads.ts';

const RUNS = Number(process.env['CROSSWATCH_FUZZ_RUNS'] ?? 3000);
const f = await apiFixture(t);
const { cameraId } = await addSite(f.db, 'X1', { unit: 'U1' });
const w = await addWindow(f.db, cameraId, '2024-05-10T02:00:00Z', { red_light: [40, 3] }, { evidence: (n) => PATH_TRAVERSALS[n] ?? null });

let unhandled = 0;
const onUnhandled = (err: unknown) => {
  unhandled++;
  t.comment(`unhandled rejection: ${String(err)}`);
};
process.on('unhandledRejection', onUnhandled);
t.teardown(() => void process.off('unhandledRejection', onUnhandled));

const routes = f.app.routeTable.filter((r) => r.method !== 'OPTIONS');
const spec = JSON.parse((await f.app.inject({ url: '/docs/json' })).body) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
/** Query parameter names a route documents (OpenAPI), so the fuzzer hits real ones as well as unknown ones. */
function queryNames(method: string, url: string): string[] {
  const p = spec.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  return (p?.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name);
}

const stats = { requests: 0, byStatus: {} as Record<number, number>, fiveXX: [] as string[], unnamed: [] as string[] };

async function send(opts: InjectOptions, label: string): Promise<void> {
  const res = await f.app.inject(opts);
  stats.requests++;
  stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
  if (res.statusCode >= 500) stats.fiveXX.push(`${label} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  else if (res.statusCode >= 400) {
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = (res.json() as { error?: { code?: unknown; message?: unknown } }).error;
    } catch {
      error = undefined;
    }
    // The one error format ({ error: { code, message } }), a message that says something, and the security headers.
    const named = typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string' && error.message.trim().length >= 5;
    if (!named || res.headers['x-content-type-options'] !== 'nosniff') stats.unnamed.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  // A fuzzed DELETE /api/keys/:id may revoke the fixture's own keys: undo it, so later requests still reach the handlers.
  if (opts.method === 'DELETE') await f.db.pool.query('UPDATE api_keys SET revoked_at = NULL');
}

const roleHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constant(f.as('admin')) },
  { weight: 1, arbitrary: fc.constantFrom(f.as('viewer'), f.as('reviewer'), f.as('operator'), {}) },
  { weight: 1, arbitrary: hostileString.map((k) => ({ authorization: `Bearer ${k.replace(/[\r\n]/g, '')}` })) },
  { weight: 1, arbitrary: hostileString.map((k) => ({ 'x-api-key': k.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '') || 'x' })) },
);

/** Percent-encodes a path segment; a lone surrogate goes as raw invalid UTF-8 bytes, as a hostile client could send. */
function segment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function fill(url: string, params: string[]): string {
  let i = 0;
  return url.replace(/:(\w+)/g, () => segment(params[i++] ?? ''));
}

const request = fc.record({
  route: fc.constantFrom(...routes),
  params: fc.array(fc.oneof(hostileString, fc.constantFrom(w.windowId, w.violationIds[0]!, 'X1', '1')), { minLength: 3, maxLength: 3 }),
  query: fc.array(fc.tuple(fc.oneof(fc.constant(''), hostileString), hostileString), { maxLength: 4 }),
  useKnownQuery: fc.boolean(),
  body: fc.option(hostileJson, { nil: undefined }),
  rawBody: fc.option(fc.oneof(hostileString, fc.constant('{"unterminated": '), fc.constant('x'.repeat(1_100_000))), { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''),
  headers: roleHeaders,
});

t.test(`${RUNS} fuzzed requests over ${routes.length} routes: no 5xx, every 4xx names the problem`, async (t) => {
  const t0 = Date.now();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const names = queryNames(r.route.method, r.route.url);
      const query = new URLSearchParams();
      for (const [k, v] of r.query) query.append(r.useKnownQuery && names.length > 0 ? names[Math.abs(k.length) % names.length]! : k, v);
      const qs = query.toString();
      const url = fill(r.route.url, r.params) + (qs ? `?${qs}` : '');
      const hasBody = r.route.method === 'POST' || r.route.method === 'PUT' || r.route.method === 'DELETE';
      const opts: InjectOptions = { method: r.route.method as InjectOptions['method'], url, headers: { ...r.headers } };
      if (hasBody && (r.body !== undefined || r.rawBody !== undefined)) {
        opts.payload = r.rawBody ?? JSON.stringify(r.body);
        if (r.contentType) (opts.headers as Record<string, string>)['content-type'] = r.contentType;
      }
      await send(opts, `${r.route.method} ${url.slice(0, 200)}`);
    }),
    { numRuns: RUNS, seed: Number(process.env['CROSSWATCH_FUZZ_SEED'] ?? Date.now() % 2 ** 31), verbose: 1 },
  );
  t.comment(`fuzz: ${stats.requests} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s; statuses ${JSON.stringify(stats.byStatus)}`);
  t.same(stats.fiveXX, [], 'no 5xx');
  t.same(stats.unnamed, [], 'every 4xx carries a message naming the problem');
});

t.test('SQL injection and path traversal against every path and query parameter', async (t) => {
  const before = await tableCounts();
  const start = stats.requests;
  for (const route of routes) {
    const params = (route.url.match(/:(\w+)/g) ?? []).length;
    const names = queryNames(route.method, route.url);
    for (const payload of [...SQL_INJECTIONS, ...PATH_TRAVERSALS]) {
      const headers = f.as('admin');
      for (let i = 0; i < params; i++) {
        const values = Array.from({ length: params }, (_, j) => (j === i ? payload : 'X1'));
        await send({ method: route.method as InjectOptions['method'], url: fill(route.url, values), headers }, `${route.method} ${route.url} param ${i} = ${payload}`);
      }
      for (const name of names) {
        await send({ method: route.method as InjectOptions['method'], url: `${fill(route.url, ['X1', 'X1'])}?${new URLSearchParams({ [name]: payload })}`, headers }, `${route.method} ${route.url} ?${name}=${payload}`);
      }
    }
  }
  const slow = Date.now();
  await send({ url: `/api/intersections/${encodeURIComponent("X1' AND pg_sleep(3) IS NULL --")}`, headers: f.as('viewer') }, 'pg_sleep probe');
  t.ok(Date.now() - slow < 2500, 'an injected pg_sleep does not run');
  // Evidence rows whose stored paths try to leave the evidence folder: never served.
  for (const id of w.violationIds) {
    const res = await f.app.inject({ url: `/api/violations/${id}/evidence`, headers: f.as('viewer') });
    t.equal(res.statusCode, 404, `evidence path ${JSON.stringify(PATH_TRAVERSALS[w.violationIds.indexOf(id)])} refused`);
    t.notMatch(res.body, /root:|\[fonts\]/);
  }
  t.comment(`injection and traversal: ${stats.requests - start} requests`);
  t.same(stats.fiveXX, [], 'no 5xx');
  t.same(stats.unnamed, []);
  const after = await tableCounts();
  t.same({ ...after, api_keys: before.api_keys }, before, 'no table dropped, emptied or grown by an injection (api_keys may grow through POST /api/keys)');
});

t.test('totals', async (t) => {
  t.ok(stats.requests >= 1000, `${stats.requests} requests in all`);
  t.equal(stats.fiveXX.length, 0, '0 responses with a 5xx status');
  t.equal(unhandled, 0, 'no unhandled rejection');
  t.comment(`FUZZ TOTAL requests=${stats.requests} 5xx=${stats.fiveXX.length} unhandled=${unhandled}`);
});

async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['intersections', 'cameras', 'windows', 'window_counts', 'violations', 'api_keys']) {
    out[table] = (await f.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  }
  return out;
}
