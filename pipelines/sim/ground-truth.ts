// Ground truth sidecar (PATH.gt.json.gz): what is in every frame and who
// broke which rule when. Built from the simulation and the camera alone, so
// it is identical whether or not the clip is rendered.
//
// Format `crosswatch-gt/1` (gzip JSON):
//   seed, layout, conditions (words), width, height, fps, frameCount,
//   start (clip start, ISO UTC), timeZone, cameraCode, intersectionCode
//   classes: ['vehicle', 'large_vehicle', 'non_motor', 'pedestrian']
//   frames[i]: rows [actorId, classIndex, x1, y1, x2, y2, visibleFraction]
//     The box is the whole object in integer pixels (floor / ceil of its
//     projected corners, camera shake included) and may reach past the frame
//     edge: clip it to [0, width] x [0, height] for training. visibleFraction
//     (0..1, two decimals) is the share of the object's silhouette that is
//     inside the frame and not hidden by a nearer road user. Rows exist for
//     every road user whose box touches the frame.
//   actors: { id, class, kind, behaviour, zoneId, movement }
//     behaviour is what the road user did (green, amber_crossing,
//     stopped_at_red, red_light, stop_line_overrun, right_turn_on_red,
//     non_motor_red_light, crossed_on_walk, waited_at_kerb,
//     crossed_on_dont_walk, midblock_jaywalk); events are the authority.
//   events: every violation in the clip: { actorId, category, zoneId,
//     signalId (the head that was red; null mid-block), t (decisive moment),
//     stopLineT, secondLineT (red_light, non_motor_red_light), haltT
//     (stop_line_overrun: when it stopped short of the second line), enterT
//     (jaywalk: stepping into the carriageway) }. A vehicle crosses a line
//     when its front does. Only violations whose proving moments all fall
//     inside the clip are listed (a jaywalk's: the step in and 1 s after it).
//   Events and exposures are listed only in zones the sites file calibrates
//   (the carriageway always, but a mid-block entry only where the road user's
//   ground point is inside the frame at that moment), and an exposure only of
//   a road user seen (SEEN_FRACTION of it in view) at some frame while
//   exposed: what the camera cannot judge is not counted.
//   exposures: { actorId, category, zoneId, t, until } (until: when it
//     stopped facing red, by crossing or its signal leaving red; t = 0 for one already
//     waiting at red when the clip starts, if red still shows 1 s into the
//     clip: a queue released as the clip begins faced red before it): motor vehicles that faced
//     red at the stop line (front within 5 m of it while red, or crossing it
//     on red) count once in red_light and once in stop_line_overrun;
//     non-motor vehicles likewise in non_motor_red_light; pedestrians who
//     reached a kerb on don't-walk, or stepped into the carriageway away from
//     a crosswalk, in jaywalk. A right turn where no arrow governs right is
//     never an exposure (turning on red is legal there).
//   signals: { headId: [[from_s, to_s, colour], ...] } over the clip.
//   counts: { category: { exposures, violations } }.
// Times are seconds from the clip start.
import { CATEGORIES, ROAD_USER_CLASSES, type Category, type Movement, type RoadUserClass, type SignalColour } from '../types.ts';
import { CLASS_OF } from './actors.ts';
import { shifted } from './camera.ts';
import { convexHull, fillPolygonId } from './raster.ts';
import type { Scene } from './scene.ts';
import { projectActor, type ProjectedActor } from './shapes.ts';
import { timeline } from './signals.ts';
import type { SimEvent, SimExposure, SimResult } from './simulate.ts';

export const GT_FORMAT = 'crosswatch-gt/1';

/** [actorId, classIndex, x1, y1, x2, y2, visibleFraction] */
export type GtBoxRow = [number, number, number, number, number, number, number];

export interface GtActor {
  id: number;
  class: RoadUserClass;
  kind: string;
  behaviour: string;
  zoneId: string;
  movement: Movement | null;
}

export type GtEvent = SimEvent;
export type GtExposure = SimExposure;

export interface GroundTruth {
  format: typeof GT_FORMAT;
  seed: number;
  layout: string;
  conditions: string[];
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  start: string;
  timeZone: string;
  cameraCode: string;
  intersectionCode: string;
  classes: RoadUserClass[];
  frames: GtBoxRow[][];
  actors: GtActor[];
  events: GtEvent[];
  exposures: GtExposure[];
  signals: Record<string, [number, number, SignalColour][]>;
  counts: Record<Category, { exposures: number; violations: number }>;
}

export interface GtMeta {
  conditions: string[];
  start: string;
  timeZone: string;
  cameraCode: string;
  intersectionCode: string;
  /** Camera shake per frame (pixels). */
  shake: (frame: number) => [number, number];
  /** Zones the camera's calibration covers; events and exposures elsewhere are left out (nobody could judge them). */
  zones?: ReadonlySet<string>;
}

/** Half-resolution silhouette buffer with a margin, so parts beyond the frame edge still count in the whole. */
class Visibility {
  readonly bw: number;
  readonly bh: number;
  readonly mx: number;
  readonly my: number;
  readonly buf: Uint16Array;

  constructor(readonly width: number, readonly height: number) {
    this.mx = Math.ceil(width / 8);
    this.my = Math.ceil(height / 8);
    this.bw = Math.ceil(width / 2) + 2 * this.mx;
    this.bh = Math.ceil(height / 2) + 2 * this.my;
    this.buf = new Uint16Array(this.bw * this.bh);
  }

  /** Visible fraction of each projected actor (same order). */
  measure(items: ProjectedActor[]): number[] {
    this.buf.fill(0);
    const order = items.map((_, i) => i).sort((a, b) => items[b]!.depth - items[a]!.depth);
    const total = new Float64Array(items.length);
    for (const i of order) {
      for (const p of items[i]!.parts) {
        const pts = p.img.map((v, k) => (k % 2 === 0 ? v / 2 + this.mx : v / 2 + this.my));
        total[i] = total[i]! + fillPolygonId(this.buf, this.bw, this.bh, convexHull(pts), i + 1);
      }
    }
    const seen = new Float64Array(items.length + 1);
    const x1 = this.mx + Math.ceil(this.width / 2);
    const y1 = this.my + Math.ceil(this.height / 2);
    for (let y = this.my; y < y1; y++) {
      const row = y * this.bw;
      for (let x = this.mx; x < x1; x++) { const k = this.buf[row + x]!; seen[k] = seen[k]! + 1; }
    }
    return items.map((_, i) => (total[i]! > 0 ? Math.round((100 * Math.min(1, seen[i + 1]! / total[i]!))) / 100 : 0));
  }
}

export function buildGroundTruth(sim: SimResult, scene: Scene, meta: GtMeta): GroundTruth {
  const { width, height } = scene.camera;
  const inZone = (e: { zoneId: string }) => !meta.zones || meta.zones.has(e.zoneId);
  const vis = new Visibility(width, height);
  const seenActors = new Set<number>();
  const frames: GtBoxRow[][] = sim.frames.map((poses, f) => {
    const [dx, dy] = meta.shake(f);
    const cam = shifted(scene.camera, dx, dy);
    const projected: ProjectedActor[] = [];
    for (const pose of poses) {
      const p = projectActor(cam, sim.actors.get(pose.id)!.body, pose);
      if (p && p.box.x2 > 0 && p.box.x1 < width && p.box.y2 > 0 && p.box.y1 < height) projected.push(p);
    }
    const fractions = vis.measure(projected);
    return projected.map((p, i): GtBoxRow => {
      seenActors.add(p.id);
      const cls = CLASS_OF[sim.actors.get(p.id)!.kind];
      return [p.id, ROAD_USER_CLASSES.indexOf(cls), Math.floor(p.box.x1), Math.floor(p.box.y1), Math.ceil(p.box.x2), Math.ceil(p.box.y2), fractions[i]!];
    });
  });
  // The carriageway is always calibrated but the camera sees only part of it:
  // a mid-block entry counts only where the camera sees it happen.
  const judged = (e: { zoneId: string; actorId: number; t: number }) => inZone(e) && (e.zoneId !== 'carriageway' || groundInFrame(frames, e.actorId, e.t, sim.fps, width, height));
  const events = sim.events.filter(judged);
  // Facing red out of sight (waiting beyond the picture's edge, hidden behind a
  // bus all along) is nobody's to count: an exposure needs the road user seen
  // while exposed. A violator always is one (its events are proved on camera).
  const violators = new Set(events.map((e) => `${e.category}:${e.actorId}`));
  const exposures = sim.exposures.filter((e) => judged(e) && (violators.has(`${e.category}:${e.actorId}`) || seenBetween(frames, e.actorId, e.t, e.until, sim.fps)));
  for (const e of [...events, ...exposures]) seenActors.add(e.actorId);
  const actors: GtActor[] = [...seenActors].sort((a, b) => a - b).map((id) => {
    const a = sim.actors.get(id)!;
    return { id, class: CLASS_OF[a.kind], kind: a.kind, behaviour: a.outcome, zoneId: a.zoneId, movement: a.movement };
  });
  const seconds = sim.frameCount / sim.fps;
  const signals: GroundTruth['signals'] = {};
  for (const h of sim.plan.heads) signals[h.id] = timeline(sim.plan, h.id, 0, seconds).map(([a, b, c]) => [round3(a), round3(b), c]);
  const counts = Object.fromEntries(
    CATEGORIES.map((c) => [c, { exposures: exposures.filter((e) => e.category === c).length, violations: events.filter((e) => e.category === c).length }]),
  ) as GroundTruth['counts'];
  return {
    format: GT_FORMAT,
    seed: sim.seed,
    layout: sim.world.layout.name,
    conditions: meta.conditions,
    width,
    height,
    fps: sim.fps,
    frameCount: sim.frameCount,
    start: meta.start,
    timeZone: meta.timeZone,
    cameraCode: meta.cameraCode,
    intersectionCode: meta.intersectionCode,
    classes: [...ROAD_USER_CLASSES],
    frames,
    actors,
    events,
    exposures,
    signals,
    counts,
  };
}

/**
 * Share of a road user's silhouette in view for it to count as seen while
 * exposed: some of it, not all (a car queued behind a bus shows a tenth of
 * itself and is still counted by whoever watches the footage, and found by
 * the detector); nothing of it, as beyond the picture's edge, is not seen.
 */
export const SEEN_FRACTION = 0.1;

/** Seen (SEEN_FRACTION of it in view) in some frame between t and until, in seconds. */
function seenBetween(frames: GtBoxRow[][], actorId: number, t: number, until: number, fps: number): boolean {
  const last = Math.min(frames.length - 1, Math.ceil(until * fps));
  for (let k = Math.max(0, Math.floor(t * fps)); k <= last; k++) if (frames[k]!.some((r) => r[0] === actorId && r[6] >= SEEN_FRACTION)) return true;
  return false;
}

/** The road user's ground contact point (its box's bottom centre) is inside the frame at time t (seconds). */
function groundInFrame(frames: GtBoxRow[][], actorId: number, t: number, fps: number, width: number, height: number): boolean {
  const row = frames[Math.min(frames.length - 1, Math.max(0, Math.round(t * fps)))]?.find((r) => r[0] === actorId);
  if (!row) return false;
  const x = (row[2] + row[4]) / 2;
  return x >= 0 && x <= width && row[5] >= 0 && row[5] <= height;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
