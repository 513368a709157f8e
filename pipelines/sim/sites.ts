// The scene's calibration written in the project's sites format
// (pipelines/sites/schema.ts), all in image pixels after projection and
// clipped to the frame: the rest of the system is calibrated with no hand work.
import { SITES_FORMAT, type Approach, type Calibration, type CameraSite, type Crosswalk, type IntersectionSite, type SitesFile } from '../sites/schema.ts';
type Point = [number, number];
import { depthOf, NEAR, project, projectPolygon, type Camera, type Vec3 } from './camera.ts';
import type { HeadPlacement } from './heads.ts';
import { roadOutline, type Scene } from './scene.ts';
import { ids } from './signals.ts';
import { EXPOSURE_DIST } from './traffic.ts';
import { polygonArea } from '../geometry/polygon.ts';
import { armPoint, ARM_NAMES, nonMotorSecondSpan, secondLineSpan, type Arm } from './world.ts';

export interface SiteNames {
  intersectionCode: string;
  intersectionName: string;
  cameraCode: string;
  timeZone: string;
  district?: string;
}

/** Lane area read upstream of the stop line (metres). */
const LANE_DEPTH = 15;
/** Metres the wait zone reaches past the stop line: a waiting vehicle's box often pokes over it. */
const ZONE_OVER = 2;
/** Shortest stop line (pixels) worth calibrating. */
const MIN_LINE_PX = 6;

export function sitesFile(intersections: IntersectionSite[]): SitesFile {
  return { format: SITES_FORMAT, intersections };
}

export function intersectionSite(scene: Scene, names: SiteNames): IntersectionSite {
  const camera: CameraSite = {
    code: names.cameraCode,
    name: `Pole camera over the south approach (${scene.world.layout.name})`,
    resolution: { width: scene.camera.width, height: scene.camera.height },
    calibration: calibration(scene),
  };
  return {
    code: names.intersectionCode,
    name: names.intersectionName,
    ...(names.district ? { district: names.district } : {}),
    time_zone: names.timeZone,
    cameras: [camera],
  };
}

export function calibration(scene: Scene): Calibration {
  const cam = scene.camera;
  const carriageway = clipPolygon(projectPolygon(cam, roadOutline(scene.world, 0, 200)), cam.width, cam.height);
  const approaches: Approach[] = [];
  const crosswalks: Crosswalk[] = [];
  for (const name of ARM_NAMES) {
    const arm = scene.world.arms[name];
    const motor = motorApproach(scene, arm);
    if (motor) approaches.push(motor);
    const nm = nonMotorApproach(scene, arm);
    if (nm) approaches.push(nm);
    const cw = crosswalk(scene, arm);
    if (cw) crosswalks.push(cw);
  }
  return { carriageway, approaches, crosswalks, ...groundPoints(scene) };
}

/**
 * The crosswalks' corners that show in the picture, with their ground
 * positions: what a surveyor would tape out. Metres in the twin's world frame.
 */
function groundPoints(scene: Scene): Pick<Calibration, 'ground'> {
  const cam = scene.camera;
  const points = ARM_NAMES.flatMap((name) => {
    const arm = scene.world.arms[name];
    return [arm.cwNear, arm.cwFar].flatMap((d) => [-arm.halfWidth, arm.halfWidth].map((lat) => ground(arm, d, lat)));
  }).flatMap((g) => {
    if (depthOf(cam, g[0], g[1], 0) < NEAR) return [];
    const [u, v] = project(cam, g[0], g[1], 0);
    if (!(u >= 0 && u <= cam.width && v >= 0 && v <= cam.height)) return [];
    return [{ image: [r1(u), r1(v)] as Point, metres: [r2(g[0]), r2(g[1])] as Point }];
  });
  return points.length >= 4 ? { ground: points } : {};
}

function ground(arm: Arm, d: number, lat: number): Vec3 {
  const [x, y] = armPoint(arm, d, lat);
  return [x, y, 0];
}

function quad(cam: Camera, arm: Arm, d0: number, d1: number, l0: number, l1: number): Point[] {
  return clipPolygon(projectPolygon(cam, [ground(arm, d0, l0), ground(arm, d1, l0), ground(arm, d1, l1), ground(arm, d0, l1)]), cam.width, cam.height);
}

function line(cam: Camera, arm: Arm, d: number, l0: number, l1: number): [Point, Point] | null {
  const img = projectPolygon(cam, [ground(arm, d, l0), ground(arm, d, l1), ground(arm, d, l1)]);
  if (img.length < 6) return null;
  const seg = clipSegment([img[0]!, img[1]!], [img[2]!, img[3]!], cam.width, cam.height);
  if (!seg || Math.hypot(seg[1][0] - seg[0][0], seg[1][1] - seg[0][1]) < MIN_LINE_PX) return null;
  return seg;
}

/** The twin's exposure rule (front within EXPOSURE_DIST of the stop line on red) drawn on the ground, where it shows in the picture. */
function waitZone(polygon: [number, number][]): { wait_zone?: [number, number][] } {
  return polygon.length >= 3 && polygonArea(polygon) > 0 ? { wait_zone: polygon } : {};
}

function signal(heads: HeadPlacement[], id: string): HeadPlacement | undefined {
  return heads.find((h) => h.head.id === id);
}

function motorApproach(scene: Scene, arm: Arm): Approach | null {
  const cam = scene.camera;
  const stop = line(cam, arm, arm.stopDist, 0, arm.lanes.length * arm.laneWidth);
  const [s0, s1] = secondLineSpan(arm);
  const second = line(cam, arm, arm.secondDist, s0, s1);
  const signals = scene.heads
    .filter((h) => h.head.arm === arm.name && (h.head.kind === 'ball' || h.head.kind === 'arrow'))
    .map((h) => ({ id: h.head.id, movements: h.head.movements, shape: h.head.kind === 'arrow' ? ('arrow' as const) : ('ball' as const), orientation: h.orientation, region: h.region }));
  const lanes = arm.lanes
    .map((movements, i) => ({ id: `${arm.name}-l${i + 1}`, polygon: quad(cam, arm, arm.stopDist, arm.stopDist + LANE_DEPTH, i * arm.laneWidth, (i + 1) * arm.laneWidth), movements }))
    .filter((l) => l.polygon.length >= 3);
  if (!stop || !second || signals.length === 0 || lanes.length === 0) return null;
  return { id: ids.approach(arm.name), name: `${arm.name} approach`, stop_line: stop, second_line: second, lanes, signals, ...waitZone(quad(cam, arm, arm.stopDist - ZONE_OVER, arm.stopDist + EXPOSURE_DIST, 0, arm.lanes.length * arm.laneWidth)) };
}

function nonMotorApproach(scene: Scene, arm: Arm): Approach | null {
  const cam = scene.camera;
  const inner = arm.lanes.length * arm.laneWidth;
  const stop = line(cam, arm, arm.stopDist, inner, arm.halfWidth);
  const [s0, s1] = nonMotorSecondSpan(arm);
  const second = line(cam, arm, arm.nmSecondDist, s0, s1);
  const head = signal(scene.heads, ids.bike(arm.name));
  const polygon = quad(cam, arm, arm.stopDist, arm.stopDist + LANE_DEPTH, inner, arm.halfWidth);
  if (!stop || !second || !head || polygon.length < 3) return null;
  return {
    id: ids.nmApproach(arm.name),
    name: `${arm.name} non-motor lane`,
    stop_line: stop,
    second_line: second,
    lanes: [{ id: `${arm.name}-nm1`, polygon, movements: ['straight', 'right'] }],
    signals: [{ id: head.head.id, movements: ['straight', 'right'], shape: 'ball', orientation: head.orientation, region: head.region }],
    ...waitZone(quad(cam, arm, arm.stopDist - ZONE_OVER, arm.stopDist + EXPOSURE_DIST, inner, arm.halfWidth)),
  };
}

function crosswalk(scene: Scene, arm: Arm): Crosswalk | null {
  const head = signal(scene.heads, ids.ped(arm.name));
  const polygon = quad(scene.camera, arm, arm.cwNear, arm.cwFar, -arm.halfWidth, arm.halfWidth);
  if (!head || polygon.length < 3) return null;
  return { id: ids.crosswalk(arm.name), polygon, signal: { id: head.head.id, orientation: head.orientation, region: head.region } };
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** Sutherland-Hodgman against the frame; returns rounded points without repeats. */
export function clipPolygon(flat: number[], width: number, height: number): Point[] {
  let pts: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pts.push([flat[i]!, flat[i + 1]!]);
  const edges: [(p: [number, number]) => number][] = [[(p) => p[0]], [(p) => width - p[0]], [(p) => p[1]], [(p) => height - p[1]]];
  for (const [inside] of edges) {
    const out: [number, number][] = [];
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[(i + 1) % pts.length]!;
      const da = inside(a);
      const db = inside(b);
      if (da >= 0) out.push(a);
      if (da >= 0 !== db >= 0) {
        const t = da / (da - db);
        out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    pts = out;
    if (pts.length === 0) return [];
  }
  const rounded: Point[] = [];
  for (const p of pts) {
    const q: Point = [Math.min(width, Math.max(0, r1(p[0]))), Math.min(height, Math.max(0, r1(p[1])))];
    const last = rounded[rounded.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) rounded.push(q);
  }
  while (rounded.length > 1 && rounded[0]![0] === rounded[rounded.length - 1]![0] && rounded[0]![1] === rounded[rounded.length - 1]![1]) rounded.pop();
  return rounded.length >= 3 ? rounded : [];
}

/** Liang-Barsky clip of a segment to the frame. */
export function clipSegment(a: [number, number], b: [number, number], width: number, height: number): [Point, Point] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const checks: [number, number][] = [[-dx, a[0]], [dx, width - a[0]], [-dy, a[1]], [dy, height - a[1]]];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return null;
  }
  return [
    [r1(a[0] + t0 * dx), r1(a[1] + t0 * dy)],
    [r1(a[0] + t1 * dx), r1(a[1] + t1 * dy)],
  ];
}
