// Retries inside one worker process: an unexpected error (not a known
// failure) is retried by pg-boss with backoff; a window that keeps failing is
// dead-lettered and marked failed with its last error, and its run still
// finishes.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Detector } from '../../../pipelines/detect/index.ts';
import { scanFootage } from '../../../services/catalog/scan.ts';
import { createPlan } from '../../../services/plan/create-plan.ts';
import { openBoss, stopBoss } from '../../../services/queue/boss.ts';
import { startRun } from '../../../services/queue/enqueue.ts';
import { runStatus, type RunStatus } from '../../../services/queue/status.ts';
import { startWindowWorker } from '../../../services/queue/worker.ts';
import { importSites } from '../../../services/sites/import.ts';
import { openDetector } from '../../../services/window/detector.ts';
import { binaries } from '../../helpers/clips.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import { nullModel, twinFootage } from '../queue/fixtures.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-retry-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

t.test('transient errors retry with backoff; spent retries fail the window, not the run', async (t) => {
  const db = await testDatabase(t);
  const { sites } = await twinFootage(path.join(tmp, 'footage'), { cameras: [{ seed: 21, cameraCode: 'CAM-R', intersectionCode: 'IX-R' }], date: '2025-03-03', times: ['08-00-00'], seconds: 4 });
  await importSites(db.pool, sites, 'Asia/Shanghai');
  await scanFootage(db.pool, path.join(tmp, 'footage'), { ffprobe: binaries.ffprobe, concurrency: 1, defaultTimeZone: 'UTC', log: testLog });

  const real = await openDetector({ modelPath: nullModel(tmp) });
  t.teardown(() => real.detector.close());
  // Fails the first `failures` batches of each window with a plain Error (not a CrosswatchError: unknown, so retried).
  let mode: 'flaky' | 'broken' = 'flaky';
  let calls = 0;
  const detector: Detector = {
    inputSpec: real.detector.inputSpec,
    layout: real.detector.layout,
    modelClasses: real.detector.modelClasses,
    close: async () => undefined,
    async detect(batch) {
      calls++;
      if (mode === 'broken' || calls === 1) throw new Error(`inference session lost (${mode})`);
      return real.detector.detect(batch);
    },
  };
  const retry = { jobRetryLimit: 1, jobRetryDelaySeconds: 1, jobExpireSeconds: 300 };
  const boss = await openBoss(db.url, testLog, { worker: true });
  const finishedRuns: string[] = [];
  const worker = await startWindowWorker({
    pool: db.pool, boss, detector, modelVersion: real.modelVersion, ffmpegPath: binaries.ffmpeg, evidenceDir: path.join(tmp, 'evidence'),
    sampleFps: 8, log: testLog, concurrency: 1, pollSeconds: 0.5, onRunFinished: async (id) => void finishedRuns.push(id),
  });
  t.teardown(() => worker.stop(1000).catch(() => undefined));

  const plan = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 1, windowMinutes: 0.05, scope: 'city', seed: 1 });
  const flaky = await startRun(db.pool, boss, plan.id, retry);
  const s1 = await doneRun(db.pool, flaky.run.id);
  t.match(s1.windows, { total: 1, done: 1, failed: 0 }, 'the second attempt succeeded');
  const rw1 = (await db.pool.query(`SELECT attempts, reason FROM run_windows WHERE run_id = $1`, [flaky.run.id])).rows[0];
  t.match(rw1, { attempts: 2, reason: null });

  mode = 'broken';
  const plan2 = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 1, windowMinutes: 0.05, scope: 'city', seed: 2 });
  const broken = await startRun(db.pool, boss, plan2.id, retry);
  const s2 = await doneRun(db.pool, broken.run.id);
  t.match(s2.windows, { total: 1, done: 0, failed: 1 });
  t.equal(s2.reason, '1 of 1 windows failed');
  t.match(s2.failures[0], { attempts: 2, reason: 'inference session lost (broken) (gave up after 2 attempts)' });
  t.same(finishedRuns, [flaky.run.id, broken.run.id], 'both runs finished, each once');
  const w = (await db.pool.query(`SELECT status, reason FROM windows`)).rows;
  t.match(w, [{ status: 'failed', reason: /inference session lost/ }], 'the window row keeps the reason too');
  await worker.stop(1000);
  await stopBoss(boss, 1000).catch(() => undefined);
});

async function doneRun(pool: import('pg').Pool, id: string): Promise<RunStatus> {
  const until = Date.now() + 60_000;
  for (;;) {
    const s = await runStatus(pool, id);
    if (s.status === 'done') return s;
    if (Date.now() > until) throw new Error(`run ${id} not done: ${JSON.stringify(s.windows)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
