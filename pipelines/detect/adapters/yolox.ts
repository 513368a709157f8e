// YOLOX exports (decode_in_inference=False, the official ONNX export): one
// output [B, N, 5+nc] where objectness and class scores are sigmoid but the
// box is raw per grid cell: cx = (tx + gx)·s, cy = (ty + gy)·s, w = e^tw·s,
// h = e^th·s, anchors ordered stride by stride (8, 16, 32), row by row.
// N = grid anchors (8400 at 640). Only rows that pass the score threshold
// are decoded.
import { gridCount, single3d, type Adapter, type DecodeSpec, type Decoder } from './adapter.ts';
import { decodeObjectnessRows } from './yolov5.ts';

export const yolox: Adapter = {
  name: 'yolox',
  expects: '[B, N, 5+nc] raw grid offsets tx,ty,tw,th + objectness + class scores, N = grid anchors (8400 at 640)',
  match(shapes, ctx) {
    const s = single3d(shapes);
    if (!s || s[2] < 6 || s[1] !== gridCount(ctx.input, ctx.strides)) return undefined;
    return s[2] - 5;
  },
  decoder(spec: DecodeSpec): Decoder {
    const grid = buildGrid(spec);
    return (outputs, b, into) => {
      const { data, dims } = outputs[0]!;
      decodeObjectnessRows(data, dims, b, spec, into, (i, off) => {
        const s = grid.stride[i]!;
        return [(data[off]! + grid.gx[i]!) * s, (data[off + 1]! + grid.gy[i]!) * s, Math.exp(data[off + 2]!) * s, Math.exp(data[off + 3]!) * s];
      });
    };
  },
};

/** Grid cell and stride of every anchor, in YOLOX's order. */
export function buildGrid(spec: Pick<DecodeSpec, 'input' | 'strides'>): { gx: Float32Array; gy: Float32Array; stride: Float32Array } {
  const n = gridCount(spec.input, spec.strides);
  const gx = new Float32Array(n), gy = new Float32Array(n), stride = new Float32Array(n);
  let i = 0;
  for (const s of spec.strides) {
    const hs = Math.floor(spec.input.height / s), ws = Math.floor(spec.input.width / s);
    for (let y = 0; y < hs; y++) {
      for (let x = 0; x < ws; x++, i++) {
        gx[i] = x;
        gy[i] = y;
        stride[i] = s;
      }
    }
  }
  return { gx, gy, stride };
}
