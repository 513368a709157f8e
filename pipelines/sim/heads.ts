// Where each signal head appears in the image. Heads hang on mast arms on
// the far side of the junction (pedestrian heads on poles at the crosswalk
// ends), drawn facing the camera and never smaller than a readable size.
// The same rectangles are the signal regions in the sites file.
import { depthOf, project, scaleAt, type Camera } from './camera.ts';
import type { HeadSpec, SignalPlan } from './signals.ts';
import { armPoint, type World } from './world.ts';

export type LampColour = 'red' | 'amber' | 'green';

export interface Lamp {
  colour: LampColour;
  cx: number;
  cy: number;
  r: number;
}

export interface HeadPlacement {
  head: HeadSpec;
  region: { x: number; y: number; width: number; height: number };
  orientation: 'vertical';
  /** Heads on the same mast move together. */
  group: string;
  lamps: Lamp[];
  /** Pole from the ground to the head (image points), drawn into the background. */
  pole: [number, number, number, number];
}

const MAST_HEIGHT = 6;
const PED_HEIGHT = 2.8;
const LAMP_M = 0.15;

export function placeHeads(world: World, plan: SignalPlan, cam: Camera): HeadPlacement[] {
  const s = cam.width / 1280;
  const placed: HeadPlacement[] = [];
  const byArm = new Map<string, HeadSpec[]>();
  for (const h of plan.heads) {
    const key = h.kind === 'pedestrian' ? `ped:${h.id}` : `veh:${h.arm}`;
    byArm.set(key, [...(byArm.get(key) ?? []), h]);
  }
  for (const [key, heads] of byArm) {
    const first = heads[0]!;
    const arm = world.arms[first.arm];
    let anchor: [number, number, number];
    let foot: [number, number, number];
    if (key.startsWith('veh:')) {
      // Far side of the box, over the approach's lanes; pole on the far right corner.
      const lanes = arm.lanes.length * arm.laneWidth;
      const [x, y] = armPoint(arm, -(arm.boxEdge + 2.5), lanes * 0.55);
      const [px, py] = armPoint(arm, -(arm.boxEdge + 2.5), arm.halfWidth + 1.2);
      anchor = [x, y, MAST_HEIGHT];
      foot = [px, py, 0];
    } else {
      const d = (arm.cwNear + arm.cwFar) / 2;
      const ends = [1, -1].map((side) => armPoint(arm, d, side * (arm.halfWidth + 0.9)));
      // The end farther from the camera reads better (less foreshortened, not at the frame edge).
      const [ex, ey] = ends.map((e) => ({ e, depth: depthOf(cam, e[0], e[1], PED_HEIGHT), p: project(cam, e[0], e[1], PED_HEIGHT) }))
        .filter((o) => o.depth > 2 && o.p[0] > 10 && o.p[0] < cam.width - 10 && o.p[1] > 10 && o.p[1] < cam.height - 10)
        .sort((a, b) => b.depth - a.depth)[0]?.e ?? ends[0]!;
      anchor = [ex, ey, PED_HEIGHT];
      foot = [ex, ey, 0];
    }
    if (depthOf(cam, anchor[0], anchor[1], anchor[2]) < 2) continue;
    const [ax, ay] = project(cam, anchor[0], anchor[1], anchor[2]);
    const [fx, fy] = project(cam, foot[0], foot[1], 0);
    const r = Math.min(9 * s, Math.max(4 * s, LAMP_M * scaleAt(cam, anchor[0], anchor[1], anchor[2])));
    const pad = Math.max(2, r * 0.45);
    const gap = Math.max(3, r * 0.7);
    const sizes = heads.map((h) => {
      const rr = h.kind === 'non_motor' ? r * 0.8 : r;
      const lamps = h.kind === 'pedestrian' ? 2 : 3;
      return { h, rr, w: 2 * rr + 2 * pad, hgt: lamps * 2 * rr + (lamps + 1) * pad };
    });
    const total = sizes.reduce((a, b) => a + b.w, 0) + gap * (sizes.length - 1);
    let x = ax - total / 2;
    for (const { h, rr, w, hgt } of sizes) {
      const region = { x: Math.round(x), y: Math.round(ay - hgt / 2), width: Math.round(w), height: Math.round(hgt) };
      placed.push({ head: h, region, orientation: 'vertical', group: key, lamps: [], pole: [fx, fy, ax, ay] });
      placed[placed.length - 1]!.lamps = lampsFor(h, region, rr);
      x += w + gap;
    }
  }
  separate(placed);
  return placed.filter((p) => inside(p.region, cam.width, cam.height));
}

function lampsFor(h: HeadSpec, region: HeadPlacement['region'], r: number): Lamp[] {
  const colours: LampColour[] = h.kind === 'pedestrian' ? ['red', 'green'] : ['red', 'amber', 'green'];
  const cx = region.x + region.width / 2;
  const step = region.height / colours.length;
  return colours.map((colour, i) => ({ colour, cx, cy: region.y + step * (i + 0.5), r }));
}

function overlaps(a: HeadPlacement['region'], b: HeadPlacement['region'], margin: number): boolean {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

/** Pushes overlapping groups upwards so every region reads on its own. */
function separate(placed: HeadPlacement[]): void {
  for (let pass = 0; pass < 20; pass++) {
    let moved = false;
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i]!;
        const b = placed[j]!;
        if (a.group === b.group || !overlaps(a.region, b.region, 3)) continue;
        const dy = a.region.y - 4 - (b.region.y + b.region.height);
        for (const p of placed) if (p.group === b.group) shiftY(p, dy);
        moved = true;
      }
    }
    if (!moved) return;
  }
}

function shiftY(p: HeadPlacement, dy: number): void {
  p.region.y += dy;
  p.pole[3] += dy;
  for (const l of p.lamps) l.cy += dy;
}

function inside(r: HeadPlacement['region'], w: number, h: number): boolean {
  return r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;
}
