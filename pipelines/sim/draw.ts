// Per-frame drawing: road users as shaded boxes (with headlights and brake
// lights), signal lamps, then weather and sensor effects.
import type { Body, Rgb } from './actors.ts';
import { depthOf, project, type Camera } from './camera.ts';
import { lit, type Look } from './conditions.ts';
import type { HeadPlacement, Lamp } from './heads.ts';
import { drawLine, fillDisc, fillPolygon, glow, type Canvas } from './raster.ts';
import type { Rng } from './rng.ts';
import { partCorners, projectCorners, type ProjectedActor } from './shapes.ts';
import type { Pose } from './simulate.ts';
import type { SignalColour } from '../types.ts';

// Faces of a part by corner index (bottom 0-3, top 4-7) with outward normals in (heading, left, up).
const FACES: { idx: [number, number, number, number]; n: [number, number, number] }[] = [
  { idx: [0, 1, 5, 4], n: [0, -1, 0] },
  { idx: [1, 2, 6, 5], n: [1, 0, 0] },
  { idx: [2, 3, 7, 6], n: [0, 1, 0] },
  { idx: [3, 0, 4, 7], n: [-1, 0, 0] },
  { idx: [4, 5, 6, 7], n: [0, 0, 1] },
];
const SUN: [number, number] = [0.45, -0.89];

export interface DrawItem {
  pose: Pose;
  body: Body;
  proj: ProjectedActor;
}

export function drawActors(c: Canvas, cam: Camera, look: Look, items: DrawItem[]): void {
  items.sort((a, b) => b.proj.depth - a.proj.depth);
  if (look.headlights) for (const it of items) headlightBeam(c, cam, it);
  for (const it of items) drawActor(c, cam, look, it);
}

function drawActor(c: Canvas, cam: Camera, look: Look, it: DrawItem): void {
  const { pose, body, proj } = it;
  if (!look.headlights) shadow(c, cam, pose, body);
  const cx = cam.position[0];
  const cy = cam.position[1];
  const cz = cam.position[2];
  for (const { part, corners, img } of proj.parts) {
    for (let f = 0; f < FACES.length; f++) {
      const face = FACES[f]!;
      if (part.sidesOnly && f === 4) continue;
      const [na, nb, nz] = face.n;
      // World normal from (heading, left, up).
      const wx = pose.hx * na - pose.hy * nb;
      const wy = pose.hy * na + pose.hx * nb;
      const i0 = face.idx[0] * 3;
      if ((cx - corners[i0]!) * wx + (cy - corners[i0 + 1]!) * wy + (cz - corners[i0 + 2]!) * nz <= 0) continue;
      const shade = nz > 0 ? 1.05 : 0.62 + 0.3 * Math.max(0, wx * SUN[0] + wy * SUN[1]);
      const col = faceColour(part.role, part.colour, f, nz);
      const [r, g, b] = lit(look, col, shade * look.actorGain);
      const q = face.idx;
      fillPolygon(c, [img[2 * q[0]]!, img[2 * q[0] + 1]!, img[2 * q[1]]!, img[2 * q[1] + 1]!, img[2 * q[2]]!, img[2 * q[2] + 1]!, img[2 * q[3]]!, img[2 * q[3] + 1]!], r, g, b);
    }
  }
  lights(c, cam, look, it);
}

function faceColour(role: string, colour: Rgb, face: number, nz: number): Rgb {
  // Windscreens front and back on cabins; roofs keep the paint.
  if (role === 'cabin' && nz === 0 && (face === 1 || face === 3)) return [35, 45, 58];
  return colour;
}

function shadow(c: Canvas, cam: Camera, pose: Pose, body: Body): void {
  const corners = partCorners({ a0: -body.length / 2 - 0.1, a1: body.length / 2 + 0.3, b0: -body.width / 2 - 0.1, b1: body.width / 2 + 0.35, z0: 0, z1: 0, colour: [0, 0, 0], role: 'body' }, pose);
  const img = projectCorners(cam, corners.slice(0, 12));
  if (img.length) fillPolygon(c, img, 10, 10, 12, 0.35);
}

function at(cam: Camera, pose: Pose, a: number, b: number, z: number): [number, number] | null {
  const x = pose.x + pose.hx * a - pose.hy * b;
  const y = pose.y + pose.hy * a + pose.hx * b;
  if (depthOf(cam, x, y, z) < 1) return null;
  return project(cam, x, y, z);
}

function facing(cam: Camera, pose: Pose, sign: 1 | -1): boolean {
  return ((cam.position[0] - pose.x) * pose.hx + (cam.position[1] - pose.y) * pose.hy) * sign > 0;
}

function motor(body: Body): boolean {
  return body.kind !== 'pedestrian' && body.kind !== 'bicycle';
}

function headlightBeam(c: Canvas, cam: Camera, it: DrawItem): void {
  const { pose, body } = it;
  if (!motor(body)) return;
  const hl = body.length / 2;
  const pts = [at(cam, pose, hl, -0.8, 0.02), at(cam, pose, hl + 10, -2.4, 0.02), at(cam, pose, hl + 10, 2.4, 0.02), at(cam, pose, hl, 0.8, 0.02)];
  if (pts.some((p) => p === null)) return;
  fillPolygon(c, pts.flatMap((p) => p!), 200, 190, 150, 0.08);
}

function lights(c: Canvas, cam: Camera, look: Look, it: DrawItem): void {
  const { pose, body } = it;
  if (!motor(body)) return;
  const hl = body.length / 2;
  const side = body.width / 2 - 0.3;
  const scale = cam.focal / Math.max(3, it.proj.depth);
  const night = look.headlights;
  if (facing(cam, pose, 1) && night) {
    for (const b of body.kind === 'ebike' ? [0] : [-side, side]) {
      const p = at(cam, pose, hl + 0.02, b, body.kind === 'ebike' ? 0.9 : 0.65);
      if (!p) continue;
      glow(c, p[0], p[1], Math.max(3, scale * 0.9), 255, 245, 210, 1.2);
      if (look.wet) drawLine(c, p[0], p[1], p[0], p[1] + scale * 2.5, Math.max(2, scale * 0.25), 255, 240, 200, 0.25);
    }
  }
  if (facing(cam, pose, -1) && body.kind !== 'ebike') {
    const bright = pose.braking ? 1 : night ? 0.5 : 0;
    if (bright > 0) {
      for (const b of [-side, side]) {
        const p = at(cam, pose, -hl - 0.02, b, 0.75);
        if (!p) continue;
        fillDisc(c, p[0], p[1], Math.max(1.2, scale * 0.12), 255, 30, 25);
        if (night || pose.braking) glow(c, p[0], p[1], Math.max(2.5, scale * 0.45), 255, 40, 30, 0.8 * bright);
        if (look.wet && night) drawLine(c, p[0], p[1], p[0], p[1] + scale * 1.8, Math.max(1.5, scale * 0.2), 255, 50, 40, 0.2);
      }
    }
  }
}

const LIT: Record<'red' | 'amber' | 'green', Rgb> = { red: [255, 35, 25], amber: [255, 175, 0], green: [20, 235, 110] };

/** Signal lamps: the lit one bright (an arrow on arrow heads), the others dark; bloom at night and in rain. */
export function drawLamps(c: Canvas, look: Look, heads: HeadPlacement[], colourOf: (id: string) => SignalColour, dx: number, dy: number): void {
  const bloom = look.streetLights || look.wet;
  for (const h of heads) {
    const state = colourOf(h.head.id);
    for (const lamp of h.lamps) {
      const on = lamp.colour === state;
      const x = lamp.cx + dx;
      const y = lamp.cy + dy;
      if (!on) {
        fillDisc(c, x, y, lamp.r, 45, 45, 45);
        continue;
      }
      const col = LIT[lamp.colour];
      if (h.head.kind === 'arrow') {
        fillDisc(c, x, y, lamp.r, 45, 45, 45);
        arrowShape(c, lamp, x, y, h.head.arrow ?? 'left', col);
      } else fillDisc(c, x, y, lamp.r, ...col);
      if (bloom) glow(c, x, y, lamp.r * 2.6, col[0], col[1], col[2], 0.45);
    }
  }
}

function arrowShape(c: Canvas, lamp: Lamp, x: number, y: number, dir: 'left' | 'right', col: Rgb): void {
  const r = lamp.r * 1.05;
  const s = dir === 'left' ? -1 : 1;
  fillPolygon(c, [x + s * r, y, x, y - r * 0.85, x, y - r * 0.3, x - s * r * 0.9, y - r * 0.3, x - s * r * 0.9, y + r * 0.3, x, y + r * 0.3, x, y + r * 0.85], ...col);
}

/** Rain streaks: short bright slanted lines over the whole frame. */
export function rain(c: Canvas, look: Look, rng: Rng): void {
  const s = c.width / 1280;
  const bright = look.headlights ? 150 : 215;
  const count = Math.round(look.rainStreaks * s * s);
  for (let i = 0; i < count; i++) {
    const x = rng.range(0, c.width);
    const y = rng.range(0, c.height);
    const len = rng.range(10, 30) * s;
    drawLine(c, x, y, x + len * 0.18, y + len, Math.max(1, s), bright, bright, bright + 10, rng.range(0.12, 0.28));
  }
}

/** Sensor noise from a precomputed table at a random offset per frame (no per-pixel random draws). */
export class NoiseField {
  private readonly table: Int8Array;

  constructor(level: number, rng: Rng) {
    this.table = new Int8Array(1 << 20);
    for (let i = 0; i < this.table.length; i++) this.table[i] = Math.max(-127, Math.min(127, Math.round(rng.normal() * level)));
  }

  apply(data: Uint8Array, rng: Rng): void {
    const v = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
    const t = this.table;
    const mask = t.length - 1;
    const off = rng.int(0, mask);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! + t[(i + off) & mask]!;
  }
}
