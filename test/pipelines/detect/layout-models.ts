// Builds tiny models (96×96 input, grids 8/16/32 → 189 anchors; at 64×64 the
// 84 anchors would make [1, 84, 84] fit two layouts) that emit
// known tensors in each output layout, through models/onnx/fixtures.ts.
// Boxes are given in model pixels; with `shift` a frame whose mean pixel is v
// moves every box's centre (or corners) by v (0..255 scale) so batch items differ.
import { knownOutputModel } from '../../../models/onnx/fixtures.ts';
import { COCO_CLASSES } from '../../../pipelines/detect/class-map.ts';

export const SIZE = 96;
export const ANCHORS = 144 + 36 + 9;
export const coco = (name: string) => COCO_CLASSES.indexOf(name);

export interface Box4 {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  cls: number;
  score: number;
}

type Input = 'float-nchw' | 'uint8-nhwc';
const inputOf = (i: Input, batch?: number | string) =>
  i === 'float-nchw'
    ? ({ type: 'float', layout: 'NCHW', width: SIZE, height: SIZE, batch } as const)
    : ({ type: 'uint8', layout: 'NHWC', width: SIZE, height: SIZE, batch } as const);

/** Ultralytics [B, 4+nc, N]; anchors filled from index 0. */
export function ultralyticsModel(boxes: Box4[], o: { nc?: number; input?: Input; shift?: boolean; metadata?: Record<string, string>; batch?: number } = {}): Uint8Array {
  const nc = o.nc ?? 80, n = ANCHORS;
  const values = new Float32Array((4 + nc) * n);
  const mask = new Float32Array(values.length);
  boxes.forEach((b, i) => {
    values[i] = (b.x1 + b.x2) / 2;
    values[n + i] = (b.y1 + b.y2) / 2;
    values[2 * n + i] = b.x2 - b.x1;
    values[3 * n + i] = b.y2 - b.y1;
    values[(4 + b.cls) * n + i] = b.score;
    if (o.shift) mask[i] = mask[n + i] = 1;
  });
  return knownOutputModel({ input: inputOf(o.input ?? 'float-nchw', o.batch), shape: [4 + nc, n], values, mask, metadata: o.metadata });
}

/** YOLOv5 [B, 3N, 5+nc]: each box as objectness `score`, class prob 1 (so score = objectness). */
export function yolov5Model(boxes: (Box4 & { obj?: number })[], o: { shift?: boolean; nc?: number } = {}): Uint8Array {
  const nc = o.nc ?? 80, w = 5 + nc, n = 3 * ANCHORS;
  const values = new Float32Array(n * w);
  const mask = new Float32Array(values.length);
  boxes.forEach((b, i) => {
    const r = i * 7 * w; // spread rows out
    values.set([(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2, b.x2 - b.x1, b.y2 - b.y1, b.obj ?? b.score], r);
    values[r + 5 + b.cls] = b.obj === undefined ? 1 : b.score / b.obj;
    if (o.shift) mask[r] = mask[r + 1] = 1;
  });
  return knownOutputModel({ input: inputOf('float-nchw'), shape: [n, w], values, mask });
}

/** YOLOX [B, N, 5+nc] raw: anchor index, raw tx,ty,tw,th. */
export function yoloxModel(rows: { anchor: number; t: [number, number, number, number]; obj: number; cls: number; p: number }[], o: { shift?: boolean } = {}): Uint8Array {
  const w = 85;
  const values = new Float32Array(ANCHORS * w);
  const mask = new Float32Array(values.length);
  for (const r of rows) {
    values.set([...r.t, r.obj], r.anchor * w);
    values[r.anchor * w + 5 + r.cls] = r.p;
    if (o.shift) mask[r.anchor * w] = 1; // tx shifts by the mean (0..255 scale)
  }
  return knownOutputModel({ input: inputOf('float-nchw'), shape: [ANCHORS, w], values, mask });
}

/** End-to-end [B, N, 6]. */
export function end2endModel(boxes: Box4[], o: { n?: number; metadata?: Record<string, string> } = {}): Uint8Array {
  const n = o.n ?? 10;
  const values = new Float32Array(n * 6);
  boxes.forEach((b, i) => values.set([b.x1, b.y1, b.x2, b.y2, b.score, b.cls], i * 6));
  return knownOutputModel({ input: inputOf('float-nchw'), shape: [n, 6], values, metadata: o.metadata });
}

export const CROSSWATCH_META = { 'crosswatch.layout': 'crosswatch', 'crosswatch.classes': JSON.stringify(['vehicle', 'large_vehicle', 'non_motor', 'pedestrian']) };

/** Crosswatch [B, N, 4+nc], uint8 NHWC input, with its metadata. */
export function crosswatchModel(boxes: Box4[], o: { shift?: boolean; metadata?: Record<string, string> } = {}): Uint8Array {
  const w = 8;
  const values = new Float32Array(ANCHORS * w);
  const mask = new Float32Array(values.length);
  boxes.forEach((b, i) => {
    values.set([b.x1, b.y1, b.x2, b.y2], i * w);
    values[i * w + 4 + b.cls] = b.score;
    if (o.shift) mask.set([1, 1, 1, 1], i * w);
  });
  return knownOutputModel({ input: inputOf('uint8-nhwc'), shape: [ANCHORS, w], values, mask, metadata: o.metadata ?? CROSSWATCH_META });
}

/** A model-sized RGB frame filled with one value. */
export function flatFrame(value: number, size = SIZE, index = 0) {
  return { index, t: index * 100, width: size, height: size, data: new Uint8Array(size * size * 3).fill(value) };
}
