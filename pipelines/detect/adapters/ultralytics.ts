// Ultralytics YOLOv8 / YOLO11 detect exports: one output [B, 4+nc, N],
// rows cx, cy, w, h (model-input pixels) then nc class probabilities (already
// sigmoid), no objectness. The tensor is channel-major, so the class argmax
// runs class by class over contiguous rows instead of striding per anchor.
import { gridCount, single3d, type Adapter, type DecodeSpec, type Decoder } from './adapter.ts';

export const ultralytics: Adapter = {
  name: 'ultralytics',
  expects: '[B, 4+nc, N] cx,cy,w,h + class scores, N = grid anchors (8400 at 640)',
  match(shapes, ctx) {
    const s = single3d(shapes);
    if (!s || s[1] < 5 || s[2] !== gridCount(ctx.input, ctx.strides)) return undefined;
    return s[1] - 4;
  },
  decoder(spec: DecodeSpec): Decoder {
    const nc = spec.numClasses;
    let best = new Float32Array(0);
    let bestCls = new Int32Array(0);
    return (outputs, b, into) => {
      const { data, dims } = outputs[0]!;
      const n = dims[2]!;
      if (best.length !== n) {
        best = new Float32Array(n);
        bestCls = new Int32Array(n);
      }
      const base = b * (4 + nc) * n;
      best.set(data.subarray(base + 4 * n, base + 5 * n));
      bestCls.fill(0);
      for (let c = 1; c < nc; c++) {
        const row = base + (4 + c) * n;
        for (let i = 0; i < n; i++) {
          const v = data[row + i]!;
          if (v > best[i]!) {
            best[i] = v;
            bestCls[i] = c;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const score = best[i]!;
        if (score < spec.scoreThreshold) continue;
        const cls = bestCls[i]!;
        const ours = spec.toOurs[cls]!;
        if (ours < 0) continue;
        const cx = data[base + i]!, cy = data[base + n + i]!;
        const hw = data[base + 2 * n + i]! / 2, hh = data[base + 3 * n + i]! / 2;
        into.push(cx - hw, cy - hh, cx + hw, cy + hh, score, ours, cls);
      }
    };
  },
};
