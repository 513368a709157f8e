// A random-weight network with YOLOv8n's topology and cost, for throughput
// benchmarks without downloading weights: backbone (Conv + C2f + SPPF),
// PAN neck, decoupled head with DFL, output [1, 4+nc, 8400] at 640 like an
// Ultralytics export (boxes cx,cy,w,h in pixels, sigmoid class scores).
// BatchNorm is folded into conv biases, as an export would do.
// Cost: ~8.7 GFLOPs at 640 (2 × multiply-adds, Ultralytics' convention);
// `flops` reports what was built.
import { GraphBuilder } from './writer.ts';
import { Rng } from '../../pipelines/sim/rng.ts';

export interface YoloLikeOptions {
  /** Square input size (multiple of 32). */
  size?: number;
  numClasses?: number;
  /** Width multiplier: 0.25 = YOLOv8n, 0.5 = YOLOv8s. */
  width?: number;
  /** Input dtype: 'float' takes [1,3,H,W] /255 like Ultralytics; 'uint8' takes [1,H,W,3] bytes. */
  input?: 'float' | 'uint8';
  seed?: number;
  /**
   * Bias of the class logits. Random weights give scores near sigmoid(bias);
   * the default -6 keeps almost every anchor below a 0.25 threshold, like a
   * real model on an empty road; 0 floods NMS with thousands of candidates.
   */
  clsBias?: number;
}

export interface YoloLikeModel {
  bytes: Uint8Array;
  flops: number;
  params: number;
}

/** The twin's mulberry32 stream as a function (same sequence for the same seed). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

interface T {
  name: string;
  c: number;
  h: number;
  w: number;
}

export function buildYolov8nLike(opts: YoloLikeOptions = {}): YoloLikeModel {
  const size = opts.size ?? 640;
  const nc = opts.numClasses ?? 80;
  const wm = opts.width ?? 0.25;
  const rand = rng(opts.seed ?? 1);
  const g = new GraphBuilder('yolov8n_like');
  let flops = 0;
  let params = 0;
  const ch = (c: number) => Math.max(16, Math.round((c * wm) / 8) * 8);

  // Conv (BN folded) with optional SiLU. He-like scale keeps activations bounded.
  const conv = (x: T, cout: number, k: number, s: number, act = true, bias = 0): T => {
    const fan = x.c * k * k;
    const wts = new Float32Array(cout * fan);
    const sc = Math.sqrt(2 / fan) * 0.8;
    for (let i = 0; i < wts.length; i++) wts[i] = (rand() * 2 - 1) * sc * Math.sqrt(3);
    const b = new Float32Array(cout).fill(bias);
    const p = Math.floor(k / 2);
    const h = Math.floor((x.h + 2 * p - k) / s) + 1;
    const w = Math.floor((x.w + 2 * p - k) / s) + 1;
    let y = g.op('Conv', [x.name, g.init(wts, [cout, x.c, k, k]), g.init(b, [cout])], {
      kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p],
    });
    if (act) y = g.op('Mul', [y, g.op('Sigmoid', [y])]); // SiLU
    flops += 2 * cout * fan * h * w;
    params += wts.length + cout;
    return { name: y, c: cout, h, w };
  };
  const concat = (xs: T[]): T => ({ name: g.op('Concat', xs.map((x) => x.name), { axis: 1 }), c: xs.reduce((a, x) => a + x.c, 0), h: xs[0]!.h, w: xs[0]!.w });
  const split2 = (x: T): [T, T] => {
    const [a, b] = g.opMulti('Split', [x.name, g.int64s([x.c / 2, x.c / 2])], 2, { axis: 1 });
    return [{ ...x, name: a!, c: x.c / 2 }, { ...x, name: b!, c: x.c / 2 }];
  };
  const c2f = (x: T, cout: number, n: number, shortcut: boolean): T => {
    const y = conv(x, cout, 1, 1);
    const parts = split2(y);
    let cur = parts[1];
    const outs: T[] = [...parts];
    for (let i = 0; i < n; i++) {
      const z = conv(conv(cur, cout / 2, 3, 1), cout / 2, 3, 1);
      cur = shortcut ? { ...z, name: g.op('Add', [cur.name, z.name]) } : z;
      outs.push(cur);
    }
    return conv(concat(outs), cout, 1, 1);
  };
  const sppf = (x: T, cout: number): T => {
    const a = conv(x, x.c / 2, 1, 1);
    const pool = (t: T): T => ({ ...t, name: g.op('MaxPool', [t.name], { kernel_shape: [5, 5], strides: [1, 1], pads: [2, 2, 2, 2] }) });
    const p1 = pool(a), p2 = pool(p1), p3 = pool(p2);
    return conv(concat([a, p1, p2, p3]), cout, 1, 1);
  };
  const up = (x: T): T => ({
    name: g.op('Resize', [x.name, '', g.floats([1, 1, 2, 2], [4])], { mode: 'nearest' }),
    c: x.c, h: x.h * 2, w: x.w * 2,
  });

  // Input and normalisation.
  let img: string;
  if (opts.input === 'uint8') {
    const x = g.input('images', 'uint8', [1, size, size, 3]);
    const f = g.op('Cast', [x], { to: 1 });
    img = g.op('Mul', [g.op('Transpose', [f], { perm: [0, 3, 1, 2] }), g.floats([1 / 255], [1])]);
  } else {
    img = g.input('images', 'float', [1, 3, size, size]);
  }
  const x0: T = { name: img, c: 3, h: size, w: size };

  // Backbone.
  const b1 = conv(x0, ch(64), 3, 2);
  const b2 = c2f(conv(b1, ch(128), 3, 2), ch(128), 1, true);
  const p3 = c2f(conv(b2, ch(256), 3, 2), ch(256), 2, true);
  const p4 = c2f(conv(p3, ch(512), 3, 2), ch(512), 2, true);
  const p5 = sppf(c2f(conv(p4, ch(1024), 3, 2), ch(1024), 1, true), ch(1024));
  // Neck (PAN).
  const n4 = c2f(concat([up(p5), p4]), ch(512), 1, false);
  const o3 = c2f(concat([up(n4), p3]), ch(256), 1, false);
  const o4 = c2f(concat([conv(o3, ch(256), 3, 2), n4]), ch(512), 1, false);
  const o5 = c2f(concat([conv(o4, ch(512), 3, 2), p5]), ch(1024), 1, false);

  // Head: per level, box branch (4×16 DFL bins) and class branch.
  const reg = 16;
  const c2 = Math.max(16, ch(256) / 4, reg * 4);
  const c3 = Math.max(ch(256), Math.min(nc, 100));
  const levels = [o3, o4, o5].map((f) => {
    const box = conv(conv(conv(f, c2, 3, 1), c2, 3, 1), 4 * reg, 1, 1, false);
    const cls = conv(conv(conv(f, c3, 3, 1), c3, 3, 1), nc, 1, 1, false, opts.clsBias ?? -6);
    const cat = concat([box, cls]);
    return { name: g.op('Reshape', [cat.name, g.int64s([1, 4 * reg + nc, -1])]), n: f.h * f.w, stride: size / f.h, h: f.h, w: f.w };
  });
  const all = g.op('Concat', levels.map((l) => l.name), { axis: 2 }); // [1, 64+nc, 8400]
  const [boxRaw, clsRaw] = g.opMulti('Split', [all, g.int64s([4 * reg, nc])], 2, { axis: 1 });

  // DFL: softmax over 16 bins, expectation → distances (l, t, r, b) in grid units.
  const bins = g.op('Softmax', [g.op('Reshape', [boxRaw!, g.int64s([1, 4, reg, -1])])], { axis: 2 });
  const proj = g.floats(Array.from({ length: reg }, (_, i) => i), [1, 1, reg, 1]);
  const dist = g.op('ReduceSum', [g.op('Mul', [bins, proj]), g.int64s([2])], { keepdims: 0 }); // [1, 4, N]
  const [lt, rb] = g.opMulti('Split', [dist, g.int64s([2, 2])], 2, { axis: 1 });
  // Anchor centres and strides as constants.
  const total = levels.reduce((a, l) => a + l.n, 0);
  const anchors = new Float32Array(2 * total);
  const strides = new Float32Array(total);
  let i = 0;
  for (const l of levels) {
    for (let y = 0; y < l.h; y++) for (let x = 0; x < l.w; x++, i++) {
      anchors[i] = x + 0.5;
      anchors[total + i] = y + 0.5;
      strides[i] = l.stride;
    }
  }
  const anc = g.floats(anchors, [1, 2, total]);
  const x1y1 = g.op('Sub', [anc, lt!]);
  const x2y2 = g.op('Add', [anc, rb!]);
  const cxy = g.op('Mul', [g.op('Add', [x1y1, x2y2]), g.floats([0.5], [1])]);
  const wh = g.op('Sub', [x2y2, x1y1]);
  const boxes = g.op('Mul', [g.op('Concat', [cxy, wh], { axis: 1 }), g.floats(strides, [1, 1, total])]);
  const out = g.op('Concat', [boxes, g.op('Sigmoid', [clsRaw!])], { axis: 1 });
  g.output(out, 'output0', 'float', [1, 4 + nc, total]);

  const names = `{${Array.from({ length: nc }, (_, k) => `${k}: 'class${k}'`).join(', ')}}`;
  const bytes = g.encode({ metadata: { stride: '32', task: 'detect', imgsz: `[${size}, ${size}]`, ...(nc === 80 ? {} : { names }) } });
  return { bytes, flops, params };
}
