// `npm run demo`: Crosswatch's main job end to end on embedded defaults, the
// way an operator runs it, through the real CLI:
//   sim archive → sites import → catalog → plan → run → worker → run status
//   → rollup (ratings) → ranking (bands, red and black flags) → simulate (pass probability)
// and finally the judged windows beside the digital twin's ground truth.
// Everything lands in the embedded database under CROSSWATCH_DATA_DIR
// (default ./var), so `npx crosswatch serve` shows it on the dashboard.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/config.ts';
import { log } from '../services/log.ts';
import { readGroundTruth, truthInWindow } from '../pipelines/sim/index.ts';
import type { GroundTruth } from '../pipelines/sim/index.ts';
import { complianceRate } from '../pipelines/stats/rates.ts';
import { CATEGORIES, type Category } from '../pipelines/types.ts';

const { values } = parseArgs({
  options: {
    intersections: { type: 'string', default: '4' },
    'clips-per-day': { type: 'string', default: '3' },
    days: { type: 'string', default: '1' },
    'clip-seconds': { type: 'string', default: '40' },
    month: { type: 'string', default: '2025-03' },
    seed: { type: 'string', default: '7' },
  },
});

const config = loadConfig();
const CLI = path.resolve(import.meta.dirname, '..', 'bin', 'crosswatch.js');
const out = (s = '') => process.stdout.write(s + '\n');

/** Runs a crosswatch command; its output goes to the terminal unless captured. */
function crosswatch(args: string[], capture = false): string {
  out(`\n$ crosswatch ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`crosswatch ${args[0]} exited with ${r.status ?? r.signal}`);
  return r.stdout ?? '';
}

async function main(): Promise<void> {
  const started = Date.now();
  const archive = path.join(config.dataDir, 'demo', 'recordings');
  const n = { intersections: Number(values.intersections), perDay: Number(values['clips-per-day']), days: Number(values.days), seconds: Number(values['clip-seconds']) };
  const windowsPerIntersection = n.perDay * n.days;
  // Windows a little shorter than the clips, so the draw has room to be random.
  const windowMinutes = Math.floor((n.seconds * 0.75) / 6) / 10 || 0.1;
  out(`Crosswatch demo: ${n.intersections} intersections × ${n.days} day(s) × ${n.perDay} clips of ${n.seconds} s; data in ${config.dataDir}`);

  if (existsSync(path.join(archive, 'sites.json'))) out(`\nReusing the recordings archive in ${archive}`);
  else {
    crosswatch(['sim', 'archive', '--intersections', String(n.intersections), '--month', values.month!, '--days', String(n.days),
      '--clips-per-day', String(n.perDay), '--clip-seconds', String(n.seconds), '--seed', values.seed!, '--out', archive]);
  }
  crosswatch(['sites', 'import', path.join(archive, 'sites.json')]);
  crosswatch(['catalog', archive]);
  const plan = JSON.parse(crosswatch(['plan', '--month', values.month!, '--scope', 'intersection', '--windows', String(windowsPerIntersection),
    '--minutes', String(windowMinutes), '--seed', values.seed!, '--json'], true)) as { id: number; windows: PlanWindow[] };
  out(`plan ${plan.id}: ${plan.windows.length} windows of ${windowMinutes} min, ${windowsPerIntersection} per intersection`);
  const run = JSON.parse(crosswatch(['run', '--plan', String(plan.id), '--json'], true)) as { run: number; queued: number };
  out(`run ${run.run}: ${run.queued} windows queued`);
  crosswatch(['worker', '--exit-when-idle', '--skip-nightly', '--concurrency', '1']);
  crosswatch(['run', 'status', String(run.run)]);
  crosswatch(['rollup', '--month', values.month!]);
  crosswatch(['ranking', '--month', values.month!]);
  crosswatch(['simulate', '--month', values.month!, '--windows', String(Math.max(1, windowsPerIntersection - 1)), '--minutes', String(windowMinutes),
    '--draws', '2000', '--min-windows', String(windowsPerIntersection)]);

  out('\nThe judged windows beside the twin\'s ground truth (same windows, same categories):');
  await compareWithTruth(archive, plan.windows);
  out(`\nDemo done in ${((Date.now() - started) / 1000).toFixed(0)} s. Evidence images: ${config.evidenceDir}`);
  out('Next: `npx crosswatch keys create --role reviewer --name me`, then `npx crosswatch serve` and open http://127.0.0.1:8080/ with that key.');
}

interface PlanWindow {
  camera: string;
  intersection: string;
  from: string;
  to: string;
}

/** Ground-truth counts inside each planned window, summed per camera, beside the stored counts. */
async function compareWithTruth(archive: string, windows: PlanWindow[]): Promise<void> {
  const truths = await loadTruths(archive);
  const found = await storedCounts(windows);
  out('camera       category              Crosswatch viol/exp  compliance          truth viol/exp  compliance');
  let compared = 0;
  let inside = 0;
  for (const camera of [...new Set(windows.map((w) => w.camera))].sort()) {
    const truth = emptyTally();
    for (const w of windows.filter((x) => x.camera === camera)) addTruth(truth, truths.get(camera) ?? [], Date.parse(w.from), Date.parse(w.to));
    const mine = found.get(camera) ?? emptyTally();
    for (const c of CATEGORIES) {
      out(`${camera.padEnd(12)} ${c.padEnd(20)} ${`${mine[c][1]}/${mine[c][0]}`.padStart(19)}  ${pct(mine[c]).padEnd(18)} ${`${truth[c][1]}/${truth[c][0]}`.padStart(14)}  ${pct(truth[c])}`);
      const m = complianceRate(mine[c][0], mine[c][1], 0);
      const tr = complianceRate(truth[c][0], truth[c][1], 0);
      if (m.interval && tr.rate !== null) {
        compared++;
        if (tr.rate >= m.interval.low - 1e-9 && tr.rate <= m.interval.high + 1e-9) inside++;
      }
    }
  }
  out(`\n${inside} of ${compared} figures with a sample on both sides: the twin's compliance rate lies inside Crosswatch's 95% interval.`);
}

type Tally = Record<Category, [exposures: number, violations: number]>;
const emptyTally = () => Object.fromEntries(CATEGORIES.map((c) => [c, [0, 0]])) as Tally;
const pct = ([e, v]: [number, number]) => {
  const r = complianceRate(e, v, 0);
  return r.rate === null ? 'n/a (n=0)' : `${(100 * r.rate).toFixed(0)}% [${(100 * r.interval!.low).toFixed(0)}-${(100 * r.interval!.high).toFixed(0)}] n=${e}`;
};

async function loadTruths(root: string): Promise<Map<string, GroundTruth[]>> {
  const byCamera = new Map<string, GroundTruth[]>();
  for (const camera of (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    const list: GroundTruth[] = [];
    for (const day of await readdir(path.join(root, camera.name))) {
      for (const f of (await readdir(path.join(root, camera.name, day))).filter((x) => x.endsWith('.gt.json.gz'))) {
        list.push(await readGroundTruth(path.join(root, camera.name, day, f)));
      }
    }
    byCamera.set(camera.name, list);
  }
  return byCamera;
}

/** The twin's counts for the part of each clip the window covers (truthInWindow: road users already waiting at red count). */
function addTruth(tally: Tally, truths: GroundTruth[], from: number, to: number): void {
  for (const gt of truths) {
    const start = Date.parse(gt.start);
    const seconds = gt.frameCount / gt.fps;
    if (to <= start || from >= start + seconds * 1000) continue;
    const part = truthInWindow(gt, Math.max(0, (from - start) / 1000), Math.min(seconds, (to - start) / 1000));
    for (const c of CATEGORIES) {
      tally[c][0] += part[c].exposures;
      tally[c][1] += part[c].violations;
    }
  }
}

async function storedCounts(windows: PlanWindow[]): Promise<Map<string, Tally>> {
  const { withDatabase } = await import('../services/db/index.ts');
  return withDatabase(config, log, async ({ pool }) => {
    const rows = (
      await pool.query<{ code: string; category: Category; exposures: number; violations: number }>(
        `SELECT c.code, wc.category, sum(wc.exposures)::int AS exposures, sum(wc.violations)::int AS violations
           FROM windows w JOIN cameras c ON c.id = w.camera_id JOIN window_counts wc ON wc.window_id = w.id
          WHERE (c.code, w.starts_at, w.ends_at) IN (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]))
          GROUP BY c.code, wc.category`,
        [windows.map((w) => w.camera), windows.map((w) => w.from), windows.map((w) => w.to)],
      )
    ).rows;
    const map = new Map<string, Tally>();
    for (const r of rows) {
      const t = map.get(r.code) ?? emptyTally();
      t[r.category] = [r.exposures, r.violations];
      map.set(r.code, t);
    }
    return map;
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
