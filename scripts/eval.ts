// `npm run eval -- --seed S --conditions day,night,rain --minutes M --json FILE`
// Accuracy of the whole window pipeline on the digital twin: renders footage
// (reused when present), judges it exactly as a worker would (decode, signal
// heads, detector, tracker, rules), and compares with the ground truth:
// per category precision / recall (events matched by road user and time),
// compliance-rate error in percentage points, tracker id switches, and the
// share of frames whose signal states were read right.
// --draw DIR writes every --draw-every'th analysed frame as a PNG: the
// detector's boxes and the signal heads as read over the frame, beside the
// ground truth, for a person to check by eye.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/config.ts';
import { log } from '../services/log.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { loadDetectorInWorker, siblingConfigPath } from '../pipelines/detect/index.ts';
import { writeClip, writeGroundTruth, simulateClip, sitesFor, parseConditions, type GroundTruth } from '../pipelines/sim/index.ts';
import { processWindow } from '../pipelines/window/process-window.ts';
import { matchClips, scoreByCategory, type CategoryScore, type ClipEvents, type TruthEvent } from '../pipelines/eval/match-events.ts';
import { idSwitchCounter } from '../pipelines/eval/id-switches.ts';
import { addExposureTally, emptyExposureTally, scoreExposures, tallyExposures, trackFollower, type ExposureScore, type ExposureTally } from '../pipelines/eval/match-exposures.ts';
import { decodeRecording, encodeRecording, replayWindow, type DetectionRecording, type RecordedFrame } from '../pipelines/eval/replay.ts';
import type { Detector } from '../pipelines/detect/index.ts';
import { CATEGORIES, type Box, type Category, type SignalColour } from '../pipelines/types.ts';
import type { RulesFrame, WindowJudgement } from '../pipelines/rules/index.ts';
import { startProgress } from '../services/cli/progress.ts';
import { numberOpt } from '../services/cli/command.ts';
import { frameOverlaySvg, type OverlaySignal } from '../pipelines/eval/frame-overlay.ts';
import type { Calibration } from '../pipelines/sites/schema.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '5000' },
    conditions: { type: 'string', default: 'day,night,rain' },
    minutes: { type: 'string', default: '10' },
    'clip-seconds': { type: 'string', default: '60' },
    json: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    // Reuse the detections recorded by an earlier run with the same model
    // (PATH.<model>.<fps>fps.dets.json.gz beside each clip) instead of running
    // it: decode, signal heads, tracker and rules still run for real.
    replay: { type: 'boolean', default: false },
    // With --replay: the recorded signal states too (tracker and rules only, no decoding).
    'replay-signals': { type: 'boolean', default: false },
    draw: { type: 'string' },
    'draw-every': { type: 'string', default: '16' },
  },
});

/** A bad argument: one line naming it, exit status 2, nothing rendered and no stack trace. */
function badArg(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(2);
}
/** The CLI's own number reader (named option, what it expects), its usage error turned into badArg. */
const numberArg = (name: 'seed' | 'minutes' | 'clip-seconds' | 'draw-every', opts: Parameters<typeof numberOpt>[2]): number => {
  try {
    return numberOpt({ values, positionals: [] }, name, opts);
  } catch (err) {
    return badArg((err as Error).message);
  }
};

const config = loadConfig();
const modelPath = path.resolve(values.model ?? config.modelPath);
const seed0 = numberArg('seed', { min: 0, integer: true });
const conditions = values.conditions!.split(',').map((c) => c.trim()).filter(Boolean);
if (conditions.length === 0) badArg('--conditions names no condition (e.g. day,night,rain)');
for (const c of conditions) {
  try {
    parseConditions(c);
  } catch (err) {
    badArg(`--conditions: ${(err as Error).message}`);
  }
}
const minutes = numberArg('minutes', { min: 0.01 });
const clipSeconds = numberArg('clip-seconds', { min: 1 });
if (!existsSync(modelPath)) badArg(`model ${modelPath} not found (--model, or CROSSWATCH_MODEL)`);
const clipsPer = Math.max(1, Math.round((minutes * 60) / clipSeconds));
const dir = path.resolve(values.out ?? path.join(config.dataDir, 'eval'));
const drawDir = values.draw === undefined ? undefined : path.resolve(values.draw);
const drawEvery = numberArg('draw-every', { min: 1, integer: true });
let drawn = 0;
/**
 * Recordings are per model file version (name, size and modification time)
 * and per model config (`<model>.json`, which sets NMS and the rider merge):
 * a config change must not replay detections made under the old one.
 */
const modelTag = (() => {
  const name = path.basename(modelPath, '.onnx');
  if (!existsSync(modelPath)) return name;
  const st = statSync(modelPath);
  const configPath = siblingConfigPath(modelPath);
  const config = existsSync(configPath) ? `-c${createHash('sha256').update(readFileSync(configPath)).digest('hex').slice(0, 8)}` : '';
  return `${name}-${st.size}-${Math.round(st.mtimeMs)}${config}`;
})();

interface Tally {
  /** Per clip, what was found and the truth: matched clip by clip (matchClips). */
  clips: ClipEvents[];
  counts: Record<Category, { found: [number, number]; truth: [number, number] }>;
  /** Exposures checked person by person (match-exposures.ts). */
  exposures: Record<Category, ExposureTally>;
  idSwitches: number;
  idMatched: number;
  signalFrames: number;
  signalCorrect: number;
  frames: number;
  seconds: number;
}

const newTally = (): Tally => ({
  clips: [],
  counts: Object.fromEntries(CATEGORIES.map((c) => [c, { found: [0, 0], truth: [0, 0] }])) as Tally['counts'],
  exposures: Object.fromEntries(CATEGORIES.map((c) => [c, emptyExposureTally()])) as Tally['exposures'],
  idSwitches: 0,
  idMatched: 0,
  signalFrames: 0,
  signalCorrect: 0,
  frames: 0,
  seconds: 0,
});

async function main(): Promise<void> {
  const { ffmpeg } = mediaBinaries(config);
  await mkdir(dir, { recursive: true });
  let loaded: Promise<Detector> | undefined;
  const detector = { get: () => (loaded ??= loadDetectorInWorker(modelPath)) };
  const byCondition = new Map<string, Tally>();
  const bar = startProgress(log, 'eval', conditions.length * clipsPer, 'clips');
  try {
    for (const [ci, condition] of conditions.entries()) {
      const tally = newTally();
      for (let k = 0; k < clipsPer; k++) {
        const seed = seed0 + ci * 1000 + k;
        const base = path.join(dir, `${seed}-${condition.replace(/,/g, '+')}-${clipSeconds}s`);
        let gt: GroundTruth;
        if (!existsSync(`${base}.gt.json.gz`) || !existsSync(`${base}.mp4`)) {
          gt = (await writeClip({ seed, seconds: clipSeconds, conditions: condition, out: base, ffmpegPath: ffmpeg, writeSites: false })).clip.groundTruth;
        } else {
          // Footage is reused; the ground truth is derived afresh (cheap), so a fix to it applies to rendered clips.
          gt = simulateClip({ seed, seconds: clipSeconds, conditions: condition }).groundTruth;
          await writeGroundTruth(`${base}.gt.json.gz`, gt);
        }
        await judgeClip(base, gt, tally, detector, ffmpeg);
        bar.tick(1, `${condition} ${seed}`);
      }
      byCondition.set(condition, tally);
    }
  } finally {
    bar.stop();
    if (loaded) await (await loaded).close();
  }
  if (values.verbose) for (const [c, t] of byCondition) printMisses(c, t);
  const report = buildReport(byCondition);
  printReport(report);
  if (drawDir !== undefined) console.log(`${drawn} frames drawn to ${drawDir} (every ${drawEvery}th analysed frame)`);
  if (values.json) await writeFile(values.json, JSON.stringify(report, null, 2) + '\n');
}

/** Wraps a detector so every frame's detections are kept, by frame index. */
function recording(d: Detector, into: Map<number, RecordedFrame['detections']>): Detector {
  const keep = (batch: readonly { index: number }[], res: RecordedFrame['detections'][]) => batch.forEach((f, i) => into.set(f.index, res[i] ?? []));
  return Object.assign(Object.create(d) as Detector, {
    detect: async (batch: Parameters<Detector['detect']>[0]) => {
      const idx = batch.map((f) => ({ index: f.index }));
      const res = await d.detect(batch);
      keep(idx, res);
      return res;
    },
    ...(d.detectMoving
      ? {
          detectMoving: async (batch: Parameters<Detector['detect']>[0]) => {
            const idx = batch.map((f) => ({ index: f.index }));
            const res = await d.detectMoving!(batch);
            keep(idx, res.detections);
            return res;
          },
        }
      : {}),
  });
}

/** A stand-in detector answering each frame with its recorded detections (small input: decoding stays cheap). */
function recordedDetector(frames: readonly RecordedFrame[]): Detector {
  const byIndex = new Map(frames.map((f) => [f.frameIndex, f.detections]));
  return {
    inputSpec: { name: 'recorded', width: 32, height: 32, layout: 'NHWC', dtype: 'uint8', range: '0-255', maxBatch: Infinity },
    layout: 'crosswatch',
    modelClasses: [],
    detect: async (batch) => batch.map((f) => byIndex.get(f.index) ?? []),
    close: async () => undefined,
  };
}

async function judgeClip(base: string, gt: GroundTruth, tally: Tally, detector: { get: () => Promise<Detector> }, ffmpeg: string): Promise<void> {
  const start = Date.parse(gt.start);
  const end = start + (gt.frameCount / gt.fps) * 1000;
  const sites = sitesFor({ seed: gt.seed, layout: gt.layout, width: gt.width, height: gt.height, cameraCode: gt.cameraCode, intersectionCode: gt.intersectionCode, timeZone: gt.timeZone });
  const camera = sites.intersections[0]!.cameras[0]!;
  const gtFrame = (t: number) => gt.frames[Math.min(gt.frameCount - 1, Math.max(0, Math.round(((t - start) / 1000) * gt.fps)))] ?? [];
  const boxOf = (row: readonly number[]): Box => ({ x1: row[2]!, y1: row[3]!, x2: row[4]!, y2: row[5]! });
  /** The true road users at least half in view at time t (id switches and --draw compare against these). */
  const seenAt = (t: number) => gtFrame(t).filter((r) => r[6]! >= 0.5);
  const ids = idSwitchCounter();
  const follower = trackFollower();
  /** Frames to draw (--draw): their time, accepted signal states and, once known, detections. */
  const toDraw: { t: number; frameIndex: number; signals: RulesFrame['signals']['states'] }[] = [];
  const onFrame = (f: RulesFrame) => {
    if (drawDir !== undefined && tally.frames % drawEvery === 0) toDraw.push({ t: f.t, frameIndex: f.frameIndex, signals: f.signals.states });
    tally.frames++;
    const truth = seenAt(f.t).map((r) => ({ actorId: r[0]!, box: boxOf(r) }));
    ids.push(truth, f.tracks);
    follower.push(f.t, truth, f.tracks);
    for (const [head, colour] of Object.entries(f.signals.states)) {
      const expected = colourAt(gt.signals[head], (f.t - start) / 1000);
      if (expected === undefined) continue;
      tally.signalFrames++;
      if (colour === expected) tally.signalCorrect++;
    }
  };
  /** The real window pipeline over the clip, with the given detector. */
  const judgeLive = (det: Parameters<typeof processWindow>[0]['detector'], frameHook: (f: RulesFrame) => void) =>
    processWindow({
      cameraCode: gt.cameraCode,
      calibration: camera.calibration,
      resolution: camera.resolution,
      t0: start,
      t1: end,
      segments: [{ path: `${base}.mp4`, startsAt: start, endsAt: end, fps: gt.fps, width: gt.width, height: gt.height }],
      detector: det,
      ffmpegPath: ffmpeg,
      sampleFps: config.sampleFps,
      onFrame: frameHook,
    });
  const recordPath = `${base}.${modelTag}.${config.sampleFps}fps.dets.json.gz`;
  let outcome: { judgement: WindowJudgement; coveredMs: number };
  const recorded = values.replay && existsSync(recordPath) ? decodeRecording(JSON.parse(gunzipSync(await readFile(recordPath)).toString('utf8')) as DetectionRecording) : undefined;
  /** The detections the window was judged on, per frame (for --draw). */
  let judgedOn: readonly RecordedFrame[] = recorded ?? [];
  if (recorded && values['replay-signals']) {
    const judgement = replayWindow({ calibration: camera.calibration!, fps: config.sampleFps, frames: recorded, frame: camera.resolution, onFrame });
    outcome = { judgement, coveredMs: recorded.length * (1000 / config.sampleFps) };
  } else if (recorded) {
    const w = await judgeLive(recordedDetector(recorded), onFrame);
    outcome = { judgement: w.judgement, coveredMs: w.decode.coveredMs };
  } else {
    const dets = new Map<number, RecordedFrame['detections']>();
    const recorded: RecordedFrame[] = [];
    const w = await judgeLive(recording(await detector.get(), dets), (f) => {
      recorded.push({ frameIndex: f.frameIndex, t: f.t, detections: dets.get(f.frameIndex) ?? [], signals: f.signals.states });
      dets.delete(f.frameIndex);
      onFrame(f);
    });
    await writeFile(recordPath, gzipSync(JSON.stringify(encodeRecording(start, recorded))));
    outcome = { judgement: w.judgement, coveredMs: w.decode.coveredMs };
    judgedOn = recorded;
  }
  if (drawDir !== undefined) {
    const detectionsOf = new Map(judgedOn.map((f) => [f.frameIndex, f.detections]));
    for (const f of toDraw) {
      const truth = seenAt(f.t).map((r) => ({ box: boxOf(r), cls: gt.classes[r[1]!]! }));
      await drawFrame(ffmpeg, `${base}.mp4`, (f.t - start) / 1000, path.join(drawDir, `${path.basename(base)}-${((f.t - start) / 1000).toFixed(2).padStart(6, '0')}s.png`), {
        width: gt.width,
        height: gt.height,
        truth,
        detections: detectionsOf.get(f.frameIndex) ?? [],
        signals: signalHeads(camera.calibration!).map((h) => ({ ...h, read: f.signals[h.id] ?? 'unknown', truth: colourAt(gt.signals[h.id], (f.t - start) / 1000) })),
        caption: `${path.basename(base)} t=${((f.t - start) / 1000).toFixed(2)} s`,
      });
      drawn++;
    }
  }
  tally.idSwitches += ids.switches;
  tally.idMatched += ids.matched;
  tally.seconds += outcome.coveredMs / 1000;
  const truths: TruthEvent[] = gt.events.map((e) => ({
    category: e.category,
    actorId: e.actorId,
    t: start + e.t * 1000,
    boxAt: (t) => {
      const row = gtFrame(t).find((r) => r[0] === e.actorId);
      return row ? boxOf(row) : undefined;
    },
  }));
  tally.clips.push({ name: path.basename(base), found: outcome.judgement.violations, truth: truths });
  const exposures = tallyExposures(outcome.judgement.exposures, gt.exposures, (id, t) => follower.actorOf(id, t), CATEGORIES);
  for (const c of CATEGORIES) addExposureTally(tally.exposures[c], exposures[c]);
  for (const c of CATEGORIES) {
    const k = tally.counts[c];
    k.found[0] += outcome.judgement.counts[c].exposures;
    k.found[1] += outcome.judgement.counts[c].violations;
    k.truth[0] += gt.counts[c].exposures;
    k.truth[1] += gt.counts[c].violations;
  }
}

/** Every signal head of the calibration with its picture region. */
function signalHeads(c: Calibration): Omit<OverlaySignal, 'read' | 'truth'>[] {
  return [...c.approaches.flatMap((a) => a.signals.map((s) => ({ id: s.id, region: s.region }))), ...c.crosswalks.map((x) => ({ id: x.signal.id, region: x.signal.region }))];
}

/** One frame of the clip (ffmpeg's accurate seek) with the overlay, as a PNG. */
async function drawFrame(ffmpeg: string, video: string, seconds: number, out: string, overlay: Parameters<typeof frameOverlaySvg>[0]): Promise<void> {
  await mkdir(path.dirname(out), { recursive: true });
  const { stdout } = await promisify(execFile)(ffmpeg, ['-v', 'error', '-ss', seconds.toFixed(3), '-i', video, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 2 ** 20 });
  if (stdout.length !== overlay.width * overlay.height * 3) throw new Error(`${video}: no frame at ${seconds.toFixed(3)} s (${stdout.length} bytes)`);
  await sharp(stdout, { raw: { width: overlay.width, height: overlay.height, channels: 3 } })
    .composite([{ input: Buffer.from(frameOverlaySvg(overlay)) }])
    .png()
    .toFile(out);
}

function colourAt(intervals: [number, number, SignalColour][] | undefined, s: number): SignalColour | undefined {
  return intervals?.find(([a, b]) => s >= a && s < b)?.[2];
}

interface Section {
  minutes: number;
  frames: number;
  categories: Record<Category, CategoryScore>;
  compliance_rate_error_pp: Record<Category, number | null>;
  compliance: Record<Category, { found: { exposures: number; violations: number }; truth: { exposures: number; violations: number } }>;
  /** Exposures person by person: right, counted twice, wrong; precision and recall against the exposed true road users. */
  exposures: Record<Category, ExposureScore>;
  id_switches: number;
  id_matched_frames: number;
  signal_accuracy: number | null;
  signal_frames: number;
}

function section(t: Tally): Section {
  const match = matchClips(t.clips);
  const rate = ([e, v]: [number, number]) => (e > 0 ? 1 - v / e : null);
  const err = Object.fromEntries(
    CATEGORIES.map((c) => {
      const a = rate(t.counts[c].found);
      const b = rate(t.counts[c].truth);
      return [c, a === null || b === null ? null : Math.abs(a - b) * 100];
    }),
  ) as Record<Category, number | null>;
  return {
    minutes: t.seconds / 60,
    frames: t.frames,
    categories: scoreByCategory(match, CATEGORIES),
    compliance_rate_error_pp: err,
    compliance: Object.fromEntries(
      CATEGORIES.map((c) => [c, { found: { exposures: t.counts[c].found[0], violations: t.counts[c].found[1] }, truth: { exposures: t.counts[c].truth[0], violations: t.counts[c].truth[1] } }]),
    ) as Section['compliance'],
    exposures: Object.fromEntries(CATEGORIES.map((c) => [c, scoreExposures(t.exposures[c])])) as Section['exposures'],
    id_switches: t.idSwitches,
    id_matched_frames: t.idMatched,
    signal_accuracy: t.signalFrames > 0 ? t.signalCorrect / t.signalFrames : null,
    signal_frames: t.signalFrames,
  };
}

function buildReport(byCondition: Map<string, Tally>) {
  const all = newTally();
  for (const t of byCondition.values()) {
    all.clips.push(...t.clips);
    for (const c of CATEGORIES) for (const k of ['found', 'truth'] as const) for (const i of [0, 1] as const) all.counts[c][k][i] += t.counts[c][k][i];
    for (const c of CATEGORIES) addExposureTally(all.exposures[c], t.exposures[c]);
    all.idSwitches += t.idSwitches;
    all.idMatched += t.idMatched;
    all.signalFrames += t.signalFrames;
    all.signalCorrect += t.signalCorrect;
    all.frames += t.frames;
    all.seconds += t.seconds;
  }
  return {
    model: path.basename(modelPath),
    seed: seed0,
    sample_fps: config.sampleFps,
    ...section(all),
    conditions: Object.fromEntries([...byCondition].map(([c, t]) => [c, section(t)])),
  };
}

/** Every false positive and false negative, for whoever tunes the rules. */
function printMisses(condition: string, t: Tally): void {
  const iso = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  // Clip by clip: the clips of a seed share a clock, so a time alone does not say where to look.
  for (const clip of t.clips) {
    const m = matchClips([clip]);
    const where = `${condition} ${clip.name ?? ''}`.trimEnd();
    for (const v of m.falsePositives) {
      const b = v.moments[1].box;
      process.stdout.write(`FP ${where} ${v.category} track ${v.trackId} ${v.roadUserClass} zone ${v.zoneId} at ${iso(v.t)} box ${[b.x1, b.y1, b.x2, b.y2].map(Math.round).join(',')}\n`);
    }
    for (const g of m.falseNegatives) {
      const b = g.boxAt(g.t);
      process.stdout.write(`FN ${where} ${g.category} actor ${g.actorId} at ${iso(g.t)} box ${b ? [b.x1, b.y1, b.x2, b.y2].join(',') : 'out of frame'}\n`);
    }
  }
}

function printReport(r: ReturnType<typeof buildReport>): void {
  const f = (x: number | null) => (x === null ? '  n/a' : x.toFixed(3));
  const out = (s: string) => process.stdout.write(s + '\n');
  out(`Accuracy of the window pipeline on twin footage (model ${r.model}, ${r.sample_fps} fps sampled, seed ${r.seed})`);
  for (const [name, s] of [...Object.entries(r.conditions), ['all', r] as const]) {
    out(`\n${name}: ${s.minutes.toFixed(1)} min, ${s.frames} frames; id switches ${s.id_switches} over ${s.id_matched_frames} matched road-user frames; signal states right in ${s.signal_accuracy === null ? 'n/a' : (100 * s.signal_accuracy).toFixed(2) + '%'} of ${s.signal_frames} head-frames`);
    out('  category              tp   fp   fn  precision  recall  compliance found / truth (n)        error (pp)');
    for (const c of CATEGORIES) {
      const k = s.categories[c];
      const comp = s.compliance[c];
      const pct = (x: { exposures: number; violations: number }) => (x.exposures > 0 ? `${(100 * (1 - x.violations / x.exposures)).toFixed(1)}% (${x.exposures})` : `n/a (0)`);
      out(`  ${c.padEnd(20)} ${String(k.tp).padStart(4)} ${String(k.fp).padStart(4)} ${String(k.fn).padStart(4)}  ${f(k.precision).padStart(9)}  ${f(k.recall).padStart(6)}  ${(pct(comp.found) + ' / ' + pct(comp.truth)).padEnd(34)} ${s.compliance_rate_error_pp[c] === null ? 'n/a' : s.compliance_rate_error_pp[c]!.toFixed(2)}`);
    }
    out('  exposures, person by person (road users): counted = right + twice + wrong; precision = right / counted, recall = right / true');
    for (const c of CATEGORIES) {
      const e = s.exposures[c];
      out(`  ${c.padEnd(20)} counted ${String(e.found).padStart(4)}: right ${String(e.right).padStart(4)}, twice ${String(e.twice).padStart(3)}, wrong ${String(e.wrong).padStart(3)}; true ${String(e.truth).padStart(4)}; precision ${f(e.precision)}, recall ${f(e.recall)}`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval failed: ${(err as Error).message}\n`);
  log.error({ err }, 'eval failed');
  process.exitCode = 1;
});
