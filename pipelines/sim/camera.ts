// Pinhole camera on a pole. The world is metres on the ground plane: x east,
// y north, z up, origin at the junction centre. Focal length is stored as a
// horizontal field of view so 720p and 1080p renders show the same view.

export type Vec3 = readonly [number, number, number];

export interface CameraSpec {
  /** Camera position (metres). */
  position: Vec3;
  /** Heading of the optical axis on the ground, radians clockwise from north. */
  yaw: number;
  /** Downward tilt from horizontal, radians. */
  tilt: number;
  /** Horizontal field of view, radians. */
  hfov: number;
}

export interface Camera extends CameraSpec {
  width: number;
  height: number;
  /** Focal length in pixels. */
  focal: number;
  /** Principal point; moved per frame by camera shake. */
  cx: number;
  cy: number;
  right: Vec3;
  up: Vec3;
  forward: Vec3;
}

/** Points nearer than this along the optical axis are clipped (metres). */
export const NEAR = 0.5;

export function makeCamera(spec: CameraSpec, width: number, height: number): Camera {
  const { yaw, tilt } = spec;
  const forward: Vec3 = [Math.sin(yaw) * Math.cos(tilt), Math.cos(yaw) * Math.cos(tilt), -Math.sin(tilt)];
  const right: Vec3 = [Math.cos(yaw), -Math.sin(yaw), 0];
  const up: Vec3 = [
    right[1] * forward[2] - right[2] * forward[1],
    right[2] * forward[0] - right[0] * forward[2],
    right[0] * forward[1] - right[1] * forward[0],
  ];
  const focal = width / 2 / Math.tan(spec.hfov / 2);
  return { ...spec, width, height, focal, cx: width / 2, cy: height / 2, right, up, forward };
}

/** The same camera with its principal point moved (camera shake). */
export function shifted(cam: Camera, dx: number, dy: number): Camera {
  return { ...cam, cx: cam.width / 2 + dx, cy: cam.height / 2 + dy };
}

/** Camera-space depth of a world point (metres along the optical axis). */
export function depthOf(cam: Camera, x: number, y: number, z: number): number {
  const p = cam.position;
  return (x - p[0]) * cam.forward[0] + (y - p[1]) * cam.forward[1] + (z - p[2]) * cam.forward[2];
}

/** Image point of a world point; the caller ensures depth >= NEAR. */
export function project(cam: Camera, x: number, y: number, z: number): [number, number] {
  const p = cam.position;
  const dx = x - p[0];
  const dy = y - p[1];
  const dz = z - p[2];
  const d = dx * cam.forward[0] + dy * cam.forward[1] + dz * cam.forward[2];
  const u = dx * cam.right[0] + dy * cam.right[1] + dz * cam.right[2];
  const v = dx * cam.up[0] + dy * cam.up[1] + dz * cam.up[2];
  return [cam.cx + (cam.focal * u) / d, cam.cy - (cam.focal * v) / d];
}

/** Pixels per metre at a world point, for sizing things drawn flat to the camera. */
export function scaleAt(cam: Camera, x: number, y: number, z: number): number {
  return cam.focal / Math.max(NEAR, depthOf(cam, x, y, z));
}

/**
 * Clips a world polygon to the half-space in front of the camera, then
 * projects it. Returns flat [x0, y0, x1, y1, ...] or an empty array.
 */
export function projectPolygon(cam: Camera, pts: readonly Vec3[]): number[] {
  const clipped: Vec3[] = [];
  const n = pts.length;
  for (let i = 0; i < n; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % n]!;
    const da = depthOf(cam, a[0], a[1], a[2]) - NEAR;
    const db = depthOf(cam, b[0], b[1], b[2]) - NEAR;
    if (da >= 0) clipped.push(a);
    if (da >= 0 !== db >= 0) {
      const t = da / (da - db);
      clipped.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])]);
    }
  }
  const out: number[] = [];
  for (const q of clipped) {
    const [u, v] = project(cam, q[0], q[1], q[2]);
    out.push(u, v);
  }
  return out.length >= 6 ? out : [];
}
