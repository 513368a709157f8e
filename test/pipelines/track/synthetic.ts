// Synthetic trajectories for tracker tests: actors with a box per frame,
// rendered to FrameDetections with seeded jitter, and an ID-switch count
// (CLEAR-MOT style: a ground-truth actor matched to a different track id than
// the last time it was matched).
import type { Box, FrameDetections, RoadUserClass, TrackPoint } from '../../../pipelines/types.ts';
import { iou } from '../../../pipelines/geometry/box.ts';
import { linearAssignment } from '../../../pipelines/track/assignment.ts';
import { Rng } from '../../../pipelines/sim/rng.ts';

export interface Actor {
  /** Box at frame k, or null when the actor is not in view / not detected. */
  box: (k: number) => Box | null;
  cls?: RoadUserClass | ((k: number) => RoadUserClass);
  score?: (k: number) => number;
}

/** The twin's mulberry32 stream as a function (same sequence for the same seed). */
export function mulberry32(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** A box of w×h whose top-left follows (x0 + vx·k, y0 + vy·k). */
export function moving(x0: number, y0: number, w: number, h: number, vx: number, vy: number): (k: number) => Box {
  return (k) => ({ x1: x0 + vx * k, y1: y0 + vy * k, x2: x0 + vx * k + w, y2: y0 + vy * k + h });
}

/** Null on the given frames (inclusive range). */
export function hidden(f: (k: number) => Box | null, from: number, to: number): (k: number) => Box | null {
  return (k) => (k >= from && k <= to ? null : f(k));
}

export function render(actors: Actor[], frames: number, fps: number, jitterPx = 1.5, seed = 1): FrameDetections[] {
  const rnd = mulberry32(seed);
  const j = () => (rnd() * 2 - 1) * jitterPx;
  const out: FrameDetections[] = [];
  for (let k = 0; k < frames; k++) {
    const detections = [];
    for (const a of actors) {
      const b = a.box(k);
      if (!b) continue;
      const cls = typeof a.cls === 'function' ? a.cls(k) : (a.cls ?? 'vehicle');
      detections.push({ box: { x1: b.x1 + j(), y1: b.y1 + j(), x2: b.x2 + j(), y2: b.y2 + j() }, cls, score: a.score?.(k) ?? 0.85 });
    }
    out.push({ frameIndex: k, t: 1_700_000_000_000 + Math.round((k * 1000) / fps), detections });
  }
  return out;
}

export interface TrackingScore {
  idSwitches: number;
  /** Matched actor-frames / actor-frames in view (detected or not). */
  coverage: number;
  /** Distinct track ids each actor was matched to. */
  idsPerActor: number[];
}

export function scoreTracking(actors: Actor[], output: TrackPoint[][], truth: (a: Actor, k: number) => Box | null = (a, k) => a.box(k)): TrackingScore {
  const last = actors.map(() => 0);
  const ids = actors.map(() => new Set<number>());
  let switches = 0;
  let inView = 0;
  let matched = 0;
  output.forEach((points, k) => {
    const present = actors.map((a, i) => [i, truth(a, k)] as const).filter((x): x is readonly [number, Box] => x[1] !== null);
    inView += present.length;
    const cost = present.map(([, b]) => points.map((p) => 1 - iou(b, p.box)));
    for (const [r, c] of linearAssignment(cost, points.length, 0.5).matches) {
      const i = present[r]![0];
      const id = points[c]!.trackId;
      matched++;
      ids[i]!.add(id);
      if (last[i] !== 0 && last[i] !== id) switches++;
      last[i] = id;
    }
  });
  return { idSwitches: switches, coverage: inView ? matched / inView : 1, idsPerActor: ids.map((s) => s.size) };
}
