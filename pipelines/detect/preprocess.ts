// Frames → one input tensor for a batch.
//
// uint8 NHWC (the layout the project's model takes and ffmpeg's rgb24
// produces) needs no per-pixel JavaScript: one frame is used as the tensor
// as is, a batch is a memcpy per frame. Other layouts go through one tight
// typed-array loop: float32 = byte / 255, NCHW planes.
import type { Frame } from '../types.ts';
import { PAD_VALUE, type Letterbox } from './letterbox.ts';
import type { InputSpec } from './types.ts';

export interface InputData {
  data: Uint8Array | Float32Array;
  dims: [number, number, number, number];
}

/** `frames` must already be model-sized RGB24 (see letterboxRgb for others). */
export function toInputTensor(frames: readonly Frame[], spec: InputSpec): InputData {
  const { width: w, height: h } = spec;
  const n = frames.length;
  const dims: InputData['dims'] = spec.layout === 'NHWC' ? [n, h, w, 3] : [n, 3, h, w];
  const plane = w * h;
  for (const f of frames) {
    if (f.width !== w || f.height !== h || f.data.length !== plane * 3) {
      throw new RangeError(`frame ${f.index} is ${f.width}x${f.height} (${f.data.length} bytes); the model takes ${w}x${h} RGB24`);
    }
  }
  if (spec.dtype === 'uint8' && spec.layout === 'NHWC') {
    if (n === 1) return { data: frames[0]!.data, dims };
    const data = new Uint8Array(n * plane * 3);
    frames.forEach((f, i) => data.set(f.data, i * plane * 3));
    return { data, dims };
  }
  const data = spec.dtype === 'uint8' ? new Uint8Array(n * plane * 3) : new Float32Array(n * plane * 3);
  const k = spec.dtype === 'uint8' || spec.range === '0-255' ? 1 : 1 / 255;
  frames.forEach((f, i) => {
    if (spec.layout === 'NCHW') hwcToChw(f.data, data, i * plane * 3, plane, k);
    else scaleCopy(f.data, data, i * plane * 3, k);
  });
  return { data, dims };
}

function hwcToChw(src: Uint8Array, dst: Float32Array | Uint8Array, off: number, plane: number, k: number): void {
  const g = off + plane;
  const b = off + 2 * plane;
  for (let p = 0, s = 0; p < plane; p++, s += 3) {
    dst[off + p] = src[s]! * k;
    dst[g + p] = src[s + 1]! * k;
    dst[b + p] = src[s + 2]! * k;
  }
}

function scaleCopy(src: Uint8Array, dst: Float32Array | Uint8Array, off: number, k: number): void {
  for (let i = 0; i < src.length; i++) dst[off + i] = src[i]! * k;
}

/**
 * Letterboxes an RGB24 frame in JavaScript (bilinear, pixel centres aligned
 * like ffmpeg's scaler, padding grey 114). A fallback for tests and tools;
 * the decode stage lets ffmpeg do it (letterboxFilter), which is far cheaper.
 */
export function letterboxRgb(f: Frame, lb: Letterbox): Frame {
  const { width: W, height: H } = lb.model;
  const { width: rw, height: rh } = lb.resized;
  const out = new Uint8Array(W * H * 3).fill(PAD_VALUE);
  const xs = axisTaps(rw, f.width);
  const ys = axisTaps(rh, f.height);
  const rowBytes = f.width * 3;
  for (let y = 0; y < rh; y++) {
    const r0 = ys.i0[y]! * rowBytes, r1 = ys.i1[y]! * rowBytes, wy = ys.w[y]!;
    let o = ((y + lb.padY) * W + lb.padX) * 3;
    for (let x = 0; x < rw; x++) {
      const c0 = xs.i0[x]! * 3, c1 = xs.i1[x]! * 3, wx = xs.w[x]!;
      for (let ch = 0; ch < 3; ch++) {
        const top = f.data[r0 + c0 + ch]! * (1 - wx) + f.data[r0 + c1 + ch]! * wx;
        const bot = f.data[r1 + c0 + ch]! * (1 - wx) + f.data[r1 + c1 + ch]! * wx;
        out[o++] = top * (1 - wy) + bot * wy + 0.5;
      }
    }
  }
  return { index: f.index, t: f.t, width: W, height: H, data: out };
}

/** Source taps and weights for each destination coordinate along one axis. */
function axisTaps(dst: number, src: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), w = new Float32Array(dst);
  const s = src / dst;
  for (let d = 0; d < dst; d++) {
    const x = Math.min(src - 1, Math.max(0, (d + 0.5) * s - 0.5));
    const a = Math.floor(x);
    i0[d] = a;
    i1[d] = Math.min(src - 1, a + 1);
    w[d] = x - a;
  }
  return { i0, i1, w };
}
