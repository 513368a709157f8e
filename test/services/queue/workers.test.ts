// Runs end to end on real twin clips: a plan of 3-s windows on 4-s clips is
// queued (twice: once only), then two `crosswatch worker` processes share it
// through the test database. Every window is processed exactly once, a
// window whose file vanished fails with its reason without holding the run,
// the run finishes, and its days are rolled up.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanFootage } from '../../../services/catalog/scan.ts';
import { main } from '../../../services/cli/main.ts';
import { loadConfig } from '../../../services/config.ts';
import { createPlan } from '../../../services/plan/create-plan.ts';
import { openBoss, stopBoss, QUEUES } from '../../../services/queue/boss.ts';
import { startRun } from '../../../services/queue/enqueue.ts';
import { runStatus } from '../../../services/queue/status.ts';
import { importSites } from '../../../services/sites/import.ts';
import { binaries } from '../../helpers/clips.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import { PROJECT_ROOT } from '../../helpers/pg-cluster.ts';
import { nullModel, twinFootage } from './fixtures.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-workers-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const root = path.join(tmp, 'footage');

t.test('a plan shared by two worker processes', async (t) => {
  const db = await testDatabase(t);
  // 2 cameras × 3 clips of 4 s (08:00, 09:00, 10:00 Shanghai on 2025-03-03): one 3-s window fits each clip.
  const { sites, files } = await twinFootage(root, {
    cameras: [
      { seed: 11, cameraCode: 'CAM-A', intersectionCode: 'IX-A' },
      { seed: 12, cameraCode: 'CAM-B', intersectionCode: 'IX-B' },
    ],
    date: '2025-03-03',
    times: ['08-00-00', '09-00-00', '10-00-00'],
    seconds: 4,
  });
  await importSites(db.pool, sites, 'Asia/Shanghai');
  await scanFootage(db.pool, root, { ffprobe: binaries.ffprobe, concurrency: 2, defaultTimeZone: 'UTC', log: testLog });

  const plan = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 6, windowMinutes: 0.05, scope: 'city', seed: 3 });
  t.equal(plan.sample.windows.length, 6, 'six windows: one per clip, capacity exactly used');
  // The footage of one window vanishes after cataloguing.
  const gone = files.find((f) => f.endsWith(path.join('CAM-B', '2025-03-03', '09-00-00.mp4')))!;
  unlinkSync(gone);

  const config = { jobRetryLimit: 1, jobRetryDelaySeconds: 1, jobExpireSeconds: 300 };
  const boss = await openBoss(db.url, testLog);
  const first = await startRun(db.pool, boss, plan.id, config);
  const second = await startRun(db.pool, boss, plan.id, config);
  await stopBoss(boss, 1000);
  t.match(first, { created: true, queued: 6, alreadyQueued: 0, total: 6 });
  t.match(second, { created: false, queued: 0, alreadyQueued: 6 }, 'the same plan again queues nothing');
  t.equal(second.run.id, first.run.id, 'one run per plan');
  const jobs = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [QUEUES.window]);
  t.equal(jobs.rows[0]!.n, 6, 'one pg-boss job per window');
  const out: string[] = [];
  await withEnv({ DATABASE_URL: db.url }, async () => t.equal(await main(['run', '--plan', plan.id], (s) => out.push(s)), 0));
  t.match(out.join('\n'), new RegExp(`Plan ${plan.id} already has run ${first.run.id} .*0 window\\(s\\) queued now, 6 queued before`));

  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    CROSSWATCH_DATA_DIR: tmp,
    CROSSWATCH_MODEL: nullModel(tmp),
    CROSSWATCH_WORKER_POLL_SECONDS: '0.5',
    CROSSWATCH_JOB_RETRY_LIMIT: '1',
    CROSSWATCH_JOB_RETRY_DELAY: '1',
    LOG_LEVEL: 'warn',
  };
  // A exits once the queue is empty; B runs until told to stop (SIGTERM).
  const a = startWorker(['--concurrency', '2', '--skip-nightly', '--exit-when-idle'], env);
  const b = startWorker(['--concurrency', '1', '--skip-nightly'], env);
  t.teardown(() => {
    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
  });

  const status = await waitFor(async () => {
    const s = await runStatus(db.pool, first.run.id);
    return s.status === 'done' ? s : undefined;
  }, 150_000);
  t.match(status.windows, { total: 6, done: 5, failed: 1, queued: 0, running: 0 });
  t.equal(status.reason, '1 of 6 windows failed');
  t.equal(status.failures.length, 1);
  t.match(status.failures[0]!.reason, gone, 'the failure names the missing file');
  t.ok(status.footageHoursPerWallHour! > 0, 'throughput measured');
  t.equal(status.etaSeconds, 0);

  const windows = (await db.pool.query<{ status: string; attempts: number; run_id: string }>(`SELECT status, attempts, run_id::text FROM windows ORDER BY starts_at`)).rows;
  t.equal(windows.length, 6, 'one windows row per planned window');
  t.same(
    windows.filter((w) => w.status === 'done').map((w) => w.attempts),
    [1, 1, 1, 1, 1],
    'each done window processed exactly once',
  );
  t.ok(windows.every((w) => w.run_id === first.run.id));
  const rw = (await db.pool.query<{ status: string; attempts: number; worker: string }>(`SELECT status, attempts, worker FROM run_windows WHERE run_id = $1`, [first.run.id])).rows;
  t.same(rw.filter((r) => r.status === 'done').map((r) => r.attempts), [1, 1, 1, 1, 1]);
  t.comment(`windows per worker: ${JSON.stringify(countBy(rw.map((r) => r.worker)))}`);

  b.child.kill('SIGTERM');
  const [codeA, codeB] = await Promise.all([a.exit, b.exit]);
  t.equal(codeA, 0, `worker A exited when idle (stderr: ${a.stderr().slice(-500)})`);
  t.equal(codeB, 0, `worker B stopped gracefully on SIGTERM (stderr: ${b.stderr().slice(-500)})`);
  t.match(a.stdout() + b.stdout(), /worker stopped: \d+ window\(s\) finished by this process/);

  // The worker that finished the run rolled up its day.
  const rollup = (await db.pool.query<{ windows: number; days: number }>(`SELECT COALESCE(sum(windows), 0)::int AS windows, count(DISTINCT day)::int AS days FROM daily_rollups WHERE category = 'red_light'`)).rows[0]!;
  t.same(rollup, { windows: 5, days: 1 }, 'after the run: the five done windows rolled up into one local day');
  const rating = (await db.pool.query(`SELECT count(*)::int AS n FROM monthly_ratings WHERE month = '2025-03-01' AND category = 'all'`)).rows[0];
  t.equal(rating.n, 2, 'month-to-date ratings of both intersections');

  const text: string[] = [];
  await withEnv({ DATABASE_URL: db.url }, async () => t.equal(await main(['run', 'status', first.run.id], (s) => text.push(s)), 0));
  t.match(text.join('\n'), /windows: 6 total: 5 done, 1 failed, 0 running, 0 pending/);
  t.match(text.join('\n'), /h of footage per hour of wall time \(6 windows finished in/);
});

interface Spawned {
  child: ChildProcess;
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

function startWorker(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'crosswatch.js'), 'worker', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stdout: () => out, stderr: () => err };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function withEnv(vars: Record<string, string>, fn: () => Promise<unknown>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    loadConfig();
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
