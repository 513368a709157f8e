// A scene: one layout seen by one camera at one resolution. Holds what both
// the renderer and the sites writer derive from the layout.
import { makeCamera, type Camera, type Vec3 } from './camera.ts';
import { placeHeads, type HeadPlacement } from './heads.ts';
import type { CameraPlacement, LayoutSpec } from './layout.ts';
import type { SignalPlan } from './signals.ts';
import type { World } from './world.ts';

export interface Scene {
  world: World;
  plan: SignalPlan;
  camera: Camera;
  heads: HeadPlacement[];
}

export function cameraFor(p: CameraPlacement, width: number, height: number): Camera {
  const pos: Vec3 = [p.offset, -p.back, p.height];
  const dx = 0 - pos[0];
  const dy = p.lookAt - pos[1];
  const yaw = Math.atan2(dx, dy);
  const tilt = Math.atan2(p.height, Math.hypot(dx, dy));
  return makeCamera({ position: pos, yaw, tilt, hfov: (p.hfovDeg * Math.PI) / 180 }, width, height);
}

export function buildScene(world: World, plan: SignalPlan, width: number, height: number): Scene {
  const camera = cameraFor(world.layout.camera, width, height);
  return { world, plan, camera, heads: placeHeads(world, plan, camera) };
}

export type { LayoutSpec };

/** The road surface outline (grow > 0: kerb and sidewalk outlines), world points at z = 0, counter-clockwise. */
export function roadOutline(world: World, grow: number, length: number): Vec3[] {
  const Wns = world.arms.north.halfWidth;
  const Wew = world.arms.east.halfWidth;
  const R = world.layout.cornerRadius;
  const wx = Wns + grow;
  const wy = Wew + grow;
  const r = Math.max(0.3, R - grow);
  const pts: Vec3[] = [];
  const arc = (cx: number, cy: number, from: number, to: number) => {
    const n = 10;
    for (let i = 0; i <= n; i++) {
      const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
      pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a), 0]);
    }
  };
  const cx = Wns + R;
  const cy = Wew + R;
  pts.push([-wx, -length, 0], [wx, -length, 0]);
  arc(cx, -cy, 180, 90);
  pts.push([length, -wy, 0], [length, wy, 0]);
  arc(cx, cy, 270, 180);
  pts.push([wx, length, 0], [-wx, length, 0]);
  arc(-cx, cy, 360, 270);
  pts.push([-length, wy, 0], [-length, -wy, 0]);
  arc(-cx, -cy, 90, 0);
  return pts;
}
