// `npm run eval` end to end on a 10-second twin clip with the shipped model:
// the JSON the issue asks for, its figures consistent with the twin's ground
// truth, a replay of the recorded detections giving the same report, and bad
// arguments refused by name before anything is rendered.
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simulateClip } from '../../pipelines/sim/index.ts';
import { CATEGORIES } from '../../pipelines/types.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-eval-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const evalCli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'eval.ts'), '--out', dir, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    timeout: 240_000,
  });
// Seed 928's first 10 s by day hold a red-light runner and a jaywalker.
const SEED = 928;
const args = ['--seed', String(SEED), '--conditions', 'day', '--minutes', String(10 / 60), '--clip-seconds', '10'];

t.test('one 10 s clip: every key, consistent with the twin\'s truth; a replay reports the same', async (t) => {
  const json = path.join(dir, 'live.json');
  const { stdout } = await evalCli([...args, '--json', json]);
  t.match(stdout, /category\s+tp\s+fp\s+fn\s+precision\s+recall/);
  t.match(stdout, /exposures, person by person/);
  const r = JSON.parse(readFileSync(json, 'utf8'));
  const truth = simulateClip({ seed: SEED, seconds: 10, conditions: 'day' }).groundTruth;
  t.ok(truth.events.length >= 2, 'the clip has events to find');
  t.equal(r.seed, SEED);
  t.equal(r.frames, 80, '10 s at 8 fps');
  t.type(r.id_switches, 'number');
  for (const c of CATEGORIES) {
    const k = r.categories[c];
    t.equal(k.tp + k.fn, truth.events.filter((e) => e.category === c).length, `${c}: tp + fn = the true events`);
    t.equal(k.precision, k.tp + k.fp > 0 ? k.tp / (k.tp + k.fp) : null, `${c}: precision`);
    t.same(r.compliance[c].truth, truth.counts[c], `${c}: true exposures and violations`);
    const e = r.exposures[c];
    t.equal(e.found, r.compliance[c].found.exposures, `${c}: every counted exposure checked`);
    t.equal(e.right + e.twice + e.wrong, e.found, `${c}: right + twice + wrong = counted`);
    t.equal(e.truth, truth.counts[c].exposures, `${c}: true exposed road users`);
    t.ok(e.right <= e.truth, `${c}: right at most the true ones`);
    const rate = (x: { exposures: number; violations: number }) => (x.exposures > 0 ? 1 - x.violations / x.exposures : null);
    const a = rate(r.compliance[c].found);
    const b = rate(r.compliance[c].truth);
    t.equal(r.compliance_rate_error_pp[c], a === null || b === null ? null : Math.abs(a - b) * 100, `${c}: compliance-rate error`);
  }
  t.ok(r.categories.red_light.tp + r.categories.jaywalk.tp >= 1, 'the shipped model finds at least one of the clip\'s violations');
  t.ok(readdirSync(dir).some((f) => f.endsWith('.dets.json.gz')), 'detections recorded beside the clip');

  const again = path.join(dir, 'replay.json');
  await evalCli([...args, '--replay', '--json', again]);
  const { model: _m1, ...live } = r;
  const { model: _m2, ...replayed } = JSON.parse(readFileSync(again, 'utf8'));
  t.same(replayed, live, 'replaying the recorded detections: the same report');
});

t.test('bad arguments: refused by name, exit status 2, nothing rendered', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--minutes', 'abc'], /--minutes expects a number, got "abc"/],
    [['--clip-seconds', '0'], /--clip-seconds expects a number in \[1, inf\], got 0/],
    [['--seed', '1.5'], /--seed expects an integer, got "1\.5"/],
    [['--draw', path.join(dir, 'drawn'), '--draw-every', '0'], /--draw-every expects an integer in \[1, inf\], got 0/],
    [['--conditions', 'day,fog'], /unknown condition "fog"/],
    [['--model', path.join(dir, 'missing.onnx')], /model .*missing\.onnx not found/],
  ];
  const sub = path.join(dir, 'bad');
  for (const [extra, message] of cases) {
    const err = await run(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'eval.ts'), '--out', sub, '--seed', '5', ...extra], { cwd: root, timeout: 60_000 }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    t.equal(err?.code, 2, `${extra.join(' ')}: exit status 2`);
    t.match(err?.stderr ?? '', message, `${extra.join(' ')}: says what is wrong`);
  }
  t.notOk(existsSync(sub), 'no clip rendered');
});
