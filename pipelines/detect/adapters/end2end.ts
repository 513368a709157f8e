// End-to-end exports with NMS inside (YOLOv10, Ultralytics end2end, RT-DETR
// style post-processed): one output [B, N, 6], rows x1, y1, x2, y2 (model-input
// pixels), score, class id (as a float). Padding rows have score 0.
import { single3d, gridCount, type Adapter, type DecodeSpec, type Decoder } from './adapter.ts';

export const end2end: Adapter = {
  name: 'end2end',
  expects: '[B, N, 6] x1,y1,x2,y2,score,class (NMS inside; N typically 300)',
  match(shapes, ctx) {
    const s = single3d(shapes);
    if (!s || s[2] !== 6) return undefined;
    // A one-class YOLOv5/YOLOX head also has 6 columns; its N is a grid count.
    const g = gridCount(ctx.input, ctx.strides);
    if (s[1] === g || s[1] === 3 * g) return undefined;
    return 0; // class count unknown from the shape; names come from metadata/config
  },
  decoder(spec: DecodeSpec): Decoder {
    return (outputs, b, into) => {
      const { data, dims } = outputs[0]!;
      const n = dims[1]!;
      for (let i = 0, off = b * n * 6; i < n; i++, off += 6) {
        const score = data[off + 4]!;
        if (score < spec.scoreThreshold) continue;
        const cls = Math.round(data[off + 5]!);
        if (cls < 0 || cls >= spec.toOurs.length) continue;
        const ours = spec.toOurs[cls]!;
        if (ours < 0) continue;
        into.push(data[off]!, data[off + 1]!, data[off + 2]!, data[off + 3]!, score, ours, cls);
      }
    };
  },
};
