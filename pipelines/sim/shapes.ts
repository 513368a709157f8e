// Road users as a few boxes in the world (body, cabin, rider, head), placed
// by pose. Shared by the renderer (faces) and the ground truth (silhouettes
// and boxes), so what is drawn and what is labelled can never disagree.
import type { Body, Rgb } from './actors.ts';
import { depthOf, project, type Camera } from './camera.ts';
import type { Pose } from './simulate.ts';

export type PartRole = 'body' | 'cabin' | 'glass' | 'cargo' | 'rider' | 'legs' | 'head' | 'frame';

export interface Part {
  /** Offsets along the heading (a), to the left (b) and up (z), metres, relative to the pose. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
  z0: number;
  z1: number;
  colour: Rgb;
  role: PartRole;
  /** Draw only the vertical faces (window bands laid over a body). */
  sidesOnly?: boolean;
}

const SKIN: Rgb = [200, 160, 130];
const HAIR: Rgb = [35, 28, 25];
const DARK: Rgb = [28, 28, 30];

export function partsOf(body: Body, pose: Pose): Part[] {
  const L = body.length;
  const W = body.width;
  const H = body.height;
  const hl = L / 2;
  const hw = W / 2;
  switch (body.kind) {
    case 'car':
    case 'suv':
    case 'van': {
      const beltline = body.kind === 'van' ? H * 0.5 : H * 0.58;
      const cabin0 = body.kind === 'van' ? -hl + 0.2 : -hl * 0.62;
      const cabin1 = body.kind === 'van' ? hl - 0.9 : hl * 0.38;
      return [
        { a0: -hl, a1: hl, b0: -hw, b1: hw, z0: 0.22, z1: beltline, colour: body.colour, role: 'body' },
        { a0: cabin0, a1: cabin1, b0: -hw + 0.08, b1: hw - 0.08, z0: beltline, z1: H, colour: body.colour, role: 'cabin' },
        { a0: cabin0 - 0.01, a1: cabin1 + 0.01, b0: -hw + 0.07, b1: hw - 0.07, z0: beltline + 0.05, z1: H - 0.08, colour: body.accent, role: 'glass', sidesOnly: true },
      ];
    }
    case 'bus':
      return [
        { a0: -hl, a1: hl, b0: -hw, b1: hw, z0: 0.3, z1: H, colour: body.colour, role: 'body' },
        { a0: -hl - 0.01, a1: hl + 0.01, b0: -hw - 0.01, b1: hw + 0.01, z0: H * 0.5, z1: H * 0.86, colour: body.accent, role: 'glass', sidesOnly: true },
      ];
    case 'truck':
      return [
        { a0: hl - 2.1, a1: hl, b0: -hw, b1: hw, z0: 0.35, z1: 2.9, colour: body.colour, role: 'body' },
        { a0: hl - 0.6, a1: hl + 0.01, b0: -hw - 0.01, b1: hw + 0.01, z0: 1.8, z1: 2.6, colour: [30, 38, 48], role: 'glass', sidesOnly: true },
        { a0: -hl, a1: hl - 2.3, b0: -hw, b1: hw, z0: 0.45, z1: H, colour: body.accent, role: 'cargo' },
      ];
    case 'bicycle':
    case 'ebike': {
      const fw = body.kind === 'ebike' ? 0.2 : 0.07;
      const pedal = Math.sin(pose.gait * 2.2) * (pose.v > 0.2 ? 0.12 : 0);
      return [
        { a0: -hl, a1: hl, b0: -fw, b1: fw, z0: 0.05, z1: body.kind === 'ebike' ? 0.8 : 0.95, colour: body.colour, role: 'frame' },
        { a0: -0.15 + pedal, a1: 0.15 + pedal, b0: -0.18, b1: 0.18, z0: 0.35, z1: 0.95, colour: DARK, role: 'legs' },
        { a0: -0.3, a1: 0.1, b0: -0.23, b1: 0.23, z0: 0.95, z1: H - 0.25, colour: body.accent, role: 'rider' },
        { a0: -0.2, a1: 0.04, b0: -0.12, b1: 0.12, z0: H - 0.25, z1: H, colour: body.kind === 'ebike' ? [230, 200, 40] : HAIR, role: 'head' },
      ];
    }
    case 'pedestrian': {
      const stride = pose.v > 0.1 ? Math.sin(pose.gait * 3.6) * 0.22 : 0;
      const hip = H * 0.48;
      const neck = H * 0.86;
      return [
        { a0: -0.09 + stride, a1: 0.09 + stride, b0: 0.02, b1: 0.17, z0: 0, z1: hip, colour: body.accent, role: 'legs' },
        { a0: -0.09 - stride, a1: 0.09 - stride, b0: -0.17, b1: -0.02, z0: 0, z1: hip, colour: body.accent, role: 'legs' },
        { a0: -0.13, a1: 0.13, b0: -0.24, b1: 0.24, z0: hip, z1: neck, colour: body.colour, role: 'rider' },
        { a0: -0.1, a1: 0.1, b0: -0.1, b1: 0.1, z0: neck, z1: H, colour: pose.id % 3 === 0 ? HAIR : SKIN, role: 'head' },
      ];
    }
  }
}

/** World corners of a part: bottom four (counter-clockwise from rear-right) then top four. */
export function partCorners(part: Part, pose: Pose): number[] {
  const { x, y, hx, hy } = pose;
  // Left of heading in x-east / y-north is (-hy, hx).
  const lx = -hy;
  const ly = hx;
  const out: number[] = [];
  for (const z of [part.z0, part.z1]) {
    for (const [a, b] of [[part.a0, part.b0], [part.a1, part.b0], [part.a1, part.b1], [part.a0, part.b1]] as const) {
      out.push(x + hx * a + lx * b, y + hy * a + ly * b, z);
    }
  }
  return out;
}

/** Projected corners, flat [x, y, ...]; empty when any corner is behind the camera. */
export function projectCorners(cam: Camera, corners: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < corners.length; i += 3) {
    if (depthOf(cam, corners[i]!, corners[i + 1]!, corners[i + 2]!) < 1) return [];
    const [u, v] = project(cam, corners[i]!, corners[i + 1]!, corners[i + 2]!);
    out.push(u, v);
  }
  return out;
}

export interface ProjectedActor {
  id: number;
  depth: number;
  parts: { part: Part; corners: number[]; img: number[] }[];
  box: { x1: number; y1: number; x2: number; y2: number };
}

/** Parts, their world and image corners, and the whole object's pixel box; null when behind the camera. */
export function projectActor(cam: Camera, body: Body, pose: Pose): ProjectedActor | null {
  const parts = partsOf(body, pose);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  const out: ProjectedActor['parts'] = [];
  for (const part of parts) {
    const corners = partCorners(part, pose);
    const img = projectCorners(cam, corners);
    if (img.length === 0) return null;
    for (let i = 0; i < img.length; i += 2) {
      if (img[i]! < x1) x1 = img[i]!;
      if (img[i]! > x2) x2 = img[i]!;
      if (img[i + 1]! < y1) y1 = img[i + 1]!;
      if (img[i + 1]! > y2) y2 = img[i + 1]!;
    }
    out.push({ part, corners, img });
  }
  return { id: pose.id, depth: depthOf(cam, pose.x, pose.y, 0), parts: out, box: { x1, y1, x2, y2 } };
}
