// Road users: tracks joined across a lost-and-found (a new id where another
// road user vanished moments ago near a line), with their class decided by a
// score-weighted vote over their whole life and a stillness test.
import type { RoadUserClass } from '../types.ts';
import type { Observation } from './types.ts';
import { votedClass } from '../track/byte-tracker.ts';
import type { PlaneMap } from '../geometry/homography.ts';

export class RoadUser {
  readonly trackIds = new Set<number>();
  readonly votes = new Map<RoadUserClass, number>();
  first: Observation;
  last: Observation;
  /** Recent observations, oldest first, spanning a little over the longest stillness window. */
  recent: Observation[] = [];
  private scoreSum = 0;
  private count = 0;

  constructor(
    /** The first track id: the road user's id in every output. */
    readonly id: number,
    o: Observation,
    private readonly keepMs: number,
    /** The span velocity() measures over (at most keepMs). */
    private readonly velocityMs: number = keepMs,
  ) {
    this.first = o;
    this.last = o;
    this.add(o);
  }

  add(o: Observation): void {
    this.trackIds.add(o.trackId);
    this.votes.set(o.cls, (this.votes.get(o.cls) ?? 0) + o.score);
    this.scoreSum += o.score;
    this.count += 1;
    this.last = o;
    this.recent.push(o);
    while (this.recent.length > 2 && o.t - this.recent[1]!.t >= this.keepMs) this.recent.shift();
  }

  get cls(): RoadUserClass {
    return votedClass(this.votes) ?? this.first.cls;
  }

  get meanScore(): number {
    return this.scoreSum / this.count;
  }

  /**
   * Still: over at least `seconds`, the ground point moved less than `speed`
   * box heights per second. Needs that much history, so a road user just seen
   * is never still.
   */
  isStill(speed: number, seconds: number): boolean {
    const span = this.span(seconds);
    if (!span) return false;
    const [then, now] = span;
    // A box cut by the picture's bottom edge moves with its top (as in velocity()).
    const dy = now.cutBottom || then.cutBottom ? now.box.y1 - then.box.y1 : now.ground[1] - then.ground[1];
    const d = Math.hypot(now.ground[0] - then.ground[0], dy);
    return d / Math.max(1, now.height) / ((now.t - then.t) / 1000) < speed;
  }

  /**
   * Speed on the road in metres per second over at least `seconds`, through
   * the calibration's ground map. Undefined with less history, for a box cut
   * by the picture's bottom edge (its bottom is not where it stands), or off
   * the mapped plane.
   */
  groundSpeed(seconds: number, toGround: PlaneMap): number | undefined {
    const span = this.span(seconds);
    if (!span) return undefined;
    const [then, now] = span;
    if (then.cutBottom || now.cutBottom) return undefined;
    const a = toGround(then.ground);
    const b = toGround(now.ground);
    return a && b ? Math.hypot(b[0] - a[0], b[1] - a[1]) / ((now.t - then.t) / 1000) : undefined;
  }

  /** The latest observation at least `seconds` before the last one, and the last. */
  private span(seconds: number): [Observation, Observation] | undefined {
    const now = this.last;
    let i = this.recent.length - 1;
    while (i >= 0 && now.t - this.recent[i]!.t < seconds * 1000) i--;
    const then = this.recent[i];
    return then ? [then, now] : undefined;
  }

  /**
   * Ground velocity in pixels per millisecond over the last velocityMs. A box
   * cut by the picture's bottom edge has its bottom pinned there while the
   * road user moves: its top gives the motion up and down the picture.
   */
  velocity(): readonly [number, number] {
    const b = this.last;
    const a = this.recent.find((o) => b.t - o.t <= this.velocityMs) ?? b;
    const dt = b.t - a.t;
    if (dt <= 0) return [0, 0];
    const dy = a.cutBottom || b.cutBottom ? b.box.y1 - a.box.y1 : b.ground[1] - a.ground[1];
    return [(b.ground[0] - a.ground[0]) / dt, dy / dt];
  }
}

export interface RegistryOptions {
  stitchMs: number;
  /** In box heights. */
  stitchDistance: number;
  finalizeMs: number;
  keepMs: number;
  velocityMs: number;
  /** Whether a vanished road user may be joined to a new track (where it was last seen, how it moved). */
  stitchable: (u: RoadUser) => boolean;
}

/**
 * Last seen with its box against an edge of the picture and moving out
 * through it: it left the picture. A new track appearing at that edge is
 * someone coming in (a car entering where another just left, heading the
 * other way), not the same road user found again. `margin`: pixels.
 */
export function leftPicture(u: RoadUser, frame: { width: number; height: number }, margin = 2): boolean {
  const b = u.last.box;
  const [vx, vy] = u.velocity();
  return (b.x2 >= frame.width - margin && vx > 0) || (b.x1 <= margin && vx < 0) || (b.y2 >= frame.height - margin && vy > 0) || (b.y1 <= margin && vy < 0);
}

/**
 * Pedestrians are joined only to pedestrians: a person walking away from a
 * car is someone else, and so is a person on foot found where a cyclist
 * vanished (joined, the rider's votes outweighed the walker's and a
 * jaywalker went unjudged). A rider's box flickering between the two classes
 * stays on one track; the tracker does not look at class.
 */
function compatible(a: RoadUserClass, b: RoadUserClass): boolean {
  return (a === 'pedestrian') === (b === 'pedestrian');
}

export class RoadUserRegistry {
  private readonly byTrack = new Map<number, RoadUser>();
  private readonly live = new Set<RoadUser>();

  constructor(private readonly o: RegistryOptions) {}

  reset(): void {
    this.byTrack.clear();
    this.live.clear();
  }

  /** The road user this observation belongs to (known track, stitched, or new), updated with it. */
  observe(o: Observation): RoadUser {
    let user = this.byTrack.get(o.trackId) ?? this.stitch(o);
    if (!user) {
      user = new RoadUser(o.trackId, o, this.o.keepMs, this.o.velocityMs);
      this.live.add(user);
    } else user.add(o);
    this.byTrack.set(o.trackId, user);
    return user;
  }

  /** Road users unseen for the finalize period at time t: removed and returned for judging. */
  expire(t: number): RoadUser[] {
    const done = [...this.live].filter((u) => t - u.last.t > this.o.finalizeMs);
    for (const u of done) this.drop(u);
    return done;
  }

  /** Every road user still live (end of window). */
  drain(): RoadUser[] {
    const all = [...this.live];
    for (const u of all) this.drop(u);
    return all;
  }

  private drop(u: RoadUser): void {
    this.live.delete(u);
    for (const id of u.trackIds) this.byTrack.delete(id);
  }

  /** A recently vanished road user near a judged zone, close to where this new track appeared. */
  private stitch(o: Observation): RoadUser | undefined {
    let best: RoadUser | undefined;
    let bestD = Infinity;
    for (const u of this.live) {
      const gap = o.t - u.last.t;
      if (gap <= 0 || gap > this.o.stitchMs || !compatible(u.cls, o.cls) || !this.o.stitchable(u)) continue;
      const [vx, vy] = u.velocity();
      const g = u.last.ground;
      const d = Math.min(
        Math.hypot(o.ground[0] - g[0], o.ground[1] - g[1]),
        Math.hypot(o.ground[0] - (g[0] + vx * gap), o.ground[1] - (g[1] + vy * gap)),
      );
      if (d <= this.o.stitchDistance * Math.max(u.last.height, o.height) && d < bestD) [best, bestD] = [u, d];
    }
    return best;
  }
}
