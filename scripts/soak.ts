// Bounded soak: the API under steady load while workers process windows.
//   npm run soak -- [--minutes 20] [--rate 40] [--workers 1] [--concurrency 1] [--model PATH] [--out FILE]
// Everything runs on a fresh embedded PostgreSQL in a temp folder: twin
// footage is rendered and catalogued, plans are queued one after another so
// the workers never run dry (later plans reprocess windows: idempotence under
// load), a real `crosswatch serve` answers GETs over HTTP at a fixed rate
// across the read routes, and every 5 s we sample the worker's and the API's
// RSS and the server's connections against max_connections. The report gives
// p50/p99 latency, errors, RSS at start (after warm-up) and end, and peak
// connections; it exits 1 when RSS grew more than 10% or connections ran out.
// Not part of npm test.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeClip } from '../pipelines/sim/index.ts';
import { createKey } from '../services/api/keys.ts';
import { scanFootage } from '../services/catalog/scan.ts';
import { loadConfig } from '../services/config.ts';
import { openDatabase } from '../services/db/index.ts';
import { log } from '../services/log.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { createPlan } from '../services/plan/create-plan.ts';
import { openBoss, stopBoss } from '../services/queue/boss.ts';
import { startRun } from '../services/queue/enqueue.ts';
import { runStatus } from '../services/queue/status.ts';
import { importSites } from '../services/sites/import.ts';
import { crosswatchModel } from '../test/pipelines/detect/layout-models.ts';

const { values: opts } = parseArgs({
  options: { minutes: { type: 'string', default: '20' }, rate: { type: 'string', default: '40' }, workers: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '1' }, model: { type: 'string' }, out: { type: 'string' } },
});
const minutes = Number(opts.minutes);
const rate = Number(opts.rate);
if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate expect positive numbers');
const ROOT = path.resolve(import.meta.dirname, '..');
log.level = 'warn';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-soak-'));
// The embedded server runs as the postgres OS user under root: its folder sits directly in the temp folder.
const pgDir = path.join(os.tmpdir(), `cw-soak-pg-${process.pid}`);
const children: ChildProcess[] = [];
let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
const cleanup = async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  await db?.close().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  rmSync(pgDir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  const report = await soak();
  const text = JSON.stringify(report, null, 2);
  process.stdout.write(text + '\n');
  if (opts.out) writeFileSync(opts.out, text + '\n');
  process.exitCode = report.pass ? 0 : 1;
} finally {
  await cleanup();
}

async function soak() {
  const config = loadConfig({ ...process.env, CROSSWATCH_DATA_DIR: tmp, CROSSWATCH_PG_DATA_DIR: pgDir, DATABASE_URL: '' });
  db = await openDatabase(config, log);
  const { ffmpeg, ffprobe } = mediaBinaries(config);
  process.stderr.write('soak: rendering twin footage…\n');
  const footage = path.join(tmp, 'footage');
  const clip = await writeClip({ out: path.join(tmp, 'render'), ffmpegPath: ffmpeg, seed: 3, seconds: 30, width: 320, height: 180, fps: 10, cameraCode: 'SOAK-CAM', intersectionCode: 'SOAK-IX', preset: 'ultrafast', writeSites: false, start: new Date('2025-03-03T00:00:00Z') });
  for (const day of ['2025-03-03', '2025-03-04']) {
    mkdirSync(path.join(footage, 'SOAK-CAM', day), { recursive: true });
    for (let h = 7; h < 20; h++) copyFileSync(clip.video, path.join(footage, 'SOAK-CAM', day, `${String(h).padStart(2, '0')}-00-00.mp4`));
  }
  await importSites(db.pool, clip.clip.sites, 'Asia/Shanghai');
  await scanFootage(db.pool, footage, { ffprobe, concurrency: 2, defaultTimeZone: 'UTC', log });
  const key = (await createKey(db.pool, { name: 'soak', role: 'viewer' })).key;
  const model = opts.model ? path.resolve(opts.model) : path.join(tmp, 'null-detector.onnx');
  if (!opts.model) writeFileSync(model, crosswatchModel([]));

  const url = db.url;
  const apiPort = await freePort();
  const env = { ...process.env, DATABASE_URL: url, CROSSWATCH_DATA_DIR: tmp, CROSSWATCH_MODEL: model, CROSSWATCH_API_PORT: String(apiPort), CROSSWATCH_API_RATE_LIMIT: '1000000', CROSSWATCH_WORKER_POLL_SECONDS: '0.5', LOG_LEVEL: 'warn' };
  const api = start(['serve'], env);
  const workers = Array.from({ length: Number(opts.workers) }, () => start(['worker', '--concurrency', String(opts.concurrency), '--skip-nightly'], env));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${apiPort}/readyz`).catch(() => undefined))?.status === 200, 60_000);

  // Plans, one after another, so the workers always have windows.
  const boss = await openBoss(url, log);
  let seed = 1;
  let runs = 0;
  let current = '';
  const queueNext = async () => {
    const plan = await createPlan(db!.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 12, windowMinutes: 0.4, scope: 'city', seed: seed++ });
    current = (await startRun(db!.pool, boss, plan.id, { jobRetryLimit: 2, jobRetryDelaySeconds: 5, jobExpireSeconds: 300 })).run.id;
    runs++;
  };
  await queueNext();

  const routes = ['/api/windows?limit=20', '/api/violations?limit=20', '/api/intersections', '/api/trends/city', '/api/ratings?month=2025-03', `/api/intersections/SOAK-IX`, '/readyz', '/metrics'];
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const samples: { t: number; workerRss: number[]; apiRss: number; connections: number; maxConnections: number }[] = [];
  const endAt = Date.now() + minutes * 60_000;
  let windowsDone = 0;
  let warm = false;

  const sampler = (async () => {
    while (Date.now() < endAt) {
      const c = (await db!.pool.query<{ n: number; max: number }>(`SELECT count(*)::int AS n, current_setting('max_connections')::int AS max FROM pg_stat_activity WHERE backend_type = 'client backend'`)).rows[0]!;
      const s = await runStatus(db!.pool, current);
      if (s.status === 'done') {
        windowsDone += s.windows.done + s.windows.failed;
        await queueNext();
      }
      if (!warm && (s.windows.done > 0 || windowsDone > 0)) warm = true; // RSS "start" = after the first window (model and pools loaded)
      if (warm) samples.push({ t: Date.now(), workerRss: workers.map((w) => rss(w.pid!)), apiRss: rss(api.pid!), connections: c.n, maxConnections: c.max });
      await sleep(5000);
    }
  })();

  const interval = 1000 / rate;
  let next = Date.now();
  let i = 0;
  const inflight = new Set<Promise<void>>();
  while (Date.now() < endAt) {
    const route = routes[i++ % routes.length]!;
    const p = (async () => {
      const t0 = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${apiPort}${route}`, { headers: { authorization: `Bearer ${key}` } });
        await res.arrayBuffer();
        if (res.status >= 400) errors[`${res.status} ${route.split('?')[0]}`] = (errors[`${res.status} ${route.split('?')[0]}`] ?? 0) + 1;
      } catch (err) {
        errors[`network ${(err as Error).message}`] = (errors[`network ${(err as Error).message}`] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    next += interval;
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(inflight);
  await sampler;
  const final = await runStatus(db.pool, current);
  windowsDone += final.windows.done + final.windows.failed;
  await stopBoss(boss, 1000);

  latencies.sort((a, b) => a - b);
  const q = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(1));
  const first = samples[0];
  const last = samples.at(-1);
  const growth = first && last ? last.workerRss.map((r, k) => (r - first.workerRss[k]!) / first.workerRss[k]!) : [];
  const peakConnections = Math.max(0, ...samples.map((s) => s.connections));
  const maxConnections = samples[0]?.maxConnections ?? 0;
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  const workerExits = workers.filter((w) => w.exitCode !== null).length + (api.exitCode !== null ? 1 : 0);
  return {
    minutes,
    requests: latencies.length,
    ratePerSecond: rate,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) },
    errors: errorCount,
    errorsByKind: errors,
    windowsProcessed: windowsDone,
    runsQueued: runs,
    workerRssMb: { start: first?.workerRss.map(mb), end: last?.workerRss.map(mb), growthPct: growth.map((g) => Number((g * 100).toFixed(1))) },
    apiRssMb: { start: first ? mb(first.apiRss) : null, end: last ? mb(last.apiRss) : null },
    connections: { peak: peakConnections, max: maxConnections },
    samples: samples.length,
    processesDied: workerExits,
    pass: errorCount === 0 && growth.every((g) => g <= 0.1) && peakConnections < maxConnections && workerExits === 0,
  };
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const c = spawn(process.execPath, [path.join(ROOT, 'bin', 'crosswatch.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(c);
  return c;
}

function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function mb(bytes: number): number {
  return Number((bytes / 1024 / 1024).toFixed(1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(300);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
