// When a vehicle crossed the stop line. The box's bottom centre decides that
// it crossed (DirectedLine, with its margin against box jitter); these date
// the crossing: from the vehicle's front where the bottom centre is not the
// front (frontOf, frontFirst: standing with its front over the line, from
// when it moved off), and at the line itself for one that stood just short
// of it and crept across (creptOff).
import type { Point, RoadUserClass } from '../types.ts';
import type { Approach } from '../sites/schema.ts';
import type { RulesParams } from './params.ts';
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';
import type { Crossing, DirectedLine } from './line-crossing.ts';
import { travelAxis } from './zones.ts';

export const isMotor = (c: RoadUserClass) => c === 'vehicle' || c === 'large_vehicle';

/** Where a road user's front touches the ground, seen in one frame. */
export type FrontOf = (o: Observation, cls: RoadUserClass) => Point;

/** The point that crosses the stop line: the front, or the bottom centre where that is the front (no FrontOf). */
export const aheadOf = (front: FrontOf | undefined, o: Observation, cls: RoadUserClass): Point => (front ? front(o, cls) : o.ground);

/**
 * How the front of a road user on this approach is found in its box, or
 * undefined where the box's bottom centre is the front already (traffic
 * coming towards the camera):
 *  - across the picture (within 37° of horizontal): the bottom centre is the
 *    middle of the vehicle, half a length behind its bumper; the front is
 *    the bottom corner ahead;
 *  - away from the camera: the bottom is the rear, and the front bumper's
 *    contact is hidden under the body, a fixed share of the box's height
 *    below its top (departingFront*). Measured from the top, which a box cut
 *    by the picture's bottom edge still has right.
 */
export function frontOf(a: Approach, p: RulesParams): FrontOf | undefined {
  const [dx, dy] = travelAxis(a).u;
  if (Math.abs(dx) >= 0.8) return (o) => [o.ground[0] + Math.sign(dx) * ((o.box.x2 - o.box.x1) / 2), o.ground[1]];
  if (dy < 0) return (o, cls) => [o.ground[0], o.box.y1 + (isMotor(cls) ? p.departingFrontMotor : p.departingFrontNonMotor) * (o.box.y2 - o.box.y1)];
  return undefined;
}

/**
 * A confirmed crossing, dated from when the road user's front crossed. The
 * box's bottom centre decides that it crossed; where that is not the front
 * (frontOf), the crossing is moved back to the frame where the front went
 * over: a bus pulling away from the line across the picture crosses it with
 * its front 1.5–2 s before its middle does, a car driving away from the
 * camera with its front a second before its rear, and a front over the line
 * on amber is no red-light run. Front-deciding was tried and dropped for the
 * side view: waiting vehicles whose bonnet pokes over the line became
 * overruns.
 *
 * A front that got over while the vehicle stood (its box a little longer
 * than the car, or settling a pixel further) crossed when it moved off: the
 * last frame it was still where it stood, within moveOffDistance box
 * heights, having stood there stillSeconds. Measured from where it stood,
 * not frame to frame: boxes wobble by a few pixels, and a track can take a
 * neighbour's box for one frame (a jump away and back), neither of which is
 * moving off.
 */
export function frontFirst(c: Crossing, user: RoadUser, line: DirectedLine, front: FrontOf | undefined, p: RulesParams): Crossing {
  if (!front) return c;
  const recent = user.recent;
  const cls = user.cls;
  const past = (o: Observation) => line.isPast(front(o, cls), o.height);
  const end = recent.indexOf(c.past);
  let i = end;
  if (i <= 0) return c;
  // Back from the centre's first frame past the line, while the front was already past it.
  while (i > 0 && past(recent[i - 1]!)) i--;
  if (i === 0) return c;
  const at = recent[i]!.ground;
  const there = (o: Observation) => Math.hypot(o.ground[0] - at[0], o.ground[1] - at[1]) <= p.moveOffDistance * o.height;
  // The first and last frames it was there, a frame elsewhere in between or not.
  const first = recent.findIndex(there);
  let last = i;
  for (let k = i + 1; k < end; k++) if (there(recent[k]!)) last = k;
  if (recent[last]!.t - recent[first]!.t >= p.stillSeconds * 1000) i = last + 1;
  if (recent[i] === c.past) return c;
  return { ...c, before: recent[i - 1]!, past: recent[i]! };
}

/**
 * A vehicle that stood just short of the stop line (within lineMargin of it)
 * and crept across crossed when its point (the front, or the bottom centre)
 * passed the line itself, not the margin. The margin keeps a waiter's
 * jittering box from crossing, and so dates a creeping one late: a truck
 * standing 4 px short of the line and moving off at a pixel a frame (which
 * reads as still by stillSpeed) reached the margin a second after the line,
 * 1.9 s after it moved off. It stood: over stillSeconds its point kept within
 * creepTolerance box heights. Each frame's point is the median of it and its
 * neighbours', so that a track taking a neighbour's box for one frame is
 * neither a stand nor a crossing. Nothing changes for a vehicle that never
 * stood, or stood further back or over the line.
 */
export function creptOff(c: Crossing, user: RoadUser, line: DirectedLine, front: FrontOf | undefined, p: RulesParams): Crossing {
  const r = user.recent;
  const end = r.indexOf(c.past);
  if (end <= 1) return c;
  const cls = user.cls;
  const raw = r.map((o) => line.beyond(aheadOf(front, o, cls)));
  const b = raw.map((v, k) => median3(raw[k - 1] ?? v, v, raw[k + 1] ?? v));
  const span = p.stillSeconds * 1000;
  for (let k = end - 1; k > 0; k--) {
    let lo = b[k]!;
    let hi = lo;
    let j = k;
    while (j > 0 && r[k]!.t - r[j]!.t < span) {
      j--;
      lo = Math.min(lo, b[j]!);
      hi = Math.max(hi, b[j]!);
    }
    if (r[k]!.t - r[j]!.t < span) return c; // not seen that long before: no stand to date from
    if (hi - lo > p.creepTolerance * r[k]!.height) continue;
    // The last stand before the crossing: just short of the line, or else
    // further back or over it (the margin dates it; frontFirst for a front
    // over the line).
    if (lo < -p.lineMargin * r[k]!.height || hi > 0) return c;
    let i = end;
    while (i - 1 > k && b[i - 1]! > 0) i--;
    return i < end ? { ...c, before: r[i - 1]!, past: r[i]! } : c;
  }
  return c;
}

const median3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
