// Renders twin clips and writes a training dataset the Python side loads
// (models/training/dataset.py): one uint8 .npy shard of letterboxed RGB
// frames per clip plus index.json with labels in model-input pixels.
//
//   node --import tsx models/training/make-dataset.ts --out DIR
//        [--split train|val] [--clips 64] [--seconds 6] [--every 4]
//        [--first 0] [--count N]   (render only clips first..first+N-1: run two
//                                   processes on two cores, then --merge)
//        [--merge]                 (write index.json from the parts in DIR)
//
// Frames go through the same path as production footage: H.264 encode by the
// twin, ffmpeg decode with the detect stage's letterbox filter.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../services/config.ts';
import { mediaBinaries } from '../../services/media/binaries.ts';
import { writeClip } from '../../pipelines/sim/index.ts';
import { ROAD_USER_CLASSES } from '../../pipelines/types.ts';
import { decodeClip, labelRows, MODEL_INPUT, modelLetterbox, toModelLabels } from './twin-frames.ts';
import { startAt, trainingPlan, type ClipPlan } from './seeds.ts';

interface FrameEntry {
  condition: string;
  conditions: string;
  seed: number;
  frame: number;
  boxes: number[][];
  ignore: number[][];
}

interface Shard {
  file: string;
  frames: FrameEntry[];
}

/** A numpy v1.0 header for a C-order uint8 array. */
export function npyHeader(shape: readonly number[]): Buffer {
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = Buffer.alloc(total, 0x20);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(total - 10, 8);
  header.write(dict, 10, 'latin1');
  header[total - 1] = 0x0a;
  return header;
}

async function renderShard(plan: ClipPlan, outDir: string, ffmpeg: string, every: number): Promise<Shard> {
  const base = path.join(outDir, 'clips', `clip-${plan.seed}`);
  const written = await writeClip({ seed: plan.seed, seconds: plan.seconds, conditions: plan.conditions, start: startAt(plan.hour), behaviour: plan.behaviour, out: base, ffmpegPath: ffmpeg, writeSites: false });
  const gt = written.clip.groundTruth;
  const source = { width: gt.width, height: gt.height };
  const lb = modelLetterbox(source);
  const frames: Uint8Array[] = [];
  const entries: FrameEntry[] = [];
  for await (const f of decodeClip(ffmpeg, written.video, source, every)) {
    const rows = gt.frames[f.index];
    if (!rows) continue;
    frames.push(f.data);
    entries.push({ condition: plan.group, conditions: plan.conditions, seed: plan.seed, frame: f.index, ...toModelLabels(labelRows(rows, source), lb) });
  }
  const file = `clip-${plan.seed}.npy`;
  const { width, height } = MODEL_INPUT;
  await writeFile(path.join(outDir, file), Buffer.concat([npyHeader([frames.length, height, width, 3]), ...frames]));
  await writeFile(path.join(outDir, `clip-${plan.seed}.json`), JSON.stringify({ file, frames: entries }));
  await rm(written.video, { force: true });
  await rm(written.groundTruth, { force: true });
  return { file, frames: entries };
}

async function merge(outDir: string): Promise<void> {
  const parts = (await readdir(outDir)).filter((f) => /^clip-\d+\.json$/.test(f)).sort();
  const shards: Shard[] = [];
  for (const p of parts) shards.push(JSON.parse(await readFile(path.join(outDir, p), 'utf8')) as Shard);
  const index = { height: MODEL_INPUT.height, width: MODEL_INPUT.width, classes: [...ROAD_USER_CLASSES], shards };
  await writeFile(path.join(outDir, 'index.json'), JSON.stringify(index));
  const frames = shards.reduce((n, s) => n + s.frames.length, 0);
  const counts = new Array<number>(ROAD_USER_CLASSES.length).fill(0);
  const byCondition: Record<string, number> = {};
  for (const s of shards) {
    for (const f of s.frames) {
      byCondition[f.condition] = (byCondition[f.condition] ?? 0) + 1;
      for (const b of f.boxes) counts[b[0]!]!++;
    }
  }
  const summary = { clips: shards.length, frames, frames_by_condition: byCondition, boxes: Object.fromEntries(ROAD_USER_CLASSES.map((c, i) => [c, counts[i]])) };
  await writeFile(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      split: { type: 'string', default: 'train' },
      clips: { type: 'string', default: '64' },
      seconds: { type: 'string', default: '6' },
      every: { type: 'string', default: '4' },
      first: { type: 'string', default: '0' },
      count: { type: 'string' },
      merge: { type: 'boolean', default: false },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const outDir = path.resolve(values.out);
  await mkdir(outDir, { recursive: true });
  if (values.merge) return merge(outDir);
  const split = values.split === 'val' ? 'val' : 'train';
  const plan = trainingPlan(split, Number(values.clips), Number(values.seconds));
  const first = Number(values.first);
  const todo = plan.slice(first, values.count ? first + Number(values.count) : undefined);
  const { ffmpeg } = mediaBinaries(loadConfig());
  const t0 = Date.now();
  for (const [i, p] of todo.entries()) {
    const shard = await renderShard(p, outDir, ffmpeg, Number(values.every));
    const boxes = shard.frames.reduce((n, f) => n + f.boxes.length, 0);
    console.log(`[${i + 1}/${todo.length}] seed ${p.seed} ${p.conditions} h${p.hour}: ${shard.frames.length} frames, ${boxes} boxes (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  }
  if (!values.count) await merge(outDir);
}

await main();
