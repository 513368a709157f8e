// The static picture: ground, sidewalks, kerbs, asphalt, markings, buildings,
// poles and signal housings, drawn once per scene and condition and then
// copied into every frame.
import type { Rgb } from './actors.ts';
import { depthOf, project, projectPolygon, type Vec3 } from './camera.ts';
import { lit, type Look } from './conditions.ts';
import { drawLine, fillPolygon, fillRect, glow, type Canvas } from './raster.ts';
import { Rng } from './rng.ts';
import { roadOutline, type Scene } from './scene.ts';
import { armPoint, ARM_NAMES, type Arm } from './world.ts';

const C = {
  ground: [118, 120, 104] as Rgb,
  sidewalk: [168, 162, 152] as Rgb,
  kerb: [205, 204, 198] as Rgb,
  asphalt: [78, 80, 84] as Rgb,
  white: [228, 228, 222] as Rgb,
  yellow: [222, 182, 50] as Rgb,
  pole: [70, 72, 76] as Rgb,
  housing: [22, 22, 24] as Rgb,
};

export function renderBackground(scene: Scene, look: Look, seed: number): Canvas {
  const { camera: cam } = scene;
  const c: Canvas = { data: new Uint8Array(cam.width * cam.height * 3), width: cam.width, height: cam.height };
  fillRect(c, 0, 0, cam.width, cam.height, ...look.sky);
  const ground = (pts: Vec3[], col: Rgb) => {
    const img = projectPolygon(cam, pts);
    if (img.length) fillPolygon(c, img, ...col);
  };
  const G = 2000;
  ground([[-G, -G, 0], [G, -G, 0], [G, G, 0], [-G, G, 0]], C.ground);
  const sw = scene.world.layout.sidewalkWidth;
  ground(roadOutline(scene.world, sw, 400), C.sidewalk);
  ground(roadOutline(scene.world, 0.3, 400), C.kerb);
  ground(roadOutline(scene.world, 0, 400), C.asphalt);
  drawBuildings(c, scene, seed);
  for (const name of ARM_NAMES) drawMarkings(c, scene, scene.world.arms[name]);
  texture(c, new Rng(seed).fork('texture'));
  applyLook(c, look);
  if (look.streetLights) streetLights(c, scene, look);
  drawSignalHardware(c, scene, look);
  return c;
}

function strip(c: Canvas, scene: Scene, arm: Arm, d0: number, d1: number, l0: number, l1: number, col: Rgb): void {
  const pts: Vec3[] = [armPoint(arm, d0, l0), armPoint(arm, d1, l0), armPoint(arm, d1, l1), armPoint(arm, d0, l1)].map(([x, y]) => [x, y, 0.01] as Vec3);
  const img = projectPolygon(scene.camera, pts);
  if (img.length) fillPolygon(c, img, ...col);
}

function drawMarkings(c: Canvas, scene: Scene, arm: Arm): void {
  const w = arm.laneWidth;
  const n = arm.lanes.length;
  const end = 150;
  const lw = 0.15;
  // Median: double yellow from the stop line outwards.
  strip(c, scene, arm, arm.stopDist, end, -0.3, -0.15, C.yellow);
  strip(c, scene, arm, arm.stopDist, end, 0.15, 0.3, C.yellow);
  for (const side of [1, -1]) {
    for (let i = 1; i < n; i++) {
      const lat = side * i * w;
      // Solid near the stop line (no lane changes), dashed further out.
      strip(c, scene, arm, arm.stopDist, arm.stopDist + 25, lat - lw / 2, lat + lw / 2, C.white);
      for (let d = arm.stopDist + 28; d < end; d += 9) strip(c, scene, arm, d, d + 4, lat - lw / 2, lat + lw / 2, C.white);
    }
    const nmLine = side * n * w;
    strip(c, scene, arm, arm.cwFar, end, nmLine - lw, nmLine + lw, C.white);
  }
  // Stop line across the inbound lanes and the non-motor lane.
  strip(c, scene, arm, arm.stopDist, arm.stopDist + 0.4, 0, arm.halfWidth, C.white);
  // Zebra: bars along the direction of travel.
  for (let lat = -arm.halfWidth + 0.3; lat + 0.45 <= arm.halfWidth; lat += 1.0) strip(c, scene, arm, arm.cwNear, arm.cwFar, lat, lat + 0.45, C.white);
  arm.lanes.forEach((moves, i) => laneArrow(c, scene, arm, (i + 0.5) * w, moves));
}

/** Painted lane arrows a few metres before the stop line. */
function laneArrow(c: Canvas, scene: Scene, arm: Arm, lat: number, moves: readonly string[]): void {
  const d = arm.stopDist + 7;
  strip(c, scene, arm, d, d + 3.2, lat - 0.1, lat + 0.1, C.white);
  for (const m of moves) {
    const tipLat = m === 'left' ? lat - 0.9 : m === 'right' ? lat + 0.9 : lat;
    const tipD = m === 'straight' ? d - 0.9 : d + 0.2;
    const base = m === 'straight' ? [armPoint(arm, d, lat - 0.35), armPoint(arm, d, lat + 0.35)] : [armPoint(arm, d + 0.4 - 0.35, lat), armPoint(arm, d + 0.4 + 0.35, lat)];
    const tip = armPoint(arm, tipD, tipLat);
    const img = projectPolygon(scene.camera, [[...base[0]!, 0.01], [...base[1]!, 0.01], [...tip, 0.01]]);
    if (img.length) fillPolygon(c, img, ...C.white);
  }
}

/** Low blocks beyond the corners so the junction sits in a street, not on a plain. */
function drawBuildings(c: Canvas, scene: Scene, seed: number): void {
  const rng = new Rng(seed).fork('buildings');
  const cam = scene.camera;
  const Wns = scene.world.arms.north.halfWidth + scene.world.layout.sidewalkWidth + 3;
  const Wew = scene.world.arms.east.halfWidth + scene.world.layout.sidewalkWidth + 3;
  const blocks: { x0: number; x1: number; y0: number; y1: number; h: number; col: Rgb }[] = [];
  for (const sx of [1, -1]) {
    for (const sy of [1, -1]) {
      for (let k = 0; k < 3; k++) {
        const x0 = sx * (Wns + k * 22);
        const y0 = sy * (Wew + rng.range(0, 6));
        blocks.push({ x0: Math.min(x0, x0 + sx * 18), x1: Math.max(x0, x0 + sx * 18), y0: Math.min(y0, y0 + sy * 20), y1: Math.max(y0, y0 + sy * 20), h: rng.range(8, 30), col: rng.pick<Rgb>([[150, 140, 130], [120, 125, 135], [170, 160, 140], [110, 105, 100]]) });
      }
    }
  }
  // Far first.
  blocks.sort((a, b) => depthOf(cam, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, 0) - depthOf(cam, (a.x0 + a.x1) / 2, (a.y0 + a.y1) / 2, 0));
  for (const b of blocks) {
    if (depthOf(cam, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, 0) < 5) continue;
    const corners: [number, number][] = [[b.x0, b.y0], [b.x1, b.y0], [b.x1, b.y1], [b.x0, b.y1]];
    for (let i = 0; i < 4; i++) {
      const [ax, ay] = corners[i]!;
      const [bx, by] = corners[(i + 1) % 4]!;
      const nx = by - ay;
      const ny = -(bx - ax);
      const toCam = (cam.position[0] - ax) * nx + (cam.position[1] - ay) * ny;
      if (toCam <= 0) continue;
      const shade = 0.7 + 0.25 * Math.abs(nx) / Math.hypot(nx, ny);
      const img = projectPolygon(cam, [[ax, ay, 0], [bx, by, 0], [bx, by, b.h], [ax, ay, b.h]]);
      if (img.length) fillPolygon(c, img, b.col[0] * shade, b.col[1] * shade, b.col[2] * shade);
    }
    const roof = projectPolygon(cam, corners.map(([x, y]) => [x, y, b.h] as Vec3));
    if (roof.length) fillPolygon(c, roof, b.col[0] * 0.8, b.col[1] * 0.8, b.col[2] * 0.8);
  }
}

/** Fine grain on every surface (asphalt aggregate, paving). */
function texture(c: Canvas, rng: Rng): void {
  const d = c.data;
  // Drawn once per background, so a draw per pixel is affordable and leaves no repeating pattern.
  for (let i = 0; i < d.length; i += 3) {
    const n = Math.round((rng.next() + rng.next() - 1) * 7);
    d[i] = clamp(d[i]! + n);
    d[i + 1] = clamp(d[i + 1]! + n);
    d[i + 2] = clamp(d[i + 2]! + n);
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function applyLook(c: Canvas, look: Look): void {
  const lut = [0, 1, 2].map((ch) => {
    const t = new Uint8Array(256);
    for (let v = 0; v < 256; v++) {
      const col = lit(look, [v, v, v]);
      t[v] = Math.round(col[ch]!);
    }
    return t;
  });
  const [r, g, b] = lut as [Uint8Array, Uint8Array, Uint8Array];
  const d = c.data;
  for (let i = 0; i < d.length; i += 3) {
    d[i] = r[d[i]!]!;
    d[i + 1] = g[d[i + 1]!]!;
    d[i + 2] = b[d[i + 2]!]!;
  }
}

/** Sodium-orange pools of light at the corners and along the arms. */
function streetLights(c: Canvas, scene: Scene, look: Look): void {
  const cam = scene.camera;
  const spots: (readonly [number, number])[] = [];
  for (const name of ARM_NAMES) {
    const arm = scene.world.arms[name];
    for (const d of [arm.stopDist + 2, arm.stopDist + 30, arm.stopDist + 60]) for (const side of [1, -1]) spots.push(armPoint(arm, d, side * (arm.halfWidth - 1)));
  }
  const strength = look.gain[0] < 0.4 ? 0.55 : 0.25;
  for (const [x, y] of spots) {
    const depth = depthOf(cam, x, y, 0);
    if (depth < 3) continue;
    const [u, v] = project(cam, x, y, 0);
    const radius = (cam.focal * 9) / depth;
    glow(c, u, v, radius, 255, 190, 120, strength);
    const [lu, lv] = project(cam, x, y, 8);
    glow(c, lu, lv, Math.max(3, (cam.focal * 0.6) / depth), 255, 220, 170, 1);
  }
}

function drawSignalHardware(c: Canvas, scene: Scene, look: Look): void {
  const s = scene.camera.width / 1280;
  const pole = lit(look, C.pole);
  const done = new Set<string>();
  for (const h of scene.heads) {
    if (!done.has(h.group)) {
      done.add(h.group);
      const [fx, fy, ax, ay] = h.pole;
      drawLine(c, fx, fy, fx, ay, Math.max(2, 3 * s), ...pole);
      drawLine(c, fx, ay, ax, ay, Math.max(1.5, 2 * s), ...pole);
    }
    const r = h.region;
    fillRect(c, r.x, r.y, r.width, r.height, ...C.housing);
  }
}
