// `npm run bench:api`: the API under the load a city's dashboards and other
// systems put on it. Fills its own embedded database (under
// <dataDir>/bench-api, reused by later runs) with a year of window results
// for 200 intersections, starts `crosswatch serve` as its own process, and
// drives the trend and ranking routes with autocannon at a fixed rate.
// Prints latency percentiles per route mix and writes them to --json FILE.
//
//   npm run bench:api -- [--rate 500] [--duration 20] [--connections 32]
//                        [--intersections 200] [--days 365] [--windows-per-day 4]
//                        [--fresh] [--json FILE]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createKey } from '../services/api/keys.ts';
import { loadConfig, type Config } from '../services/config.ts';
import { withDatabase } from '../services/db/index.ts';
import { log } from '../services/log.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    intersections: { type: 'string', default: '200' },
    days: { type: 'string', default: '365' },
    'windows-per-day': { type: 'string', default: '4' },
    fresh: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const num = (name: keyof typeof values, min: number, max: number): number => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`--${name} expects a whole number in [${min}, ${max}], got ${JSON.stringify(values[name])}`);
  return v;
};
const opts = {
  rate: num('rate', 1, 100_000),
  duration: num('duration', 1, 3600),
  connections: num('connections', 1, 1000),
  intersections: num('intersections', 1, 5000),
  days: num('days', 1, 3 * 366),
  perDay: num('windows-per-day', 1, 96),
};

const out = (s = '') => process.stdout.write(s + '\n');
const base = loadConfig();
const dataDir = path.join(base.dataDir, 'bench-api');
// Its own embedded database, whatever DATABASE_URL says: the bench must never write into real data.
const config: Config = loadConfig({}, { ...withoutUrl(base), dataDir, pgDataDir: path.join(dataDir, 'postgres'), evidenceDir: path.join(dataDir, 'evidence') });

function withoutUrl(c: Config): Partial<Config> {
  const { databaseUrl: _url, dataDir: _d, pgDataDir: _p, evidenceDir: _e, ...rest } = c;
  return rest;
}

interface Filled {
  intersections: number;
  windows: number;
  counts: number;
  violations: number;
  rejected: number;
  seconds: number;
}

/**
 * 200 intersections (20 responsible units), one camera each; per day
 * `perDay` done 10-minute windows between 07:00 and 20:00 Shanghai time for a
 * year up to today, counts in every category with a spread of compliance,
 * and a violation row per 50th window (a third of them rejected) so the
 * review rule's subtraction is exercised. Reused when the shape matches.
 */
async function fill(): Promise<Filled> {
  const shape = `${opts.intersections} intersections, ${opts.days} days, ${opts.perDay} windows a day`;
  const marker = path.join(dataDir, 'filled.json');
  const previous = await readFile(marker, 'utf8').then((t) => (JSON.parse(t) as { shape: string }).shape, () => null);
  const reuse = !values.fresh && previous === shape;
  // The folder is the bench's alone: refilling starts from an empty cluster
  // (review_audit refuses TRUNCATE and DELETE, by design).
  if (!reuse) await rm(dataDir, { recursive: true, force: true });
  const started = Date.now();
  return withDatabase(config, log, async ({ pool }) => {
    if (!reuse) {
      out(`Filling ${shape} (once; later runs reuse it)…`);
      await pool.query(
        `INSERT INTO intersections (code, name, district, responsible_unit, time_zone)
         SELECT format('BX-%s', lpad(i::text, 4, '0')), format('Bench junction %s', i), format('District %s', i % 8), format('Unit %s', i % 20), 'Asia/Shanghai'
           FROM generate_series(1, $1::int) i`,
        [opts.intersections],
      );
      await pool.query(`INSERT INTO cameras (code, intersection_id, name, width, height, calibration) SELECT code || '-C1', id, 'main', 1280, 720, '{"approaches":[]}' FROM intersections`);
      // Windows spread over 07:00–20:00 local: k-th of the day starts at 07:00 + k × (13 h / perDay).
      await pool.query(
        `INSERT INTO windows (camera_id, starts_at, ends_at, status, model_version, rules_version, covered_seconds, processed_at)
         SELECT c.id, s.t, s.t + interval '10 minutes', 'done', 'bench', 'bench', 600, s.t + interval '1 day'
           FROM cameras c,
                generate_series(0, $1::int - 1) d,
                generate_series(0, $2::int - 1) k,
                LATERAL (SELECT ((date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - d * interval '1 day' + interval '7 hours'
                                  + k * (interval '13 hours' / $2::int)) AT TIME ZONE 'Asia/Shanghai') AS t) s`,
        [opts.days, opts.perDay],
      );
      // Exposures 5–40 per category; violations a share that depends on the intersection (some orderly, some poor).
      await pool.query(
        `INSERT INTO window_counts (window_id, category, exposures, violations)
         SELECT w.id, cat, e, LEAST(e, floor(e * (0.01 + 0.12 * ((w.camera_id * 7919) % 100) / 100.0) * (0.5 + random()))::int)
           FROM windows w,
                unnest(ARRAY['red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk']) cat,
                LATERAL (SELECT 5 + floor(random() * 36)::int AS e) x`,
      );
      await pool.query(
        `INSERT INTO violations (window_id, category, track_id, road_user_class, zone_id, t, score, moments, review_status, reviewed_at, reviewed_by)
         SELECT wc.window_id, wc.category, 1, 'vehicle', 'north', w.starts_at + interval '1 minute', 0.9, '[]',
                CASE WHEN wc.window_id % 3 = 0 THEN 'rejected' ELSE 'pending' END,
                CASE WHEN wc.window_id % 3 = 0 THEN now() END, CASE WHEN wc.window_id % 3 = 0 THEN 'bench' END
           FROM window_counts wc JOIN windows w ON w.id = wc.window_id
          WHERE wc.window_id % 50 = 0 AND wc.violations > 0`,
      );
      // The figures for trends and ratings (sql/005_figures.sql), as readers would otherwise compute them on the first request.
      await pool.query(`SELECT figures_refresh()`);
      await pool.query(`ANALYZE`);
      await writeFile(marker, JSON.stringify({ shape, filledAt: new Date().toISOString() }) + '\n');
    } else out(`Reusing the filled database: ${shape} (--fresh fills it again).`);
    const n = (await pool.query<{ i: number; w: number; c: number; v: number; r: number }>(
      `SELECT (SELECT count(*) FROM intersections)::int AS i, (SELECT count(*) FROM windows)::int AS w, (SELECT count(*) FROM window_counts)::int AS c,
              (SELECT count(*) FROM violations)::int AS v, (SELECT count(*) FROM violations WHERE review_status = 'rejected')::int AS r`,
    )).rows[0]!;
    return { intersections: n.i, windows: n.w, counts: n.c, violations: n.v, rejected: n.r, seconds: (Date.now() - started) / 1000 };
  });
}

async function viewerKey(): Promise<string> {
  return withDatabase(config, log, async ({ pool }) => (await createKey(pool, { name: 'bench:api', role: 'viewer', expiresDays: 1 })).key);
}

/** `crosswatch serve` in its own process, as deployed; resolves with its URL once it listens. */
function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.resolve(import.meta.dirname, '..', 'bin', 'crosswatch.js');
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSWATCH_DATA_DIR: dataDir, CROSSWATCH_PG_DATA_DIR: config.pgDataDir, CROSSWATCH_API_RATE_LIMIT: '1000000', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' };
  delete env['DATABASE_URL'];
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`crosswatch serve did not start within 60 s: ${text}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      text += b.toString();
      const m = /https?:\/\/[^\s"]+:\d+/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0], child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`crosswatch serve exited with ${code}: ${text}`));
    });
  });
}

interface Mix {
  name: string;
  paths: (i: number) => string;
}

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

const MONTHS = (() => {
  const now = new Date();
  return Array.from({ length: 12 }, (_, k) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
})();
const CATS = ['', 'red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk'];

// What a day of dashboard use asks: mostly intersection trends and this month's ranking,
// now and then the city trend, a unit ranking or an older month.
const MIXES: Mix[] = [
  { name: 'intersection trend (day, 30 days)', paths: (i) => `/api/intersections/BX-${pad(1 + (i % opts.intersections))}/trends?granularity=day` },
  { name: 'intersection trend (week/month, category)', paths: (i) => `/api/intersections/BX-${pad(1 + ((i * 7) % opts.intersections))}/trends?granularity=${i % 2 ? 'week' : 'month'}${CATS[i % 5] ? `&category=${CATS[i % 5]}` : ''}` },
  { name: 'city trend (day/week/month)', paths: (i) => `/api/trends/city?granularity=${['day', 'week', 'month'][i % 3]}${CATS[i % 5] ? `&category=${CATS[i % 5]}` : ''}` },
  { name: 'ranking by intersection (12 months)', paths: (i) => `/api/ratings?month=${MONTHS[i % 12]}${CATS[(i >> 2) % 5] ? `&category=${CATS[(i >> 2) % 5]}` : ''}` },
  { name: 'ranking by unit (12 months)', paths: (i) => `/api/ratings?by=unit&month=${MONTHS[i % 12]}` },
];

interface Figures {
  name: string;
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function drive(url: string, key: string, name: string, paths: (i: number) => string, seconds: number, rate: number): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    overallRate: rate,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths(i++) }) }],
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

async function main(): Promise<void> {
  const filled = await fill();
  out(`Database: ${filled.intersections} intersections, ${filled.windows.toLocaleString('en')} done windows, ${filled.counts.toLocaleString('en')} count rows, ${filled.violations.toLocaleString('en')} violation rows (${filled.rejected.toLocaleString('en')} rejected); ready in ${filled.seconds.toFixed(1)} s`);
  const key = await viewerKey();
  const { url, child } = await startServer();
  const stop = () => new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
  try {
    out(`API at ${url} (its own process); load from autocannon, ${opts.connections} connections`);
    // Warm-up: one pass over every distinct request the mixes make, so the run measures steady state.
    await drive(url, key, 'warm-up', (i) => MIXES[i % MIXES.length]!.paths(Math.floor(i / MIXES.length)), 5, 200);
    const rows: Figures[] = [];
    const all = (i: number) => MIXES[i % MIXES.length]!.paths(Math.floor(i / MIXES.length));
    rows.push(await drive(url, key, `all routes mixed at ${opts.rate} req/s`, all, opts.duration, opts.rate));
    for (const m of MIXES) rows.push(await drive(url, key, m.name, m.paths, Math.max(5, Math.round(opts.duration / 2)), opts.rate));
    out('');
    out(`${'load'.padEnd(46)} ${'requests'.padStart(9)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'non-2xx'.padStart(8)} ${'errors'.padStart(7)}`);
    for (const r of rows) {
      out(`${r.name.padEnd(46)} ${String(r.requests).padStart(9)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(7)} ${String(r.p90).padStart(7)} ${String(r.p99).padStart(7)} ${String(r.max).padStart(7)} ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)}`);
    }
    const mixed = rows[0]!;
    out('');
    out(`Target: p99 ≤ 50 ms at ${opts.rate} req/s. Measured (all routes mixed, n=${mixed.requests} requests): p99 ${mixed.p99} ms, ${mixed.rps.toFixed(0)} req/s served → ${mixed.p99 <= 50 && mixed.rps >= opts.rate * 0.95 && mixed.non2xx === 0 ? 'met' : 'NOT met'}`);
    if (values.json) {
      await writeFile(values.json, JSON.stringify({ database: filled, rate: opts.rate, connections: opts.connections, duration_s: opts.duration, runs: rows }, null, 2) + '\n');
      out(`Figures written to ${values.json}`);
    }
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:api failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
