// `crosswatch sim archive` (pipelines/sim/archive-write.ts): a tiny archive
// (2 intersections, 3 days, 1 clip a day, 2-second 320x180 clips) in the
// catalog's layout with its sites file; reproducible from the seed; each
// junction with its own propensity; resumable after a killed run.
import t from 'tap';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Value } from '@sinclair/typebox/value';
import { isVideoFile, parseFootagePath } from '../../../pipelines/catalog/layout.ts';
import { SitesSchema, type SitesFile } from '../../../pipelines/sites/schema.ts';
import { behaviourFor, planArchive, propensity, type Trend } from '../../../pipelines/sim/archive.ts';
import { writeArchive, type WriteArchiveOptions } from '../../../pipelines/sim/archive-write.ts';
import { partialPath, readGroundTruth } from '../../../pipelines/sim/clip.ts';
import { binaries } from '../../helpers/clips.ts';

const root = mkdtempSync(path.join(tmpdir(), 'sim-archive-test-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

const OPTS = { intersections: 2, month: '2025-03', clipsPerDay: 1, clipSeconds: 2, days: 3, seed: 7, timeZone: 'Asia/Shanghai', width: 320, height: 180, fps: 10, ffmpegPath: binaries.ffmpeg } satisfies Omit<WriteArchiveOptions, 'out'>;
const plan = planArchive(OPTS);

/** Every file under dir, relative, with "/" separators. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const gtText = (file: string) => gunzipSync(readFileSync(file)).toString('utf8');

function frameCount(file: string): number {
  const out = execFileSync(binaries.ffprobe, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(out.trim());
}

/** Inode and modification time of each clip file: what a rewrite would change. */
function stamps(dir: string): Record<string, string> {
  return Object.fromEntries(files(dir).filter((f) => f !== 'sites.json').map((f) => {
    const s = statSync(path.join(dir, f));
    return [f, `${s.ino}:${s.mtimeMs}`];
  }));
}

const a = path.join(root, 'a');
const first = await writeArchive({ ...OPTS, out: a });

t.test('the archive is in the catalog layout, with a sites file for every intersection', async (t) => {
  t.equal(plan.clips.length, 6);
  t.equal(first.clips, 6);
  t.equal(first.skipped, 0);
  const expected = ['sites.json', ...plan.clips.flatMap((c) => [`${c.relPath}.gt.json.gz`, `${c.relPath}.mp4`])].sort();
  t.same(files(a), expected, 'one video and one ground truth per clip, nothing half written left behind');
  t.equal(files(a).filter((f) => isVideoFile(path.basename(f))).length, 6, 'the catalog sees six recordings');

  const sites = JSON.parse(readFileSync(first.sites, 'utf8')) as SitesFile;
  t.ok(Value.Check(SitesSchema, sites), [...Value.Errors(SitesSchema, sites)].slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ') || 'schema');
  t.same(sites.intersections.map((i) => i.cameras.map((c) => c.code)), plan.profiles.map((p) => [p.cameraCode]));

  for (const c of plan.clips) {
    const where = parseFootagePath(`${c.relPath}.mp4`);
    t.equal(where.camera, c.intersection.cameraCode, `${c.relPath}: camera folder`);
    const [y, mo, d] = c.localDate.split('-').map(Number);
    const [h, mi, s] = c.localTime.split('-').map(Number);
    t.same(where.localStart, { year: y, month: mo, day: d, hour: h, minute: mi, second: s }, `${c.relPath}: local start from the names`);
    const gt = await readGroundTruth(path.join(a, `${c.relPath}.gt.json.gz`));
    t.same([gt.cameraCode, gt.intersectionCode, gt.start, gt.seed, gt.width, gt.height, gt.fps, gt.frameCount], [c.intersection.cameraCode, c.intersection.code, c.start.toISOString(), c.seed, 320, 180, 10, 20]);
    t.same(gt.conditions, c.conditions);
  }
  t.equal(frameCount(path.join(a, `${plan.clips[0]!.relPath}.mp4`)), 20, 'a clip decodes to all its frames');
  const total = Object.values(first.counts).reduce((n, c) => n + c.exposures, 0);
  t.ok(total >= 0 && Object.keys(first.counts).length > 0, 'counts summed over the clips');
});

t.test('the same seed writes the same ground truth and sites file; another seed does not', async (t) => {
  const b = path.join(root, 'b');
  await writeArchive({ ...OPTS, out: b });
  t.same(files(b), files(a));
  t.equal(readFileSync(path.join(b, 'sites.json'), 'utf8'), readFileSync(path.join(a, 'sites.json'), 'utf8'));
  for (const f of files(a).filter((f) => f.endsWith('.gt.json.gz'))) t.equal(gtText(path.join(b, f)), gtText(path.join(a, f)), f);
  const other = planArchive({ ...OPTS, seed: 8 });
  t.not(other.clips.map((c) => c.seed).join(), plan.clips.map((c) => c.seed).join(), 'seed 8 plans other clips');
});

t.test('intersections get different propensities', async (t) => {
  const [j1, j2] = plan.profiles;
  t.same([j1!.trend, j2!.trend], ['orderly', 'poor']);
  const b1 = behaviourFor(j1!, 0);
  const b2 = behaviourFor(j2!, 0);
  t.ok(b2.redLightRun! > b1.redLightRun!, `red-light running ${b1.redLightRun} (orderly) < ${b2.redLightRun} (poor)`);
  t.ok(b2.pedDontWalk! > b1.pedDontWalk!, 'and walking on red');
  for (const c of plan.clips) t.same(c.behaviour, behaviourFor(c.intersection, (Number(c.localDate.slice(8)) - 1) / 30), `${c.relPath} uses its junction's behaviour`);
  const sites = JSON.parse(readFileSync(first.sites, 'utf8')) as SitesFile;
  t.same(sites.intersections.map((i) => i.district), ['Simulated district (orderly)', 'Simulated district (poor)']);
  // Over the month: one row per trend, propensity on the first, middle and last day.
  const rows: [Trend, number, number, number][] = [
    ['orderly', 0.3, 0.3, 0.3],
    ['poor', 1.8, 1.8, 1.8],
    ['improving', 1.9, 1.15, 0.4],
    ['worsening', 0.4, 1.15, 1.9],
  ];
  for (const [trend, d0, mid, end] of rows) t.same([propensity(trend, 0), propensity(trend, 0.5), propensity(trend, 1)].map((x) => Math.round(x * 100) / 100), [d0, mid, end], trend);
});

t.test('a re-run into the same folder leaves finished clips alone and redoes cut-short ones', async (t) => {
  const before = stamps(a);
  const skippedFlags: boolean[] = [];
  const again = await writeArchive({ ...OPTS, out: a, onClip: (_c, _i, _n, skipped) => skippedFlags.push(skipped) });
  t.equal(again.skipped, 6);
  t.same(skippedFlags, [true, true, true, true, true, true]);
  t.same(stamps(a), before, 'no clip file rewritten');
  t.same(again.counts, first.counts, 'counts read back from the ground truth on disk');

  // Clip 1: a video without its ground truth (killed between the two). Clip 3: only a partial video.
  const [c1, c3] = [plan.clips[1]!, plan.clips[3]!];
  const gt1 = gtText(path.join(a, `${c1.relPath}.gt.json.gz`));
  unlinkSync(path.join(a, `${c1.relPath}.gt.json.gz`));
  truncateSync(path.join(a, `${c1.relPath}.mp4`), 100);
  const gt3 = gtText(path.join(a, `${c3.relPath}.gt.json.gz`));
  unlinkSync(path.join(a, `${c3.relPath}.gt.json.gz`));
  unlinkSync(path.join(a, `${c3.relPath}.mp4`));
  writeFileSync(partialPath(path.join(a, `${c3.relPath}.mp4`)), 'half a clip');
  const mid = stamps(a);

  const resumed = await writeArchive({ ...OPTS, out: a });
  t.equal(resumed.skipped, 4);
  t.same(files(a), files(path.join(root, 'b')), 'the same files as a clean run, no partial left');
  for (const c of [c1, c3]) t.equal(frameCount(path.join(a, `${c.relPath}.mp4`)), 20, `${c.relPath} rendered again`);
  t.equal(gtText(path.join(a, `${c1.relPath}.gt.json.gz`)), gt1);
  t.equal(gtText(path.join(a, `${c3.relPath}.gt.json.gz`)), gt3);
  const after = stamps(a);
  const ofClip = (f: string, rel: string) => path.dirname(f) === path.dirname(rel) && path.basename(f).includes(path.basename(rel));
  for (const [f, s] of Object.entries(mid)) if (!ofClip(f, c1.relPath) && !ofClip(f, c3.relPath)) t.equal(after[f], s, `${f} untouched`);
  t.same(resumed.counts, first.counts);
});

t.test('clips from another plan are not taken for finished ones', async (t) => {
  const c = path.join(root, 'c');
  await writeArchive({ ...OPTS, days: 1, out: c });
  const other = await writeArchive({ ...OPTS, days: 1, out: c, fps: 5 });
  t.equal(other.skipped, 0, 'a different frame rate renders every clip again');
  const gt = await readGroundTruth(path.join(c, `${plan.clips[0]!.relPath}.gt.json.gz`));
  t.equal(gt.fps, 5);
});

t.test('a run killed mid-clip leaves no half clip under a final name, and a re-run finishes it', async (t) => {
  const k = path.join(root, 'killed');
  // Longer clips, so that the kill lands inside one.
  const opts = { ...OPTS, clipSeconds: 8, days: 2, out: k };
  const child = spawn(process.execPath, ['--import=tsx', path.join(import.meta.dirname, 'fixtures', 'archive-child.ts'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let done = '';
  child.stdout.on('data', (d: Buffer) => (done += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Kill it while the second clip is being encoded.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const partial = files(k).find((f) => f.endsWith('.mp4.partial'));
    if (done.split('\n').filter(Boolean).length >= 1 && partial) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await exited;
  await new Promise((r) => setTimeout(r, 300));
  const left = files(k);
  t.ok(left.some((f) => f.endsWith('.partial')), `killed inside a clip: ${left.join(', ')}`);
  for (const f of left.filter((f) => f.endsWith('.mp4'))) {
    t.ok(left.includes(f.replace(/\.mp4$/, '.gt.json.gz')), `${f} is a finished clip`);
    t.equal(frameCount(path.join(k, f)), 80, `${f} decodes whole`);
  }
  const before = stamps(k);
  const resumed = await writeArchive(opts);
  t.equal(resumed.clips, 4);
  t.ok(resumed.skipped >= 1 && resumed.skipped < 4, `skipped ${resumed.skipped}`);
  t.notOk(files(k).some((f) => f.endsWith('.partial')), 'no partial left');
  t.equal(files(k).filter((f) => f.endsWith('.mp4')).length, 4);
  const after = stamps(k);
  for (const f of Object.keys(before).filter((f) => f.endsWith('.gt.json.gz'))) t.equal(after[f], before[f], `${f} kept`);
});
