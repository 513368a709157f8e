// YOLOv5 exports: one output [B, N, 5+nc], rows cx, cy, w, h (model-input
// pixels), objectness, nc class probabilities; score = objectness × class.
// N = 3 anchors per grid cell (25200 at 640). Objectness is checked first:
// most rows are background and stop there.
import { argmaxRow, gridCount, single3d, type Adapter, type DecodeSpec, type Decoder } from './adapter.ts';

export const yolov5: Adapter = {
  name: 'yolov5',
  expects: '[B, N, 5+nc] cx,cy,w,h,objectness + class scores, N = 3 × grid anchors (25200 at 640)',
  match(shapes, ctx) {
    const s = single3d(shapes);
    if (!s || s[2] < 6 || s[1] !== 3 * gridCount(ctx.input, ctx.strides)) return undefined;
    return s[2] - 5;
  },
  decoder(spec: DecodeSpec): Decoder {
    return (outputs, b, into) => decodeObjectnessRows(outputs[0]!.data, outputs[0]!.dims, b, spec, into);
  },
};

/** Shared with YOLOX once its grid is decoded: rows of cx,cy,w,h,obj,classes. */
export function decodeObjectnessRows(
  data: Float32Array,
  dims: readonly number[],
  b: number,
  spec: DecodeSpec,
  into: Parameters<Decoder>[2],
  toPixels?: (row: number, off: number) => [number, number, number, number],
): void {
  const n = dims[1]!, w = dims[2]!, nc = spec.numClasses, thr = spec.scoreThreshold;
  for (let i = 0, off = b * n * w; i < n; i++, off += w) {
    const obj = data[off + 4]!;
    if (obj < thr) continue;
    const cls = argmaxRow(data, off + 5, nc);
    const score = obj * data[off + 5 + cls]!;
    if (score < thr) continue;
    const ours = spec.toOurs[cls]!;
    if (ours < 0) continue;
    const [cx, cy, bw, bh] = toPixels ? toPixels(i, off) : [data[off]!, data[off + 1]!, data[off + 2]!, data[off + 3]!];
    into.push(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, score, ours, cls);
  }
}
