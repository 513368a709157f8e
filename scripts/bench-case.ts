// One case of the benchmark, in its own process so its peak RSS is its own:
//   node --import tsx scripts/bench-case.ts '<CaseSpec JSON>'
// prints one JSON line (CaseResult, or a soak summary) on stdout.
// Started by scripts/bench.ts; not meant to be run by hand.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { decodeWindow, windowDecodeArgs, type FootageSegment } from '../pipelines/decode/index.ts';
import { loadDetectorInWorker, type Detector, type LetterboxedFrame } from '../pipelines/detect/index.ts';
import { PIPELINE_DEFAULTS, windowDecodeOptions } from '../pipelines/window/process-window.ts';
import type { Calibration } from '../pipelines/sites/schema.ts';
import { segmentsCovering } from '../services/catalog/segments.ts';
import { loadConfig } from '../services/config.ts';
import { openDatabase } from '../services/db/index.ts';
import { log } from '../services/log.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { detectorThreads, openDetector } from '../services/window/detector.ts';
import { runWindow, type WindowDeps } from '../services/window/run-window.ts';
import { caseResult, round, soakSummary, type CaseResult } from './bench-lib.ts';
import { clipCalibration, prepareFootage, type BenchClip } from './bench-fixture.ts';

export interface CaseSpec {
  name: string;
  databaseUrl: string;
  clip: BenchClip;
  model: string;
  /** Footage judged per repetition, seconds from the clip start. */
  footageS: number;
  reps: number;
  sampleFps: number;
  /** ONNX Runtime threads; absent = the production default (services/window/detector.ts). */
  ortThreads?: number;
  /** ffmpeg threads; absent = the production default (0: ffmpeg decides). */
  ffmpegThreads?: number;
  workDir: string;
  /** Detector hand-off overrides (PIPELINE_DEFAULTS), for trying other values. */
  batch?: number;
  inflight?: number;
  /** ONNX Runtime's idle threads spin (its own default) instead of sleeping (ours). */
  ortSpinning?: boolean;
  /** Copy frames to the worker (structured clone) instead of moving them. */
  copyFrames?: boolean;
  /** Every evidence frame by seeking after the window (the archive from the decode turned off), to compare. */
  evidenceSeek?: boolean;
  /** Only the pipeline repetitions (no decode/infer runs): for several workers at once. */
  pipelineOnly?: boolean;
  /** Soak instead of timing: this many consecutive windows of soakWindowS each, RSS after each. */
  soak?: number;
  soakWindowS?: number;
}

const spec = JSON.parse(process.argv[2] ?? readFileSync(0, 'utf8')) as CaseSpec;
if (spec.batch) PIPELINE_DEFAULTS.batchSize = spec.batch;
if (spec.inflight) PIPELINE_DEFAULTS.inflight = spec.inflight;
if (spec.copyFrames) PIPELINE_DEFAULTS.moveBuffers = false;
const config = loadConfig();
const { ffmpeg, ffprobe } = mediaBinaries(config);
// One window at a time, as in a worker with --concurrency 1.
const threads = detectorThreads(config, { windowsAtOnce: 1, ...(spec.ortThreads ? { threads: spec.ortThreads } : {}) });
const db = await openDatabase({ databaseUrl: spec.databaseUrl, pgDataDir: spec.workDir, pgPort: 0 }, log);
try {
  const meta = await prepareFootage(db.pool, spec.clip, path.join(spec.workDir, 'recordings'), log, ffprobe);
  const calibration = await clipCalibration(spec.clip, meta.cameraCode);
  const { detector, modelVersion } = spec.ortSpinning
    ? // openDetector's worker detector with ONNX Runtime's own default (spinning) put back, to compare.
      { detector: await loadDetectorInWorker(spec.model, { spinning: true, intraOpNumThreads: threads }), modelVersion: 'bench' }
    : await openDetector({ modelPath: spec.model, executionProvider: config.executionProvider }, { threads });
  const evidenceDir = path.join(spec.workDir, 'evidence');
  await mkdir(evidenceDir, { recursive: true });
  const deps: WindowDeps = { pool: db.pool, detector, modelVersion, ffmpegPath: ffmpeg, evidenceDir, sampleFps: spec.sampleFps, log, ...(spec.ffmpegThreads !== undefined ? { ffmpegThreads: spec.ffmpegThreads } : {}), ...(spec.evidenceSeek ? { evidenceArchive: false as const } : {}) };
  try {
    const out = spec.soak ? await soak(deps, meta.cameraCode, meta.start.getTime()) : await timeCase(deps, detector, calibration, meta.cameraCode, meta.start.getTime());
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await detector.close();
  }
} finally {
  await db.close();
}

async function timeCase(deps: WindowDeps, detector: Detector, calibration: Calibration, cameraCode: string, start: number): Promise<CaseResult> {
  const from = new Date(start);
  const to = new Date(start + spec.footageS * 1000);
  const segments = await footage(db.pool, cameraCode, from, to);
  const decodeOpts = windowDecodeOptions(
    {
      resolution: { width: spec.clip.width, height: spec.clip.height },
      t0: from.getTime(),
      t1: to.getTime(),
      segments,
      detector,
      ffmpegPath: ffmpeg,
      sampleFps: spec.sampleFps,
      ...(spec.ffmpegThreads !== undefined ? { ffmpegThreads: spec.ffmpegThreads } : {}),
    },
    calibration,
  );
  const samples: CaseResult['samples'] = { decode_s: [], infer_s: [], pipeline_s: [] };
  const cpuSamples: CaseResult['samples'] = { decode_s: [], infer_s: [], pipeline_s: [] };
  const load: number[] = [];
  let frames = 0;
  let ffmpegPeak = 0;
  let peakRss = 0;
  // Warm-up: the first window pays for JIT, pools and the database's caches.
  await runWindow({ cameraCode, from, to: new Date(Math.min(to.getTime(), start + 4000)) }, deps);
  // Interleaved repetitions: a load change on the shared cores hits all three alike.
  if (spec.pipelineOnly) {
    const t0 = performance.now();
    for (let r = 0; r < spec.reps; r++) {
      const t1 = performance.now();
      const report = await runWindow({ cameraCode, from, to }, deps);
      if (report.status !== 'done') throw new Error(`window failed: ${report.reason}`);
      samples.pipeline_s.push((performance.now() - t1) / 1000);
      frames = report.framesAnalysed;
    }
    return { case: spec.name, footage_s: spec.footageS, frames, pipeline_s: samples.pipeline_s.map((x) => round(x)), wall_s: round((performance.now() - t0) / 1000), process_max_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1) } as unknown as CaseResult;
  }
  for (let r = 0; r < spec.reps; r++) {
    load.push(round(os.loadavg()[0]!, 2));
    let c = cpuNow();
    const d = await timeDecode(windowDecodeArgs(decodeOpts, 'null'));
    samples.decode_s.push(d.seconds);
    cpuSamples.decode_s.push(cpuNow().children - c.children);
    ffmpegPeak = Math.max(ffmpegPeak, d.peakMb);
    // RSS of this process (main thread + detector worker) while the pipeline runs; the
    // benchmark's own resident frames below are freed before it.
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 25);
    c = cpuNow();
    const t0 = performance.now();
    const report = await runWindow({ cameraCode, from, to }, deps);
    samples.pipeline_s.push((performance.now() - t0) / 1000);
    const c1 = cpuNow();
    cpuSamples.pipeline_s.push(c1.self - c.self + c1.children - c.children);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (report.status !== 'done') throw new Error(`window failed: ${report.reason}`);
    frames = report.framesAnalysed;
    let resident = await framesInMemory(decodeOpts, 48);
    c = cpuNow();
    samples.infer_s.push(await timeInference(detector, resident, frames));
    cpuSamples.infer_s.push(cpuNow().self - c.self);
    resident = [];
    (globalThis as { gc?: () => void }).gc?.();
  }
  const spec0 = detector.inputSpec;
  return caseResult(
    {
      case: spec.name,
      model: path.basename(spec.model),
      model_input: `${spec0.width}x${spec0.height}`,
      input: `${spec.clip.width}x${spec.clip.height}@${spec.clip.fps}`,
      footage_s: spec.footageS,
      sample_fps: spec.sampleFps,
      batch: PIPELINE_DEFAULTS.batchSize,
      inflight: PIPELINE_DEFAULTS.inflight,
      move_buffers: PIPELINE_DEFAULTS.moveBuffers,
      ort_spinning: spec.ortSpinning ?? false,
      ort_threads: threads,
      ffmpeg_threads: spec.ffmpegThreads ?? 0,
      evidence_frames: spec.evidenceSeek ? 'seek' : 'decode',
      frames,
      peak_rss_mb: round(peakRss / 2 ** 20, 1),
      process_max_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
      peak_ffmpeg_rss_mb: round(ffmpegPeak, 1),
      load,
    },
    samples,
    cpuChildren() === undefined ? undefined : cpuSamples,
  );
}

async function footage(pool: pg.Pool, cameraCode: string, from: Date, to: Date): Promise<FootageSegment[]> {
  const covering = await segmentsCovering(pool, cameraCode, from, to);
  return covering.segments.map((s) => ({ path: s.path, startsAt: s.startsAt.getTime(), endsAt: s.endsAt.getTime(), fps: s.fps, width: s.width, height: s.height }));
}

/** The first n frames of the window, decoded once and copied out of the decoder's reused buffers (a Buffer's slice() would be a view). */
async function framesInMemory(opts: Parameters<typeof decodeWindow>[0], n: number): Promise<LetterboxedFrame[]> {
  const frames: LetterboxedFrame[] = [];
  for await (const f of decodeWindow(opts).frames) {
    frames.push({ index: f.index, t: f.t, width: f.width, height: f.height, data: new Uint8Array(f.data), source: { width: spec.clip.width, height: spec.clip.height } });
    f.release();
    if (frames.length >= n) break;
  }
  return frames;
}

/**
 * The detector alone on `count` frames already in memory (cycling through
 * `resident`), in the pipeline's batches and hand-off (moved to the worker
 * and back when it can), one call at a time.
 */
async function timeInference(detector: Detector, resident: LetterboxedFrame[], count: number): Promise<number> {
  const batch = PIPELINE_DEFAULTS.batchSize;
  const t0 = performance.now();
  for (let i = 0; i < count; i += batch) {
    const ks: number[] = [];
    for (let k = i; k < Math.min(count, i + batch); k++) ks.push(k % resident.length);
    const b = ks.map((k) => resident[k]!);
    if (!detector.detectMoving || !PIPELINE_DEFAULTS.moveBuffers) {
      await detector.detect(b);
      continue;
    }
    const { buffers } = await detector.detectMoving(b);
    ks.forEach((k, j) => (resident[k] = { ...resident[k]!, data: new Uint8Array(buffers[j]!) }));
  }
  return (performance.now() - t0) / 1000;
}

/** ffmpeg alone: each piece's command with `-f null -`, one after the other, as the pipeline runs them. */
async function timeDecode(commands: string[][]): Promise<{ seconds: number; peakMb: number }> {
  const t0 = performance.now();
  let peakMb = 0;
  for (const args of commands) {
    peakMb = Math.max(peakMb, await runFfmpeg(args));
  }
  return { seconds: (performance.now() - t0) / 1000, peakMb };
}

function runFfmpeg(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    let peak = 0;
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    // VmHWM is the process's own high-water mark: the last reading before exit is its peak.
    const timer = setInterval(() => (peak = Math.max(peak, hwmMb(child.pid))), 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve(peak);
      else reject(new Error(`ffmpeg exited with ${code}: ${tail}`));
    });
  });
}

/** CPU seconds of this process (every thread: main, detector worker, ONNX Runtime's pool) and of its reaped children (ffmpeg). */
function cpuNow(): { self: number; children: number } {
  const u = process.cpuUsage();
  return { self: (u.user + u.system) / 1e6, children: cpuChildren() ?? 0 };
}

/** cutime + cstime from /proc/self/stat (Linux; clock ticks of 1/100 s); undefined elsewhere. */
function cpuChildren(): number | undefined {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return undefined;
  }
}

function hwmMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Consecutive short windows in one process; RSS after each (after a GC when exposed, so garbage is not growth). */
async function soak(deps: WindowDeps, cameraCode: string, start: number) {
  const n = spec.soak!;
  const w = spec.soakWindowS ?? 10;
  const slots = Math.max(1, Math.floor(spec.clip.seconds / w));
  const rss: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const from = new Date(start + (i % slots) * w * 1000);
    const report = await runWindow({ cameraCode, from, to: new Date(from.getTime() + w * 1000) }, deps);
    if (report.status !== 'done') throw new Error(`soak window ${i} failed: ${report.reason}`);
    (globalThis as { gc?: () => void }).gc?.();
    rss.push(process.memoryUsage.rss() / 2 ** 20);
  }
  return { case: spec.name, window_s: w, seconds: round((performance.now() - t0) / 1000, 1), peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1), ...soakSummary(rss) };
}
