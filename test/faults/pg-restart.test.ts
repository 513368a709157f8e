// PostgreSQL stopped and started again during a run, under a real
// `crosswatch worker` and a real `crosswatch serve`, on a server of this test
// alone (the suite's shared one must not stop under other test files). Neither
// process is restarted: /readyz goes 503 while the database is down and 200
// after, the API answers again, the worker (through pg-boss's retries of the
// windows the outage broke) finishes every window, and both processes stop
// cleanly at the end.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createKey } from '../../services/api/keys.ts';
import { openDatabase } from '../../services/db/index.ts';
import { startEmbedded } from '../../services/db/embedded.ts';
import { createPlan } from '../../services/plan/create-plan.ts';
import { openBoss, stopBoss } from '../../services/queue/boss.ts';
import { startRun } from '../../services/queue/enqueue.ts';
import { runStatus } from '../../services/queue/status.ts';
import { testLog } from '../helpers/db.ts';
import { nullModel } from '../services/queue/fixtures.ts';
import { loadFootage, renderFootage } from './helpers/footage.ts';
import { reap, spawnCli, waitFor } from './helpers/proc.ts';
import { windowsState } from './helpers/state.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-fault-pg-'));
// The server runs as the postgres OS user under root: its folder sits directly in the temp folder.
const pgDir = path.join(os.tmpdir(), `cw-fault-pgdata-${process.pid}`);
t.teardown(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(pgDir, { recursive: true, force: true });
});

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

t.test('PostgreSQL restarted mid-run: worker and API recover on their own', async (t) => {
  const pgPort = await freePort();
  let server = await startEmbedded({ dataDir: pgDir, port: pgPort, log: testLog, fast: true });
  t.teardown(() => server.stop().catch(() => undefined));
  const url = server.url('crosswatch');
  const db = await openDatabase({ databaseUrl: url, pgDataDir: pgDir, pgPort }, testLog);
  t.teardown(() => db.close().catch(() => undefined));
  db.pool.on('error', () => undefined);

  const footage = await renderFootage(path.join(tmp, 'footage'), { times: ['08-00-00', '09-00-00', '10-00-00', '11-00-00', '12-00-00', '13-00-00'], seconds: 20 });
  await loadFootage(db.pool, footage);
  const plan = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 6, windowMinutes: 0.25, scope: 'city', seed: 9 });
  const boss = await openBoss(url, testLog);
  const run = await startRun(db.pool, boss, plan.id, { jobRetryLimit: 6, jobRetryDelaySeconds: 1, jobExpireSeconds: 10 });
  await stopBoss(boss, 1000);
  const viewer = (await createKey(db.pool, { name: 'probe', role: 'viewer' })).key;

  const apiPort = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url,
    CROSSWATCH_DATA_DIR: tmp,
    CROSSWATCH_MODEL: nullModel(tmp),
    CROSSWATCH_WORKER_POLL_SECONDS: '0.5',
    CROSSWATCH_JOB_EXPIRE_SECONDS: '10',
    CROSSWATCH_API_PORT: String(apiPort),
    LOG_LEVEL: 'warn',
  };
  const api = spawnCli(['serve'], env);
  const worker = spawnCli(['worker', '--concurrency', '1', '--skip-nightly'], env);
  reap(t, api, worker);
  await api.waitOutput(/Crosswatch API at/);
  const base = `http://127.0.0.1:${apiPort}`;
  const ready = async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status;
  const windows = async () => (await fetch(`${base}/api/windows`, { headers: { authorization: `Bearer ${viewer}` } }).catch(() => undefined))?.status;
  t.equal(await ready(), 200, '/readyz 200 before the outage');

  await waitFor(async () => (await runStatus(db.pool, run.run.id)).windows.done >= 1, 120_000, 'a first window done');
  await server.stop();
  t.comment('PostgreSQL stopped');
  await waitFor(async () => (await ready()) === 503, 20_000, '/readyz 503');
  t.pass('/readyz 503 while the database is down');
  t.equal(await windows(), 503, 'an API read answers 503 UNAVAILABLE, not 500');
  await new Promise((r) => setTimeout(r, 4000));
  t.equal(worker.child.exitCode, null, 'the worker is still running during the outage');
  t.equal(api.child.exitCode, null, 'the API is still running during the outage');

  server = await startEmbedded({ dataDir: pgDir, port: pgPort, log: testLog, fast: true });
  t.comment('PostgreSQL started again');
  await waitFor(async () => (await ready()) === 200, 30_000, '/readyz 200 again');
  t.pass('/readyz 200 once the database is back');
  t.equal(await windows(), 200, 'the API reads again');

  const status = await waitFor(async () => {
    const s = await runStatus(db.pool, run.run.id).catch(() => undefined);
    return s?.status === 'done' ? s : undefined;
  }, 120_000, 'the run to finish after the restart').catch(async (err) => {
    t.comment(`worker stderr: ${worker.stderr().slice(-3000)}`);
    t.comment(`run_windows: ${JSON.stringify((await db.pool.query('SELECT seq, status, attempts, reason FROM run_windows ORDER BY seq')).rows)}`);
    t.comment(`jobs: ${JSON.stringify((await db.pool.query("SELECT name, state, retry_count, start_after, started_on FROM pgboss.job ORDER BY created_on")).rows)}`);
    throw err;
  });
  t.match(status.windows, { total: 6, done: 6, failed: 0 }, 'every window done');
  const state = await windowsState(db.pool);
  t.equal(state.windows.length, 6, 'one window row each');
  t.ok(state.windows.every((w) => w.status === 'done'));
  t.equal(state.counts.length, 6 * 4, 'four count rows per window, none twice');

  api.child.kill('SIGTERM');
  worker.child.kill('SIGTERM');
  t.equal(await api.exit, 0, `the API stops cleanly (${api.stderr().slice(-300)})`);
  t.equal(await worker.exit, 0, `the worker stops cleanly (${worker.stderr().slice(-300)})`);
  t.notMatch(api.stderr() + worker.stderr(), /unhandled|uncaught/i, 'no unhandled error in either process');
});
