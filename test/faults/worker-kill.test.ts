// A worker killed with SIGKILL mid-window (external kill during decode and
// detection), after its evidence files were written, and mid-transaction
// (rows written, COMMIT not yet sent). A fresh worker then finishes the run
// through pg-boss's expiry and retry. The final database equals an
// uninterrupted run's, window by window: same counts, same violations, none
// twice, every violation's evidence file present, and no file in the
// evidence folder that no row points to.
import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlan } from '../../services/plan/create-plan.ts';
import { openBoss, stopBoss } from '../../services/queue/boss.ts';
import { startRun } from '../../services/queue/enqueue.ts';
import { runStatus } from '../../services/queue/status.ts';
import { binaries } from '../helpers/clips.ts';
import { testDatabase, testLog } from '../helpers/db.ts';
import { nullModel } from '../services/queue/fixtures.ts';
import { loadFootage, renderFootage } from './helpers/footage.ts';
import { reap, spawnOracleWorker, waitFor } from './helpers/proc.ts';
import { filesUnder, windowsState } from './helpers/state.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-fault-kill-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const model = nullModel(tmp);
const footage = await renderFootage(path.join(tmp, 'footage'), { times: ['08-00-00', '09-00-00', '10-00-00'], seconds: 20 });
const PLAN = { period: '2025-03', hours: ['07:00-20:00'], windows: 3, windowMinutes: 0.25, scope: 'city' as const, seed: 5 };

t.test('SIGKILL mid-window, after evidence and mid-transaction: the retried run equals an uninterrupted one', async (t) => {
  // The same plan through the queue, with three crashes.
  const db = await testDatabase(t);
  await loadFootage(db.pool, footage);
  const plan = await createPlan(db.pool, PLAN);
  const boss = await openBoss(db.url, testLog);
  const run = await startRun(db.pool, boss, plan.id, { jobRetryLimit: 4, jobRetryDelaySeconds: 1, jobExpireSeconds: 10 });
  await stopBoss(boss, 1000);
  const evidenceDir = path.join(tmp, 'evidence');
  mkdirSync(evidenceDir);
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    CROSSWATCH_DATA_DIR: tmp,
    CROSSWATCH_EVIDENCE_DIR: evidenceDir,
    CROSSWATCH_MODEL: model,
    CROSSWATCH_SAMPLE_FPS: '8',
    CROSSWATCH_WORKER_POLL_SECONDS: '0.5',
    CW_ORACLE_GT: footage.gtFile,
    LOG_LEVEL: 'warn',
  };

  // 1. Killed from outside while its window decodes and detects (its ffmpeg
  //    reads at the native rate, so the window takes 15 s and the kill at 2 s
  //    lands in the middle of it).
  const slow = path.join(tmp, 'ffmpeg-native-rate.sh');
  writeFileSync(slow, `#!/bin/bash\nargs=(); for a in "$@"; do [ "$a" = "-i" ] && args+=("-re"); args+=("$a"); done\nexec ${JSON.stringify(binaries.ffmpeg)} "\${args[@]}"\n`);
  chmodSync(slow, 0o755);
  const w1 = spawnOracleWorker({ ...env, FFMPEG_PATH: slow });
  reap(t, w1);
  await waitFor(async () => (await db.pool.query(`SELECT 1 FROM windows WHERE status = 'running'`)).rows.length > 0, 60_000, 'a window running');
  await new Promise((r) => setTimeout(r, 1500));
  t.match((await db.pool.query(`SELECT status FROM windows`)).rows, [{ status: 'running' }], 'the window is in progress when the kill comes');
  w1.child.kill('SIGKILL');
  t.equal(await w1.exit, 'SIGKILL', 'worker 1 killed mid-window');

  // 2. Crashes with its evidence files written, before the transaction.
  const w2 = spawnOracleWorker({ ...env, CROSSWATCH_FAULT: 'after-evidence:kill' });
  reap(t, w2);
  t.equal(await w2.exit, 'SIGKILL', 'worker 2 crashed after writing evidence');
  t.match(w2.stderr(), /crosswatch-fault: after-evidence/);
  const orphans = filesUnder(evidenceDir).length;
  t.ok(orphans > 0, `the crash left ${orphans} evidence file(s) no row points to`);

  // 3. Crashes inside the transaction, rows written, before COMMIT.
  const w3 = spawnOracleWorker({ ...env, CROSSWATCH_FAULT: 'before-commit:kill' });
  reap(t, w3);
  t.equal(await w3.exit, 'SIGKILL', 'worker 3 crashed mid-transaction');
  t.match(w3.stderr(), /crosswatch-fault: before-commit/);
  t.equal((await db.pool.query(`SELECT count(*)::int AS n FROM violations`)).rows[0].n, 0, 'the rolled-back transaction left no violation row');

  // 4. A healthy worker: pg-boss expires the three lost jobs and retries them.
  const w4 = spawnOracleWorker(env);
  reap(t, w4);
  const status = await waitFor(async () => {
    const s = await runStatus(db.pool, run.run.id);
    return s.status === 'done' ? s : undefined;
  }, 150_000, 'the run to finish');
  w4.child.kill('SIGTERM');
  t.equal(await w4.exit, 0, `worker 4 stopped cleanly (${w4.stderr().slice(-400)})`);
  t.match(status.windows, { total: 3, done: 3, failed: 0 });

  // The uninterrupted run: the same plan on its own database, through the
  // same queue and worker, started after the faulty run (so both run the
  // code on disk now, even while other work edits the pipelines).
  const base = await testDatabase(t);
  await loadFootage(base.pool, footage);
  const basePlan = await createPlan(base.pool, PLAN);
  const baseBoss = await openBoss(base.url, testLog);
  const baseRun = await startRun(base.pool, baseBoss, basePlan.id, { jobRetryLimit: 0, jobRetryDelaySeconds: 1, jobExpireSeconds: 300 });
  await stopBoss(baseBoss, 1000);
  const baseEvidence = path.join(tmp, 'evidence-base');
  const w5 = spawnOracleWorker({ ...env, DATABASE_URL: base.url, CROSSWATCH_EVIDENCE_DIR: baseEvidence });
  reap(t, w5);
  await waitFor(async () => (await runStatus(base.pool, baseRun.run.id)).status === 'done', 150_000, 'the uninterrupted run');
  w5.child.kill('SIGTERM');
  await w5.exit;
  const expected = await windowsState(base.pool);
  t.same(expected.windows.map((w) => [w.status, w.attempts]), [['done', 1], ['done', 1], ['done', 1]], 'uninterrupted: three windows, each done at the first attempt');
  t.ok(expected.violations.length >= 3, `the uninterrupted run has violations to lose (${expected.violations.length})`);
  t.equal(filesUnder(baseEvidence).length, expected.evidencePaths.length, 'uninterrupted: one file per violation');

  const got = await windowsState(db.pool);
  t.same(got.windows.map((w) => [w.starts_at, w.status]), expected.windows.map((w) => [w.starts_at, w.status]), 'same windows, all done');
  t.ok(got.windows.filter((w) => w.attempts > 1).length >= 2, `killed windows were retried (attempts ${got.windows.map((w) => w.attempts).join(', ')})`);
  t.equal(got.windows.reduce((a, w) => a + w.attempts, 0), 6, 'three windows, three crashed attempts, three retries');
  t.same(got.counts, expected.counts, 'counts equal the uninterrupted run');
  t.same(got.violations, expected.violations, 'the same violations, none twice');
  t.equal(new Set(got.violations).size, got.violations.length, 'no violation duplicated');
  t.equal(got.evidencePaths.length, got.violations.length, 'every violation has its evidence');
  t.same(filesUnder(evidenceDir), got.evidencePaths, 'every evidence file is referenced by a row, and every referenced file exists');
  const rw = (await db.pool.query<{ attempts: number }>(`SELECT attempts FROM run_windows WHERE run_id = $1 ORDER BY seq`, [run.run.id])).rows;
  t.comment(`run_windows attempts: ${rw.map((r) => r.attempts).join(', ')}; windows attempts: ${got.windows.map((w) => w.attempts).join(', ')}`);
});
