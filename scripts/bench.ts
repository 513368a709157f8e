// Throughput benchmark (issue 8): what a window costs beside its two
// irreducible parts, ffmpeg decoding and ONNX Runtime inference.
//
//   npm run bench -- [--json FILE] [--model PATH] [--reps N] [--minutes M]
//                    [--cases default,1080p,yolov8n] [--soak N [--soak-window S]] [--workers N]
//                    [--ort-threads N] [--ffmpeg-threads N] [--batch N] [--inflight N] [--copy-frames] [--ort-spinning]
//                    [--evidence-seek] [--dir DIR]
//
// Each case runs in its own process (its peak RSS is its own) against the
// embedded PostgreSQL in a temporary folder, on a twin clip rendered once into
// DIR (default var/bench) and reused. Per repetition, interleaved so that load
// from other processes on the shared cores hits every figure alike:
//   decode_s    ffmpeg alone: the pipeline's own commands (same seek, filter graph, threads) with -f null
//   pipeline_s  services/window/run-window.ts end to end: decode, detect (worker thread), signals,
//               tracker, rules, evidence JPEGs, database transaction
//   infer_s     the same detector alone on as many frames, already in memory, in the pipeline's batches
// The table shows medians; FILE gets the default case's keys at the top level,
// every case under "cases", the soak under "soak", and the machine's load.
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildYolov8nLike } from '../models/onnx/yolov8n-like.ts';
import { loadConfig } from '../services/config.ts';
import { openDatabase } from '../services/db/index.ts';
import { log as rootLog } from '../services/log.ts';
import { checkResult, formatTable, median, round, targets, type CaseResult, type SoakSummary } from './bench-lib.ts';
import type { CaseSpec } from './bench-case.ts';
import { ensureClip, PROJECT_ROOT, runChild } from './bench-fixture.ts';


const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    model: { type: 'string' },
    reps: { type: 'string', default: '3' },
    minutes: { type: 'string', default: '5' },
    cases: { type: 'string' },
    soak: { type: 'string' },
    workers: { type: 'string' },
    'soak-window': { type: 'string', default: '10' },
    'ort-threads': { type: 'string' },
    'ffmpeg-threads': { type: 'string' },
    batch: { type: 'string' },
    inflight: { type: 'string' },
    'copy-frames': { type: 'boolean' },
    'ort-spinning': { type: 'boolean' },
    'evidence-seek': { type: 'boolean' },
    dir: { type: 'string' },
  },
});

const config = loadConfig();
const log = rootLog.child({}, { level: process.env['LOG_LEVEL'] ?? 'warn' });
const say = (line: string) => process.stderr.write(line + '\n');
const num = (name: string, v: string | undefined, min: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got ${JSON.stringify(v)}`);
  return n;
};
const reps = Math.round(num('reps', values.reps, 1)!);
const minutes = num('minutes', values.minutes, 0.01)!;
const soakN = num('soak', values.soak, 1);
const workers = num('workers', values.workers, 1);
const soakWindowS = num('soak-window', values['soak-window'], 1)!;
const ortThreads = num('ort-threads', values['ort-threads'], 1);
const ffmpegThreads = num('ffmpeg-threads', values['ffmpeg-threads'], 0);
const batch = num('batch', values.batch, 1);
const inflight = num('inflight', values.inflight, 1);
const model = path.resolve(values.model ?? config.modelPath);
const dir = path.resolve(values.dir ?? path.join(PROJECT_ROOT, 'var', 'bench'));
// --soak or --workers alone run only that; with --cases, those cases too.
const caseNames = (values.cases ?? (soakN || workers ? '' : 'default,1080p,yolov8n')).split(',').map((s) => s.trim()).filter(Boolean);
const known = ['default', '1080p', 'yolov8n'];
for (const c of caseNames) if (!known.includes(c)) throw new Error(`--cases: unknown case ${c} (known: ${known.join(', ')})`);
if (!existsSync(model)) throw new Error(`model ${model} does not exist: train it (npm run train:detector) or pass --model PATH`);

const footageS = round(minutes * 60, 3);
// A COCO-sized model costs ~10x ours a frame: one minute of footage says what it costs.
const YOLO_MAX_S = 60;

const work = path.join(dir, `run-${process.pid}`);
await mkdir(work, { recursive: true });
const loadBefore = os.loadavg();
const t0 = Date.now();
const db = await openDatabase({ pgDataDir: path.join(work, 'postgres'), pgPort: 0 }, log);
const results: CaseResult[] = [];
let scaling: { workers: number; per_worker: { pipeline_s: number[]; wall_s: number }[]; footage_s: number; wall_s: number; realtime_factor: number } | undefined;
let soak: (SoakSummary & { case: string; window_s: number; seconds: number; peak_rss_mb: number }) | undefined;
try {
  const runCase = async (name: string, c: Omit<CaseSpec, 'name' | 'databaseUrl' | 'workDir' | 'reps' | 'sampleFps'>) => {
    const caseWork = path.join(work, `case-${name.replace(/\W+/g, '-')}`);
    const url = new URL(db.url);
    url.pathname = `/bench_${name.replace(/\W+/g, '_').toLowerCase()}`;
    const full: CaseSpec = {
      ...c,
      name,
      databaseUrl: url.toString(),
      workDir: caseWork,
      reps,
      sampleFps: config.sampleFps,
      ...(ortThreads !== undefined ? { ortThreads } : {}),
      ...(ffmpegThreads !== undefined ? { ffmpegThreads } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(inflight !== undefined ? { inflight } : {}),
      ...(values['copy-frames'] ? { copyFrames: true } : {}),
      ...(values['ort-spinning'] ? { ortSpinning: true } : {}),
      ...(values['evidence-seek'] ? { evidenceSeek: true } : {}),
    };
    say(`${name}: ${path.basename(c.model)} on ${c.clip.width}x${c.clip.height}, ${c.footageS} s of footage${c.soak ? `, soak ${c.soak} windows` : `, ${reps} rep(s)`}…`);
    const out = await runChild(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'bench-case.ts'), JSON.stringify(full)], { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as unknown;
  };

  if (soakN) {
    const clip = await ensureClip(dir, 1280, 720, soakWindowS, say);
    soak = (await runCase('soak 720p25', { clip, model, footageS: soakWindowS, soak: soakN, soakWindowS })) as typeof soak;
  }
  if (workers) {
    // N worker processes judging the same kind of window at once: throughput = footage judged / wall time.
    const clip = await ensureClip(dir, 1280, 720, footageS, say);
    const w0 = Date.now();
    const outs = (await Promise.all(Array.from({ length: workers }, (_, i) => runCase(`worker ${i + 1} of ${workers}`, { clip, model, footageS, pipelineOnly: true })))) as {
      pipeline_s: number[];
      wall_s: number;
    }[];
    const wall = (Date.now() - w0) / 1000;
    // Per worker: its median window time; together: the sum of their rates (they overlap while all run).
    const rate = outs.reduce((sum, o) => sum + footageS / median(o.pipeline_s), 0);
    scaling = { workers, per_worker: outs.map((o) => ({ pipeline_s: o.pipeline_s, wall_s: o.wall_s })), footage_s: footageS, wall_s: round(wall, 1), realtime_factor: round(rate, 2) };
  }
  for (const name of caseNames) {
    if (name === 'default') {
      const clip = await ensureClip(dir, 1280, 720, footageS, say);
      results.push((await runCase('720p25 default model', { clip, model, footageS })) as CaseResult);
    } else if (name === '1080p') {
      const clip = await ensureClip(dir, 1920, 1080, footageS, say);
      results.push((await runCase('1080p25 default model', { clip, model, footageS })) as CaseResult);
    } else {
      const clip = await ensureClip(dir, 1280, 720, footageS, say);
      const yolo = path.join(dir, 'yolov8n-like-640.onnx');
      if (!existsSync(yolo)) await writeFile(yolo, buildYolov8nLike({ size: 640 }).bytes);
      results.push((await runCase('720p25 YOLOv8n-sized', { clip, model: yolo, footageS: Math.min(footageS, YOLO_MAX_S) })) as CaseResult);
    }
  }
} finally {
  await db.close();
  await rm(work, { recursive: true, force: true });
}

const machine = {
  cpus: os.availableParallelism(),
  cpu_model: os.cpus()[0]?.model ?? 'unknown',
  memory_gb: round(os.totalmem() / 2 ** 30, 1),
  load_before: loadBefore.map((x) => round(x, 2)),
  load_after: os.loadavg().map((x) => round(x, 2)),
  node: process.version,
  seconds: round((Date.now() - t0) / 1000, 1),
};
if (results.length > 0) {
  console.log(formatTable(results));
  for (const r of results) {
    const problems = checkResult(r as unknown as Record<string, unknown>);
    if (problems.length > 0) console.log(`${r.case}: ${problems.join('; ')}`);
    if (r.cpu) console.log(`${r.case}: CPU seconds decode ${r.cpu.decode_s}, infer ${r.cpu.infer_s}, pipeline ${r.cpu.pipeline_s}: CPU overhead ${r.cpu.overhead_ratio.toFixed(2)}; ONNX Runtime ${r.ort_threads} intra-op thread(s); load at each rep ${r.load?.join(' / ') ?? '?'}`);
  }
}
const main = results.find((r) => r.case.startsWith('720p25 default'));
const verdicts = main ? targets(main, soak) : [];
if (soak) {
  console.log(`soak: ${soak.windows} windows of ${soak.window_s} s: RSS ${soak.first_mb} → ${soak.last_mb} MB (max ${soak.max_mb}), slope ${soak.slope_mb_per_window} MB/window, second half ${soak.late_slope_mb_per_window} MB/window: ${soak.growth ? 'GROWS' : 'no growth'}`);
}
if (scaling) {
  console.log(`${scaling.workers} worker process(es) at once, ${scaling.footage_s} s windows: ${scaling.per_worker.map((w) => w.pipeline_s.join('/')).join(', ')} s per window; together ${scaling.realtime_factor}x realtime`);
}
for (const v of verdicts) console.log(`${v.ok ? 'ok  ' : 'MISS'} ${v.name}: ${v.detail}`);
console.log(`${machine.cpus} cores (${machine.cpu_model}), load average before ${machine.load_before.join(' ')}, after ${machine.load_after.join(' ')}`);

if (values.json) {
  const pick = (r: CaseResult) => Object.fromEntries(['decode_s', 'infer_s', 'pipeline_s', 'overhead_ratio', 'realtime_factor', 'frames', 'peak_rss_mb'].map((k) => [k, r[k as keyof CaseResult]]));
  writeFileSync(values.json, JSON.stringify({ ...(main ? pick(main) : {}), cases: results, ...(soak ? { soak } : {}), ...(scaling ? { scaling } : {}), targets: verdicts, machine }, null, 2) + '\n');
  say(`wrote ${values.json}`);
}
