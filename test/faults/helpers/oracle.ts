// A detector that sees exactly what the digital twin drew: the ground-truth
// boxes of the frame at a decoded frame's time. The fault suite needs windows
// with real violations and evidence files, whatever the state of the trained
// model; the faults under test do not depend on detection quality.
import type { Detector } from '../../../pipelines/detect/index.ts';
import type { GroundTruth } from '../../../pipelines/sim/index.ts';
import type { Detection, Frame } from '../../../pipelines/types.ts';

export interface OracleSegment {
  startsAt: number;
  endsAt: number;
  gt: GroundTruth;
}

/** `shape` lends the input size and layout the decode stage letterboxes to (a real loaded model's). */
export function oracleDetector(shape: Pick<Detector, 'inputSpec' | 'layout' | 'modelClasses'>, segments: OracleSegment[]): Detector {
  const boxes = (f: Frame): Detection[] => {
    const seg = segments.find((s) => f.t >= s.startsAt && f.t < s.endsAt);
    if (!seg) return [];
    const { gt } = seg;
    const rows = gt.frames[Math.round(((f.t - seg.startsAt) * gt.fps) / 1000)] ?? [];
    const out: Detection[] = [];
    for (const [, cls, x1, y1, x2, y2, visible] of rows) {
      if (visible < 0.5) continue;
      const box = { x1: Math.max(0, x1), y1: Math.max(0, y1), x2: Math.min(gt.width, x2), y2: Math.min(gt.height, y2) };
      if (box.x2 - box.x1 < 2 || box.y2 - box.y1 < 2) continue;
      out.push({ box, cls: gt.classes[cls]!, score: 0.9 });
    }
    return out;
  };
  return {
    inputSpec: shape.inputSpec,
    layout: shape.layout,
    modelClasses: shape.modelClasses,
    detect: async (batch) => batch.map(boxes),
    close: async () => undefined,
  };
}
