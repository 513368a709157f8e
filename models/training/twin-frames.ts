// Frames and labels from the digital twin, exactly as the runtime sees them:
// a rendered clip decoded by ffmpeg with the detect stage's letterbox filter
// (bilinear scale, rgb24, pad 114), and its ground-truth sidecar turned into
// demanded boxes and ignore regions. Shared by make-dataset (training data),
// the eval command and the model test, so all three judge the same boxes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { letterbox, letterboxFilter, toModel, type Letterbox } from '../../pipelines/detect/letterbox.ts';
import type { Size } from '../../pipelines/detect/types.ts';
import type { GroundTruth, GtBoxRow } from '../../pipelines/sim/ground-truth.ts';
import type { Box } from '../../pipelines/types.ts';

/** The model's input: 1280x720 and 1920x1080 letterbox into it without padding. */
export const MODEL_INPUT: Size = { width: 512, height: 288 };

/**
 * Which ground-truth road users a detector is asked to find. Smaller or more
 * hidden ones become ignore regions: a detection on them is neither right nor
 * wrong, and training neither rewards nor punishes it.
 * - minVisible: share of the silhouette in frame and unoccluded. Lowering it
 *   demands boxes for road users mostly hidden behind a bus (the box is the
 *   whole object, so they are guesses); raising it lets the detector skip
 *   half-hidden road users that the tracker needs.
 * - minHeight/minWidth: clipped box size in pixels of a 720-line frame
 *   (scaled with the frame). 14 px is a pedestrian about 80 m from the pole
 *   camera; the far crosswalk is nearer than that on every layout.
 */
export const DEMAND = { minVisible: 0.4, minHeight: 14, minWidth: 6 } as const;

export interface LabelledFrame {
  /** Frame number in the clip. */
  index: number;
  /** RGB24, MODEL_INPUT sized. */
  data: Uint8Array;
}

export interface FrameLabels {
  /** Demanded road users, source pixels, clipped to the frame. */
  boxes: { cls: number; box: Box; actorId: number }[];
  /** Ignore regions, source pixels. */
  ignore: Box[];
}

export function readGroundTruth(path: string): GroundTruth {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as GroundTruth;
}

/** Splits one frame's ground-truth rows into demanded boxes and ignore regions. */
export function labelRows(rows: readonly GtBoxRow[], source: Size, demand = DEMAND): FrameLabels {
  const k = source.height / 720;
  const out: FrameLabels = { boxes: [], ignore: [] };
  for (const [actorId, cls, x1, y1, x2, y2, visible] of rows) {
    const box = { x1: Math.max(0, x1), y1: Math.max(0, y1), x2: Math.min(source.width, x2), y2: Math.min(source.height, y2) };
    if (box.x2 <= box.x1 || box.y2 <= box.y1) continue;
    const ok = visible >= demand.minVisible && box.y2 - box.y1 >= demand.minHeight * k && box.x2 - box.x1 >= demand.minWidth * k;
    if (ok) out.boxes.push({ cls, box, actorId });
    else out.ignore.push(box);
  }
  return out;
}

/** Labels in model-input pixels (for the training set). */
export function toModelLabels(l: FrameLabels, lb: Letterbox): { boxes: number[][]; ignore: number[][] } {
  const r = (v: number) => Math.round(v * 100) / 100;
  const m = (b: Box) => {
    const t = toModel(b, lb);
    return [r(t.x1), r(t.y1), r(t.x2), r(t.y2)];
  };
  return { boxes: l.boxes.map((b) => [b.cls, ...m(b.box)]), ignore: l.ignore.map(m) };
}

export function modelLetterbox(source: Size, model: Size = MODEL_INPUT): Letterbox {
  return letterbox(source, model);
}

/**
 * Decodes every `every`-th frame of a clip (frames 0, every, 2*every, ...)
 * letterboxed to the model input, as the decode stage does.
 */
export async function* decodeClip(ffmpeg: string, video: string, source: Size, every = 1, model: Size = MODEL_INPUT): AsyncGenerator<LabelledFrame> {
  const lb = letterbox(source, model);
  const select = every > 1 ? `select='not(mod(n\\,${every}))',` : '';
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1', '-i', video,
    '-vf', `${select}${letterboxFilter(lb)}`, '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const proc = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve(code ?? -1));
  });
  const size = model.width * model.height * 3;
  let pending: Buffer = Buffer.alloc(0);
  let n = 0;
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= size) {
      yield { index: n * every, data: new Uint8Array(pending.subarray(0, size)) };
      pending = pending.subarray(size);
      n++;
    }
  }
  const code = await done;
  if (code !== 0) throw new Error(`ffmpeg failed on ${video} (exit ${code}): ${stderr.trim().slice(-500)}`);
}
