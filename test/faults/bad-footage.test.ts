// Broken footage under a real `crosswatch worker`, and a plan queued by two
// `crosswatch run` commands at the same instant. Six windows, one per file:
//   08:00 sound; 09:00 deleted after cataloguing; 10:00 truncated after
//   cataloguing; 11:00 recorded at another resolution than the camera's
//   (the camera was swapped mid-month); 12:00 decoded by an ffmpeg that is
//   killed (SIGKILL) mid-window; 13:00 sound.
// Each broken window ends with a stored reason naming its file; the sound
// ones are done without one; the run finishes; every window is processed once
// (but the killed decoder's, which is transient and retried).
import t from 'tap';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlan } from '../../services/plan/create-plan.ts';
import { QUEUES } from '../../services/queue/boss.ts';
import { runStatus } from '../../services/queue/status.ts';
import { binaries } from '../helpers/clips.ts';
import { testDatabase } from '../helpers/db.ts';
import { nullModel } from '../services/queue/fixtures.ts';
import { loadFootage, renderFootage } from './helpers/footage.ts';
import { reap, spawnCli, waitFor } from './helpers/proc.ts';
import { windowsState } from './helpers/state.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-fault-footage-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const TIMES = ['08-00-00', '09-00-00', '10-00-00', '11-00-00', '12-00-00', '13-00-00'];

/**
 * An ffmpeg that, for the 12:00 file only, reads its input at the native rate
 * (-re, so the window takes seconds) and is killed with SIGKILL after one
 * second: the decoder dies mid-window as it would under the OOM killer.
 */
function killingFfmpeg(): string {
  const file = path.join(tmp, 'ffmpeg-killed-mid-window.sh');
  writeFileSync(
    file,
    `#!/bin/bash
case "$*" in
  *12-00-00.mp4*)
    args=(); for a in "$@"; do [ "$a" = "-i" ] && args+=("-re"); args+=("$a"); done
    (sleep 1; kill -9 $$) &
    exec ${JSON.stringify(binaries.ffmpeg)} "\${args[@]}" ;;
esac
exec ${JSON.stringify(binaries.ffmpeg)} "$@"
`,
  );
  chmodSync(file, 0o755);
  return file;
}

t.test('broken files each fail (or note) their own window; two concurrent `run`s queue each window once', async (t) => {
  const db = await testDatabase(t);
  const footage = await renderFootage(path.join(tmp, 'footage'), { times: TIMES, seconds: 20 });
  // The swapped camera: the same scene rendered at twice the resolution.
  const wide = await renderFootage(path.join(tmp, 'wide'), { times: ['11-00-00'], seconds: 20, width: 640, height: 360 });
  copyFileSync(wide.files['11-00-00']!, footage.files['11-00-00']!);
  await loadFootage(db.pool, footage);
  const segs = (await db.pool.query<{ width: number }>(`SELECT width FROM footage_segments ORDER BY starts_at`)).rows.map((r) => r.width);
  t.same(segs, [320, 320, 320, 640, 320, 320], 'the catalogue sees the resolution change');
  const plan = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 6, windowMinutes: 0.25, scope: 'city', seed: 4 });

  unlinkSync(footage.files['09-00-00']!);
  truncateSync(footage.files['10-00-00']!, Math.floor(statSync(footage.files['10-00-00']!).size * 0.4));

  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    CROSSWATCH_DATA_DIR: tmp,
    CROSSWATCH_MODEL: nullModel(tmp),
    FFMPEG_PATH: killingFfmpeg(),
    CROSSWATCH_WORKER_POLL_SECONDS: '0.5',
    CROSSWATCH_JOB_RETRY_LIMIT: '1',
    CROSSWATCH_JOB_RETRY_DELAY: '1',
    LOG_LEVEL: 'warn',
  };

  // Two `crosswatch run` for the same plan, started together.
  const runs = [spawnCli(['run', '--plan', plan.id, '--json'], env), spawnCli(['run', '--plan', plan.id, '--json'], env)];
  reap(t, ...runs);
  const codes = await Promise.all(runs.map((r) => r.exit));
  t.same(codes, [0, 0], `both commands succeed (${runs.map((r) => r.stderr().slice(-300)).join(' | ')})`);
  const outs = runs.map((r) => JSON.parse(r.stdout()) as { run: number; created: boolean; queued: number });
  t.equal(outs[0]!.run, outs[1]!.run, 'one run for the plan');
  t.same(outs.map((o) => o.created).sort(), [false, true], 'exactly one created it');
  t.equal(outs[0]!.queued + outs[1]!.queued, 6, 'the six windows queued once between them');
  const jobs = (await db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [QUEUES.window])).rows[0].n;
  t.equal(jobs, 6, 'one pg-boss job per window');
  const runId = String(outs[0]!.run);

  const worker = spawnCli(['worker', '--concurrency', '2', '--skip-nightly', '--exit-when-idle'], env);
  reap(t, worker);
  const status = await waitFor(async () => {
    const s = await runStatus(db.pool, runId);
    return s.status === 'done' ? s : undefined;
  }, 180_000, 'the run to finish');
  t.equal(await worker.exit, 0, `the worker exits when idle (${worker.stderr().slice(-500)})`);
  t.equal(status.windows.total, 6);

  const state = await windowsState(db.pool);
  const byTime = Object.fromEntries(TIMES.map((time, i) => [time, state.windows[i]!]));
  t.comment(Object.entries(byTime).map(([k, w]) => `${k}: ${w.status} (${w.attempts} attempt(s)) ${w.reason ?? ''}`).join('\n'));
  t.match(byTime['08-00-00'], { status: 'done', reason: null }, 'a sound file: done, no reason');
  t.match(byTime['13-00-00'], { status: 'done', reason: null }, 'the window after the broken ones: done');
  t.match(byTime['09-00-00'], { status: 'failed', reason: /09-00-00\.mp4/ }, 'deleted file: failed, naming the file');
  t.match(byTime['10-00-00'], { reason: /10-00-00\.mp4/ }, 'truncated file: a reason naming the file');
  t.match(byTime['11-00-00'], { status: 'failed', reason: /11-00-00\.mp4.*640x360.*320x180/ }, 'resolution change: failed, naming the file and both sizes');
  t.match(byTime['12-00-00'], { status: 'failed', reason: /12-00-00\.mp4.*killed with signal SIGKILL/, attempts: 2 }, 'killed ffmpeg: retried (transient), then failed with the reason once the retries are spent');
  t.match(byTime['09-00-00'], { reason: /No such file or directory/ }, 'the stored reason keeps ffmpeg’s own cause');
  for (const w of state.windows) t.ok(w.status === 'done' || w.status === 'failed', `${w.starts_at}: finished (${w.status})`);
  const rw = (await db.pool.query<{ seq: number; status: string; attempts: number; reason: string | null }>(`SELECT seq, status, attempts, reason FROM run_windows WHERE run_id = $1 ORDER BY seq`, [runId])).rows;
  t.ok(rw.every((r) => r.status === 'done' || r.status === 'failed'), 'every run window finished');
  t.ok(rw.filter((r) => r.status === 'failed').every((r) => r.reason), 'every failed run window has its reason');
  t.same(state.windows.map((w) => w.attempts), [1, 1, 1, 1, 2, 1], 'each window processed once (the killed decoder’s window retried once, as configured)');
  t.ok(state.windows.every((w) => !w.reason?.includes('\n')), 'reasons are one line each (ffmpeg’s stderr stays in the log)');
});
