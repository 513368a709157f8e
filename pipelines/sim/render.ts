// One clip: simulate (pure), derive the scene, ground truth and sites file,
// and, when asked, rasterise every frame into a sink (an encoder, a test).
import type { SitesFile } from '../sites/schema.ts';
import type { BehaviourConfig } from './behaviour.ts';
import { shifted } from './camera.ts';
import { conditionWords, lookOf, parseConditions, shakeAt, type Conditions } from './conditions.ts';
import { drawActors, drawLamps, NoiseField, rain, type DrawItem } from './draw.ts';
import { renderBackground } from './background.ts';
import { buildGroundTruth, type GroundTruth } from './ground-truth.ts';
import { chooseLayout } from './layout.ts';
import type { Canvas } from './raster.ts';
import { Rng } from './rng.ts';
import { buildScene, type Scene } from './scene.ts';
import { projectActor } from './shapes.ts';
import { colourAt, type SignalTimings } from './signals.ts';
import { simulate, type SimResult } from './simulate.ts';
import { intersectionSite, sitesFile } from './sites.ts';

export interface ClipOptions {
  seed: number;
  seconds: number;
  /** Words such as "night,rain" or parsed conditions. Default: day. */
  conditions?: string | readonly string[] | Conditions;
  /** Layout name; default: chosen by the seed. */
  layout?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Clip start (UTC). Default 2025-03-03T00:30:00Z (08:30 in Shanghai, morning peak). */
  start?: Date;
  timeZone?: string;
  cameraCode?: string;
  intersectionCode?: string;
  intersectionName?: string;
  behaviour?: Partial<BehaviourConfig>;
  timings?: Partial<SignalTimings>;
}

export interface SimulatedClip {
  options: Required<Pick<ClipOptions, 'seed' | 'seconds' | 'width' | 'height' | 'fps' | 'timeZone' | 'cameraCode' | 'intersectionCode'>> & { start: Date };
  conditions: Conditions;
  sim: SimResult;
  scene: Scene;
  groundTruth: GroundTruth;
  sites: SitesFile;
}

/** Receives raw RGB24 frames in order; may apply backpressure by returning a promise. */
export interface FrameSink {
  write(frame: Uint8Array, index: number): void | Promise<void>;
  /**
   * A sink that recycles frame buffers hands out the one to draw the next
   * frame into (width x height x 3 bytes); without it every frame gets a
   * fresh buffer that the sink may keep.
   */
  buffer?(): Uint8Array | Promise<Uint8Array>;
}

export const DEFAULT_START = new Date('2025-03-03T00:30:00Z');

/** Local hour (fractional) of an instant in a time zone. */
export function localHour(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') + get('minute') / 60;
}

export function resolveConditions(c: ClipOptions['conditions']): Conditions {
  if (c === undefined) return parseConditions('day');
  if (typeof c === 'string' || Array.isArray(c)) return parseConditions(c as string | readonly string[]);
  return c as Conditions;
}

/** Everything but the pixels: simulation, scene, ground truth and sites file. Pure and fast. */
export function simulateClip(opts: ClipOptions): SimulatedClip {
  const o = {
    seed: opts.seed >>> 0,
    seconds: opts.seconds,
    width: opts.width ?? 1280,
    height: opts.height ?? 720,
    fps: opts.fps ?? 25,
    timeZone: opts.timeZone ?? 'Asia/Shanghai',
    cameraCode: opts.cameraCode ?? `SIM-${opts.seed >>> 0}-CAM1`,
    intersectionCode: opts.intersectionCode ?? `SIM-${opts.seed >>> 0}`,
    start: opts.start ?? DEFAULT_START,
  };
  const conditions = resolveConditions(opts.conditions);
  const layout = chooseLayout(o.seed, opts.layout);
  const sim = simulate({
    seed: o.seed,
    seconds: o.seconds,
    fps: o.fps,
    layout,
    localHour: localHour(o.start, o.timeZone),
    ...(opts.behaviour ? { behaviour: opts.behaviour } : {}),
    ...(opts.timings ? { timings: opts.timings } : {}),
  });
  const scene = buildScene(sim.world, sim.plan, o.width, o.height);
  const sites = sitesFile([
    intersectionSite(scene, { intersectionCode: o.intersectionCode, intersectionName: opts.intersectionName ?? `Simulated junction ${o.seed}`, cameraCode: o.cameraCode, timeZone: o.timeZone }),
  ]);
  const calib = sites.intersections[0]!.cameras[0]!.calibration!;
  const zones = new Set(['carriageway', ...calib.approaches.map((a) => a.id), ...calib.crosswalks.map((c) => c.id)]);
  const groundTruth = buildGroundTruth(sim, scene, {
    zones,
    conditions: conditionWords(conditions),
    start: o.start.toISOString(),
    timeZone: o.timeZone,
    cameraCode: o.cameraCode,
    intersectionCode: o.intersectionCode,
    shake: (f) => shakeAt(conditions, o.seed, f, o.fps, o.width),
  });
  return { options: o, conditions, sim, scene, groundTruth, sites };
}

/** Simulates the clip and pushes every frame into the sink. */
export async function renderClip(opts: ClipOptions, sink: FrameSink): Promise<SimulatedClip> {
  const clip = simulateClip(opts);
  await renderFrames(clip, sink);
  return clip;
}

export async function renderFrames(clip: SimulatedClip, sink: FrameSink): Promise<void> {
  const { sim, scene, conditions } = clip;
  const { seed, fps, width, height } = clip.options;
  const look = lookOf(conditions);
  const background = renderBackground(scene, look, seed);
  const fx = new Rng(seed).fork('effects');
  // Sensor noise is baked into a few copies of the background and one is picked per frame: temporal grain
  // at no per-frame cost (road users, a small share of the pixels, stay clean).
  const noise = look.noiseLevel > 0 ? new NoiseField(look.noiseLevel, fx.fork('noise-table')) : null;
  const plates = noise ? Array.from({ length: NOISE_PLATES }, (_, i) => noisyCopy(background, noise, fx.fork('plate', i))) : [background];
  for (let f = 0; f < sim.frameCount; f++) {
    const t = f / fps;
    const [dx, dy] = shakeAt(conditions, seed, f, fps, width);
    const frame: Canvas = { data: sink.buffer ? await sink.buffer() : Buffer.allocUnsafe(width * height * 3), width, height };
    const frameRng = fx.fork('frame', f);
    copyShifted(plates[frameRng.int(0, plates.length - 1)]!, frame, dx, dy);
    const cam = shifted(scene.camera, dx, dy);
    const items: DrawItem[] = [];
    for (const pose of sim.frames[f]!) {
      const body = sim.actors.get(pose.id)!.body;
      const proj = projectActor(cam, body, pose);
      if (proj && proj.box.x2 > -50 && proj.box.x1 < width + 50 && proj.box.y2 > -50 && proj.box.y1 < height + 50) items.push({ pose, body, proj });
    }
    drawActors(frame, cam, look, items);
    drawLamps(frame, look, scene.heads, (id) => colourAt(sim.plan, id, t), dx, dy);
    if (look.rainStreaks > 0) rain(frame, look, frameRng);
    await sink.write(frame.data, f);
  }
}

const NOISE_PLATES = 6;

function noisyCopy(src: Canvas, noise: NoiseField, rng: Rng): Canvas {
  const c: Canvas = { data: new Uint8Array(src.data), width: src.width, height: src.height };
  noise.apply(c.data, rng);
  return c;
}

/** Copies the background moved by (dx, dy) pixels; uncovered edges repeat the nearest row/column. */
function copyShifted(src: Canvas, dst: Canvas, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) {
    dst.data.set(src.data);
    return;
  }
  const w = src.width;
  const h = src.height;
  const row = w * 3;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - dy));
    const from = sy * row;
    const to = y * row;
    if (dx >= 0) {
      dst.data.set(src.data.subarray(from, from + row - dx * 3), to + dx * 3);
      for (let x = 0; x < dx; x++) dst.data.copyWithin(to + x * 3, to + dx * 3, to + dx * 3 + 3);
    } else {
      dst.data.set(src.data.subarray(from - dx * 3, from + row), to);
      for (let x = w + dx; x < w; x++) dst.data.copyWithin(to + x * 3, to + (w + dx - 1) * 3, to + (w + dx) * 3);
    }
  }
}
