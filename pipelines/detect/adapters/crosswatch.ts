// The project's own layout, emitted by the default model (models/training):
// one output [B, N, 4+nc], rows x1, y1, x2, y2 in model-input pixels then nc
// class probabilities (sigmoid applied in the graph), box decoding done in
// the graph, NMS left to the runtime. Row-major per candidate so one
// candidate is one contiguous read. Recognised from the model's metadata
// `crosswatch.layout = "crosswatch"` (its shape alone could be YOLOX-like),
// with class names in `crosswatch.classes` (a JSON array).
import { argmaxRow, single3d, type Adapter, type DecodeSpec, type Decoder } from './adapter.ts';

export const crosswatch: Adapter = {
  name: 'crosswatch',
  expects: '[B, N, 4+nc] x1,y1,x2,y2 + class scores, with metadata crosswatch.layout = "crosswatch"',
  match(shapes) {
    const s = single3d(shapes);
    return s && s[2] >= 5 ? s[2] - 4 : undefined;
  },
  decoder(spec: DecodeSpec): Decoder {
    const nc = spec.numClasses, thr = spec.scoreThreshold;
    return (outputs, b, into) => {
      const { data, dims } = outputs[0]!;
      const n = dims[1]!, w = dims[2]!;
      for (let i = 0, off = b * n * w; i < n; i++, off += w) {
        const cls = argmaxRow(data, off + 4, nc);
        const score = data[off + 4 + cls]!;
        if (score < thr) continue;
        const ours = spec.toOurs[cls]!;
        if (ours < 0) continue;
        into.push(data[off]!, data[off + 1]!, data[off + 2]!, data[off + 3]!, score, ours, cls);
      }
    };
  },
};
