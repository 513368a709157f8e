// Accuracy and speed of a detector on held-out twin footage.
//
//   npm run eval:detector -- [--json FILE] [--model models/crosswatch-det.onnx]
//        [--seeds 9001,9002,...] [--per-condition 12] [--seconds 4] [--every 10]
//        [--threads 2] [--keep DIR] [--score 0.01]
//
// Renders each eval seed under each condition (day, dusk, night, rain; see
// models/training/seeds.ts), decodes it as production does, runs the model
// through the detect stage (session, adapter, NMS) and scores AP@0.5 per
// class against the twin's ground truth (demanded boxes and ignore regions
// as in models/training/twin-frames.ts). ms_per_frame is the median time of
// one detect() call at batch 1 after warm-up, on `--threads` intra-op threads.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDetector, measureLatency, type Detector, type LetterboxedFrame } from '../pipelines/detect/index.ts';
import { writeClip } from '../pipelines/sim/index.ts';
import { ROAD_USER_CLASSES } from '../pipelines/types.ts';
import { loadConfig } from '../services/config.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { ApAccumulator, type ClassAp } from '../models/training/ap.ts';
import { EVAL_GROUPS, evalPlan, startAt, trainingPlan, type ClipPlan } from '../models/training/seeds.ts';
import { DEMAND, decodeClip, labelRows } from '../models/training/twin-frames.ts';

const PROJECT = path.resolve(import.meta.dirname, '..');

interface Options {
  json?: string;
  model: string;
  plan: ClipPlan[];
  every: number;
  threads: number;
  keep?: string;
  score: number;
}

function parse(): Options {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      model: { type: 'string', default: path.join(PROJECT, 'models/crosswatch-det.onnx') },
      seeds: { type: 'string' },
      'per-condition': { type: 'string', default: '12' },
      seconds: { type: 'string', default: '4' },
      every: { type: 'string', default: '10' },
      threads: { type: 'string', default: '2' },
      keep: { type: 'string' },
      // Lowest score kept (the floor of the precision-recall curve AP integrates; COCO and Ultralytics val use 0.001).
      score: { type: 'string', default: '0.01' },
      'val-split': { type: 'boolean', default: false },
    },
  });
  const seeds = values.seeds?.split(',').map((s) => Number(s.trim()));
  if (seeds?.some((s) => !Number.isInteger(s))) throw new Error(`--seeds must be integers: ${values.seeds}`);
  const score = Number(values.score);
  if (!(score > 0 && score < 1)) throw new Error(`--score must be a number between 0 and 1 (exclusive): ${values.score}`);
  return {
    ...(values.json ? { json: values.json } : {}),
    ...(values.keep ? { keep: values.keep } : {}),
    model: values.model!,
    // --val-split: the training-time validation clips instead (a check that
    // the runtime path scores like the Python trainer; not held out from tuning).
    plan: values['val-split'] ? trainingPlan('val', 8, 4) : evalPlan(Number(values['per-condition']), Number(values.seconds), seeds),
    every: Number(values.every),
    threads: Number(values.threads),
    score,
  };
}

const classIndex = (c: string) => ROAD_USER_CLASSES.indexOf(c as (typeof ROAD_USER_CLASSES)[number]);

async function evalClip(p: ClipPlan, det: Detector, dir: string, ffmpeg: string, every: number, accs: ApAccumulator[], sample: LetterboxedFrame[]): Promise<number> {
  const out = path.join(dir, `eval-${p.seed}-${p.conditions.replace(/,/g, '-')}`);
  const written = await writeClip({ seed: p.seed, seconds: p.seconds, conditions: p.conditions, start: startAt(p.hour), behaviour: p.behaviour, out, ffmpegPath: ffmpeg, writeSites: false });
  const gt = written.clip.groundTruth;
  const source = { width: gt.width, height: gt.height };
  let frames = 0;
  // Frames at the model's own input size, so models of any size are scored.
  const input = { width: det.inputSpec.width, height: det.inputSpec.height };
  for await (const f of decodeClip(ffmpeg, written.video, source, every, input)) {
    const rows = gt.frames[f.index];
    if (!rows) continue;
    const frame: LetterboxedFrame = { index: f.index, t: f.index / gt.fps, width: input.width, height: input.height, data: f.data, source };
    const [dets] = await det.detect([frame]);
    const labels = labelRows(rows, source);
    const scored = dets!.map((d) => ({ box: d.box, cls: classIndex(d.cls), score: d.score }));
    for (const acc of accs) acc.add(scored, labels.boxes, labels.ignore);
    if (sample.length < 24 && frames % 4 === 0) sample.push(frame);
    frames++;
  }
  return frames;
}

function summarise(r: ClassAp[]): { classes: Record<string, { ap50: number; positives: number; recall: number }>; mAP: number } {
  const classes: Record<string, { ap50: number; positives: number; recall: number }> = {};
  r.forEach((c, i) => (classes[ROAD_USER_CLASSES[i]!] = { ap50: round(c.ap50), positives: c.positives, recall: round(c.recall) }));
  const valid = r.filter((c) => !Number.isNaN(c.ap50));
  return { classes, mAP: round(valid.reduce((s, c) => s + c.ap50, 0) / Math.max(1, valid.length)) };
}

const round = (x: number) => (Number.isNaN(x) ? x : Math.round(x * 10000) / 10000);

function table(result: { classes: Record<string, { ap50: number }>; conditions: Record<string, { classes: Record<string, { ap50: number }>; mAP: number; frames: number }>; ms_per_frame: number; mAP: number }): string {
  const cols = [...ROAD_USER_CLASSES, 'mAP'];
  const rows = [['condition', 'frames', ...cols]];
  for (const [cond, r] of Object.entries(result.conditions)) {
    rows.push([cond, String(r.frames), ...ROAD_USER_CLASSES.map((c) => r.classes[c]!.ap50.toFixed(3)), r.mAP.toFixed(3)]);
  }
  rows.push(['all', '', ...ROAD_USER_CLASSES.map((c) => result.classes[c]!.ap50.toFixed(3)), result.mAP.toFixed(3)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((v, i) => v.padStart(widths[i]!)).join('  '));
  return `AP@0.5\n${lines.join('\n')}\nms_per_frame (batch 1, median): ${result.ms_per_frame.toFixed(2)}`;
}

async function main(): Promise<void> {
  const o = parse();
  const { ffmpeg } = mediaBinaries(loadConfig());
  const det = await loadDetector(o.model, { intraOpNumThreads: o.threads, scoreThreshold: o.score });
  const dir = o.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'crosswatch-eval-')));
  await mkdir(dir, { recursive: true });
  const all = new ApAccumulator(ROAD_USER_CLASSES.length);
  const per = new Map(EVAL_GROUPS.map((g) => [g as string, { acc: new ApAccumulator(ROAD_USER_CLASSES.length), frames: 0 }]));
  const sample: LetterboxedFrame[] = [];
  try {
    for (const p of o.plan) {
      const g = per.get(p.group)!;
      g.frames += await evalClip(p, det, dir, ffmpeg, o.every, [g.acc, all], sample);
      process.stderr.write(`eval seed ${p.seed} ${p.conditions}: ${g.frames} frames so far in ${p.group}\n`);
    }
    const ms = await measureLatency(det, sample, 5);
    const overall = summarise(all.result());
    const result = {
      model: path.relative(PROJECT, path.resolve(o.model)),
      classes: overall.classes,
      mAP: overall.mAP,
      conditions: Object.fromEntries([...per].map(([g, v]) => [g, { ...summarise(v.acc.result()), frames: v.frames }])),
      ms_per_frame: Math.round(ms * 100) / 100,
      latency: { batch: 1, threads: o.threads, frames: sample.length, runs: 5, statistic: 'median of detect() calls incl. decode + NMS' },
      eval: { seeds: [...new Set(o.plan.map((p) => p.seed))], clips: o.plan.map((p) => ({ seed: p.seed, conditions: p.conditions, seconds: p.seconds })), every: o.every, demand: DEMAND, iou: 0.5, score_threshold: o.score },
    };
    console.log(table(result));
    if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
  } finally {
    await det.close();
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
