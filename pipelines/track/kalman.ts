// Constant-velocity Kalman filter on [cx, cy, a, h] (box centre, aspect
// ratio w/h, height), the state and noise model of ByteTrack's
// yolox/tracker/kalman_filter.py. The unit of time is one sampled frame.
//
// One departure from ByteTrack's noise: its aspect ratio is all but fixed
// (process noise 1e-2, velocity 1e-5, against measurement noise 1e-1), which
// suits pedestrians at 30 fps. At 8 fps a car entering through the picture's
// bottom edge (its box cut there, growing taller at the same width) or
// turning near the camera changes its aspect by half within a second; the
// filter kept the old one and predicted a box over three times the car's
// width (kalman.test.ts: 534 px for a 160 px car), which took the
// neighbouring car's detection (seed 51000: two cars swapped tracks and a
// legal right turn on red read as a runner). Here the aspect follows
// its measurements (ASPECT_STD, ASPECT_VELOCITY_STD).
//
// ByteTrack keeps an 8×8 covariance, but with its model (F = [[I, dt·I], [0, I]],
// H = [I 0], diagonal Q and R, diagonal initial P) the four coordinates never
// couple: the covariance stays four independent 2×2 blocks (position, velocity
// of one coordinate). We keep just those blocks; the arithmetic is the same,
// with no matrix library and no inversion.
import type { Box } from '../types.ts';

/** Noise weights relative to the box height, as ByteTrack sets them. */
const STD_WEIGHT_POSITION = 1 / 20;
const STD_WEIGHT_VELOCITY = 1 / 160;
/**
 * Process noise of the aspect ratio (w/h) per frame, and of its velocity
 * (ByteTrack: 1e-2 and 1e-5). Replays of the eval's clips: id switches
 * 7–12% fewer, red light one runner more found and one false run fewer,
 * non-motor 4 more found, jaywalk two more found and one false fewer,
 * overruns one more found and one false fewer (one false jaywalk more).
 */
const ASPECT_STD = 0.1;
const ASPECT_VELOCITY_STD = 0.01;

/** One coordinate: position p, velocity v, covariance [[a, b], [b, c]]. */
interface Axis {
  p: number;
  v: number;
  a: number;
  b: number;
  c: number;
}

/** Filter state of one track: axes in the order cx, cy, aspect, height. */
export interface KalmanState {
  readonly axes: [Axis, Axis, Axis, Axis];
}

export type Xyah = readonly [cx: number, cy: number, a: number, h: number];

export function boxToXyah(b: Box): Xyah {
  const w = b.x2 - b.x1;
  const h = Math.max(1e-6, b.y2 - b.y1);
  return [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2, w / h, h];
}

export function xyahToBox([cx, cy, a, h]: Xyah): Box {
  const w = a * h;
  return { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 };
}

/** Position noise std per axis for height h (aspect has its own constant). */
function positionStd(h: number, aspectStd: number): [number, number, number, number] {
  const s = STD_WEIGHT_POSITION * h;
  return [s, s, aspectStd, s];
}

function velocityStd(h: number): [number, number, number, number] {
  const s = STD_WEIGHT_VELOCITY * h;
  return [s, s, ASPECT_VELOCITY_STD, s];
}

/** A new track from an unassociated measurement: zero velocity, wide velocity uncertainty. */
export function initiate(z: Xyah): KalmanState {
  const h = z[3];
  const ps = positionStd(h, 1e-2).map((s, i) => (i === 2 ? s : 2 * s));
  const vs = velocityStd(h).map((s, i) => (i === 2 ? s : 10 * s));
  const axis = (i: number): Axis => ({ p: z[i]!, v: 0, a: ps[i]! ** 2, b: 0, c: vs[i]! ** 2 });
  return { axes: [axis(0), axis(1), axis(2), axis(3)] };
}

/**
 * Step the state `steps` sampled frames ahead (ByteTrack predicts once per
 * frame; a skipped frame is one more step). `freezeHeight` zeroes the height
 * velocity, as ByteTrack does for tracks that are not currently tracked, so a
 * lost box does not shrink or grow without evidence.
 */
export function predict(s: KalmanState, steps = 1, freezeHeight = false): KalmanState {
  const axes = s.axes.map((x) => ({ ...x })) as KalmanState['axes'];
  if (freezeHeight) axes[3].v = 0;
  for (let k = 0; k < steps; k++) {
    const h = axes[3].p;
    const ps = positionStd(h, ASPECT_STD);
    const vs = velocityStd(h);
    axes.forEach((x, i) => {
      x.p += x.v;
      // P = F P Fᵀ + Q with F = [[1, 1], [0, 1]].
      const a = x.a + 2 * x.b + x.c + ps[i]! ** 2;
      const b = x.b + x.c;
      x.a = a;
      x.b = b;
      x.c += vs[i]! ** 2;
    });
  }
  return { axes };
}

/** Correct the state with a measurement. */
export function update(s: KalmanState, z: Xyah): KalmanState {
  const rs = positionStd(s.axes[3].p, 1e-1);
  const axes = s.axes.map((x, i) => {
    const S = x.a + rs[i]! ** 2;
    const k0 = x.a / S;
    const k1 = x.b / S;
    const y = z[i]! - x.p;
    return { p: x.p + k0 * y, v: x.v + k1 * y, a: x.a - (x.a * x.a) / S, b: x.b - (x.a * x.b) / S, c: x.c - (x.b * x.b) / S };
  }) as KalmanState['axes'];
  return { axes };
}

export function stateBox(s: KalmanState): Box {
  const [x, y, a, h] = s.axes;
  return xyahToBox([x.p, y.p, a.p, h.p]);
}

/** Velocity of the box centre in pixels per sampled frame. */
export function stateVelocity(s: KalmanState): readonly [vx: number, vy: number] {
  return [s.axes[0].v, s.axes[1].v];
}
