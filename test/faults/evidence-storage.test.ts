// The evidence folder unusable: its root is a regular file (unwritable even
// for root, where chmod would not stop anything), or its filesystem is full
// (a small tmpfs; skipped where mounting is not allowed). The window fails
// with that reason, and nothing half-written stays: no violation or count
// rows of the attempt, no partial or temporary file, and a window processed
// before keeps its rows and the evidence files they point to.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlan } from '../../services/plan/create-plan.ts';
import { openDetector } from '../../services/window/detector.ts';
import { runWindow, type WindowDeps } from '../../services/window/run-window.ts';
import { binaries } from '../helpers/clips.ts';
import { testDatabase, testLog } from '../helpers/db.ts';
import { nullModel } from '../services/queue/fixtures.ts';
import { loadFootage, oracleSegments, renderFootage } from './helpers/footage.ts';
import { oracleDetector } from './helpers/oracle.ts';
import { filesUnder, windowsState } from './helpers/state.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-fault-evidence-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const footage = await renderFootage(path.join(tmp, 'footage'), { times: ['08-00-00'], seconds: 20 });
const db = await testDatabase(t);
await loadFootage(db.pool, footage);
const plan = await createPlan(db.pool, { period: '2025-03', hours: ['07:00-20:00'], windows: 1, windowMinutes: 0.25, scope: 'city', seed: 5 });
const w = (await db.pool.query<{ camera_code: string; starts_at: Date; ends_at: Date }>(`SELECT camera_code, starts_at, ends_at FROM plan_windows WHERE plan_id = $1`, [plan.id])).rows[0]!;
const real = await openDetector({ modelPath: nullModel(tmp) });
t.teardown(() => real.detector.close());
const detector = oracleDetector(real.detector, await oracleSegments(db.pool, footage.gtFile));
const deps = (evidenceDir: string): WindowDeps => ({ pool: db.pool, detector, modelVersion: real.modelVersion, ffmpegPath: binaries.ffmpeg, evidenceDir, sampleFps: 8, log: testLog });
const request = { cameraCode: w.camera_code, from: w.starts_at, to: w.ends_at };
const rowCounts = async () => (await db.pool.query(`SELECT (SELECT count(*) FROM violations)::int AS violations, (SELECT count(*) FROM window_counts)::int AS counts`)).rows[0];

t.test('evidence root is a regular file: the window fails with that reason, no rows', async (t) => {
  const blocked = path.join(tmp, 'not-a-folder');
  writeFileSync(blocked, 'a file where the evidence folder should be');
  const report = await runWindow(request, deps(blocked));
  t.equal(report.status, 'failed');
  t.match(report.reason, /^EVIDENCE_WRITE_FAILED: .*not-a-folder/);
  const state = await windowsState(db.pool);
  t.match(state.windows, [{ status: 'failed', reason: /EVIDENCE_WRITE_FAILED/ }], 'the reason is stored on the window');
  t.same(await rowCounts(), { violations: 0, counts: 0 }, 'no violation or count row of the failed attempt');
});

t.test('evidence filesystem full: the window fails with ENOSPC, nothing half-written, earlier rows and files kept', async (t) => {
  const mnt = path.join(tmp, 'small-fs');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    t.pass('full-disk case', { skip: 'cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)' });
    return;
  }
  t.teardown(() => execFileSync('umount', ['-l', mnt], { stdio: 'ignore' }));
  const evidenceDir = path.join(mnt, 'evidence');
  // A first, successful pass: committed rows pointing to files.
  const first = await runWindow(request, deps(evidenceDir));
  t.equal(first.status, 'done');
  t.ok(first.violations.length >= 2, `violations with evidence (${first.violations.length})`);
  const before = await windowsState(db.pool);
  const filesBefore = filesUnder(evidenceDir);
  t.same(filesBefore, before.evidencePaths);
  // Fill the disk but for room for about one more image, then process the window again.
  const { bavail, bsize } = statfsSync(mnt);
  const perImage = Math.ceil((8 * 1024 * 1024 - bavail * bsize) / filesBefore.length);
  writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - Math.round(perImage * 1.5))));
  const second = await runWindow(request, deps(evidenceDir));
  t.equal(second.status, 'failed');
  t.match(second.reason, /^EVIDENCE_WRITE_FAILED: .*ENOSPC/, 'the reason names the full disk');
  const after = await windowsState(db.pool);
  t.match(after.windows, [{ status: 'failed', reason: /ENOSPC/ }]);
  t.same(after.violations, before.violations, 'the earlier pass’s violations are intact');
  t.same(after.evidencePaths, before.evidencePaths, '…and still point to their files');
  t.same(filesUnder(evidenceDir), filesBefore, 'no partial or temporary file left, and no earlier file deleted');
});
