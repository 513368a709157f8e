// A hand-made junction in image coordinates (1280×720) and a scenario
// builder: road users on piecewise-linear ground paths, signals as phase
// lists, rendered to RulesFrame at a given fps.
//
//        y=250  ─────── second line (x 200..900) ───────
//        y=330 ┌──────── crosswalk C1 (x 150..1130) ──────┐  pedestrian signal P1
//        y=390 └──────────────────────────────────────────┘
//        y=400  ─── stop line (x 400..880), travel upwards ───
//               │ L1 left │ L2 straight │ L3 right │   lanes y 400..560
//        carriageway x 200..1080, y 100..720; kerbs outside it.
import type { Box, RoadUserClass, SignalColour, TrackPoint } from '../../../pipelines/types.ts';
import type { Calibration, GroundPoint, VehicleSignal } from '../../../pipelines/sites/schema.ts';
import type { RulesFrame } from '../../../pipelines/rules/types.ts';

const region = { x: 10, y: 10, width: 20, height: 60 };
const rect = (x1: number, y1: number, x2: number, y2: number): [number, number][] => [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];

/**
 * Ground points for the fixture's picture as a far, foreshortened view: a
 * pixel across is 2 cm, a pixel up or down 10 cm (walking 1.2 m/s towards the
 * camera moves a pedestrian's 80 px box 12 px a second: 0.15 box heights).
 */
export const FORESHORTENED: GroundPoint[] = [
  { image: [0, 0], metres: [0, 72] },
  { image: [1280, 0], metres: [25.6, 72] },
  { image: [1280, 720], metres: [25.6, 0] },
  { image: [0, 720], metres: [0, 0] },
];

export function junction(opts: { rightArrow?: boolean; sharedStraightRight?: boolean; sharedLeftStraightArrow?: boolean; ground?: GroundPoint[] } = {}): Calibration {
  const lanes = opts.sharedLeftStraightArrow
    ? [
        { id: 'L12', polygon: rect(400, 400, 720, 560), movements: ['left' as const, 'straight' as const] },
        { id: 'L3', polygon: rect(720, 400, 880, 560), movements: ['right' as const] },
      ]
    : opts.sharedStraightRight
    ? [
        { id: 'L1', polygon: rect(400, 400, 560, 560), movements: ['left' as const] },
        { id: 'L23', polygon: rect(560, 400, 880, 560), movements: ['straight' as const, 'right' as const] },
      ]
    : [
        { id: 'L1', polygon: rect(400, 400, 560, 560), movements: ['left' as const] },
        { id: 'L2', polygon: rect(560, 400, 720, 560), movements: ['straight' as const] },
        { id: 'L3', polygon: rect(720, 400, 880, 560), movements: ['right' as const] },
      ];
  const signals: VehicleSignal[] = [{ id: 'S', movements: ['left', 'straight', 'right'], shape: 'ball', orientation: 'vertical', region }];
  // A left arrow over a shared left/straight lane (the ball then governs straight and right only).
  if (opts.sharedLeftStraightArrow) signals.splice(0, 1, { id: 'S', movements: ['straight', 'right'], shape: 'ball', orientation: 'vertical', region }, { id: 'SL', movements: ['left'], shape: 'arrow', orientation: 'vertical', region });
  if (opts.rightArrow) signals.push({ id: 'SR', movements: ['right'], shape: 'arrow', orientation: 'vertical', region });
  return {
    carriageway: rect(200, 100, 1080, 720),
    approaches: [{ id: 'north', stop_line: [[400, 400], [880, 400]], second_line: [[200, 250], [900, 250]], lanes, signals }],
    crosswalks: [{ id: 'C1', polygon: rect(150, 330, 1130, 390), signal: { id: 'P1', orientation: 'vertical', region } }],
    ...(opts.ground ? { ground: opts.ground } : {}),
  };
}

/** [from second, colour] steps: the colour holds until the next step. */
export type Phases = [number, SignalColour][];

export function colourAt(phases: Phases, t: number): SignalColour {
  let c: SignalColour = 'unknown';
  for (const [from, colour] of phases) if (t >= from) c = colour;
  return c;
}

export interface ActorSpec {
  /** Track id, or per time (an id change mid-path). */
  id: number | ((t: number) => number);
  cls?: RoadUserClass | ((t: number, k: number) => RoadUserClass);
  w?: number;
  h?: number;
  /** [second, ground x, ground y] keyframes; the actor is in view between the first and last. */
  path: [number, number, number][];
  /** [from, to] seconds with no track point (occlusion). */
  hidden?: [number, number][];
  /** Detection score at frame k (default 0.9). */
  score?: (k: number) => number;
  /** Offset of the ground point at frame k (box flicker). */
  jitter?: (k: number) => [number, number];
}

function groundAt(path: [number, number, number][], t: number): [number, number] | null {
  if (t < path[0]![0] || t > path[path.length - 1]![0]) return null;
  for (let i = 1; i < path.length; i++) {
    const [t0, x0, y0] = path[i - 1]!;
    const [t1, x1, y1] = path[i]!;
    if (t <= t1) {
      const f = t1 === t0 ? 1 : (t - t0) / (t1 - t0);
      return [x0 + f * (x1 - x0), y0 + f * (y1 - y0)];
    }
  }
  return null;
}

export const T0 = 1_700_000_000_000;

export function scenario(actors: ActorSpec[], signals: Record<string, Phases>, seconds: number, fps = 8): RulesFrame[] {
  const frames: RulesFrame[] = [];
  for (let k = 0; k <= seconds * fps; k++) {
    const ts = k / fps;
    const t = T0 + Math.round(ts * 1000);
    const tracks: TrackPoint[] = [];
    for (const a of actors) {
      const g = groundAt(a.path, ts);
      if (!g || a.hidden?.some(([f, to]) => ts >= f && ts <= to)) continue;
      const [dx, dy] = a.jitter?.(k) ?? [0, 0];
      const cls = typeof a.cls === 'function' ? a.cls(ts, k) : (a.cls ?? 'vehicle');
      const w = a.w ?? (cls === 'pedestrian' ? 30 : cls === 'non_motor' ? 40 : 100);
      const h = a.h ?? (cls === 'pedestrian' ? 80 : 70);
      const box: Box = { x1: g[0] + dx - w / 2, y1: g[1] + dy - h, x2: g[0] + dx + w / 2, y2: g[1] + dy };
      tracks.push({ trackId: typeof a.id === 'function' ? a.id(ts) : a.id, frameIndex: k, t, box, cls, score: a.score?.(k) ?? 0.9 });
    }
    const states = Object.fromEntries(Object.entries(signals).map(([id, p]) => [id, colourAt(p, ts)]));
    frames.push({ frameIndex: k, t, tracks, signals: { frameIndex: k, t, states } });
  }
  return frames;
}
