// Smoke run of `npm run bench` on a 3-second clip and a tiny model: every key
// is written with a sane value, and the soak mode reports its RSS series.
// Functional only: the figures themselves are not judged here.
import t from 'tap';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkResult, RESULT_KEYS } from '../../scripts/bench-lib.ts';
import { crosswatchModel } from '../pipelines/detect/layout-models.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-'));
// The embedded PostgreSQL runs as the postgres OS user when the tests run as root: it must enter the folder.
chmodSync(dir, 0o755);
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const model = path.join(dir, 'tiny.onnx');
writeFileSync(model, crosswatchModel([]));
const bench = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench.ts'), '--model', model, '--dir', dir, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    timeout: 240_000,
  });

t.test('one rep of 3 s and a 3-window soak: the table, and every key in the JSON', async (t) => {
  const json = path.join(dir, 'bench.json');
  const { stdout } = await bench(['--minutes', '0.05', '--reps', '1', '--cases', 'default', '--soak', '3', '--soak-window', '1', '--json', json]);
  t.match(stdout, /decode_s\s+infer_s\s+pipeline_s\s+overhead\s+realtime/);
  t.match(stdout, /overhead_ratio <= 1\.0/);
  t.match(stdout, /soak: 3 windows of 1 s/);
  const out = JSON.parse(readFileSync(json, 'utf8'));
  t.same(checkResult(out), [], 'top level: the default case');
  for (const k of RESULT_KEYS) t.equal(out[k], out.cases[0][k], k);
  t.equal(out.cases.length, 1);
  const c = out.cases[0];
  t.equal(c.model, 'tiny.onnx');
  t.equal(c.model_input, '96x96');
  t.equal(c.footage_s, 3);
  t.ok(c.frames >= 20 && c.frames <= 24, `about 3 s × 8 fps frames (${c.frames})`);
  t.ok(c.peak_rss_mb > 50 && c.peak_rss_mb < 2000, `peak RSS ${c.peak_rss_mb} MB`);
  t.equal(c.samples.pipeline_s.length, 1);
  if (process.platform === 'linux') t.ok(c.cpu.pipeline_s > 0 && c.cpu.overhead_ratio > 0, 'CPU seconds beside the wall-clock figures');
  t.equal(c.load.length, 1, 'the load at each repetition');
  t.ok(out.machine.cpus >= 1);
  t.equal(out.targets.length, 4, 'three for the case, one for the soak');
  const { soak } = out;
  t.equal(soak.windows, 3);
  t.equal(soak.rss_mb.length, 3);
  t.ok(soak.max_mb >= soak.first_mb && soak.max_mb >= soak.last_mb);
  t.type(soak.slope_mb_per_window, 'number');
  t.type(soak.growth, 'boolean');
});
