// Viewing conditions: light (day, dusk, night), rain, sensor noise, camera
// shake and compression, and the "look" each gives: one colour transform
// applied to the prerendered background per pixel and to road users per face.
import type { Rgb } from './actors.ts';
import { hashSeed } from './rng.ts';

export type Light = 'day' | 'dusk' | 'night';

export interface Conditions {
  light: Light;
  rain: boolean;
  /** Sensor noise strength, 0 (none) .. 1 (grainy night camera). */
  noise: number;
  /** Camera shake amplitude in pixels at 720p (0 = steady). */
  shake: number;
  /** Heavier H.264 compression (blocky, smeared detail). */
  compressed: boolean;
}

export const CONDITION_WORDS = ['day', 'dusk', 'night', 'rain', 'noise', 'shake', 'compressed', 'clean'] as const;

/** Parses "night,rain,shake": a light word (default day) plus modifiers. */
export function parseConditions(spec: string | readonly string[]): Conditions {
  const words = (typeof spec === 'string' ? spec.split(',') : spec).map((w) => w.trim().toLowerCase()).filter(Boolean);
  const bad = words.filter((w) => !(CONDITION_WORDS as readonly string[]).includes(w));
  if (bad.length) throw new RangeError(`unknown condition ${bad.map((b) => `"${b}"`).join(', ')}; use ${CONDITION_WORDS.join('|')}`);
  const lights = words.filter((w): w is Light => w === 'day' || w === 'dusk' || w === 'night');
  if (lights.length > 1) throw new RangeError(`choose one of day, dusk, night (got ${lights.join(', ')})`);
  const light = lights[0] ?? 'day';
  const clean = words.includes('clean');
  const baseNoise = light === 'night' ? 0.55 : light === 'dusk' ? 0.3 : 0.15;
  return {
    light,
    rain: words.includes('rain'),
    noise: clean ? 0 : words.includes('noise') ? Math.min(1, baseNoise + 0.4) : baseNoise,
    shake: words.includes('shake') ? 1.5 : 0,
    compressed: words.includes('compressed'),
  };
}

/** The words that reproduce these conditions. */
export function conditionWords(c: Conditions): string[] {
  const w: string[] = [c.light];
  if (c.rain) w.push('rain');
  if (c.shake > 0) w.push('shake');
  if (c.compressed) w.push('compressed');
  return w;
}

export interface Look {
  /** Per-channel gain on surface colours. */
  gain: Rgb;
  /** Colour mixed in (atmosphere, rain haze) and how much. */
  haze: Rgb;
  hazeAmount: number;
  sky: Rgb;
  streetLights: boolean;
  headlights: boolean;
  /** Rain streaks per frame at 720p. */
  rainStreaks: number;
  /** Wet-road reflections of lights. */
  wet: boolean;
  /** Noise amplitude in 8-bit levels. */
  noiseLevel: number;
  crf: number;
  /** Extra light on road users (street lighting and headlights of others catch them at night). */
  actorGain: number;
}

export function lookOf(c: Conditions): Look {
  const base: Record<Light, Pick<Look, 'gain' | 'haze' | 'hazeAmount' | 'sky' | 'streetLights' | 'headlights'>> = {
    day: { gain: [1, 1, 1], haze: [200, 205, 215], hazeAmount: 0.06, sky: [170, 195, 225], streetLights: false, headlights: false },
    dusk: { gain: [0.62, 0.52, 0.5], haze: [150, 110, 100], hazeAmount: 0.12, sky: [190, 120, 95], streetLights: true, headlights: true },
    night: { gain: [0.2, 0.2, 0.26], haze: [20, 22, 32], hazeAmount: 0.1, sky: [8, 10, 20], streetLights: true, headlights: true },
  };
  const b = base[c.light];
  const rainHaze: Rgb = c.light === 'night' ? [40, 42, 50] : [150, 155, 160];
  return {
    ...b,
    haze: c.rain ? rainHaze : b.haze,
    hazeAmount: c.rain ? b.hazeAmount + 0.22 : b.hazeAmount,
    gain: c.rain ? (b.gain.map((g) => g * 0.85) as Rgb) : b.gain,
    rainStreaks: c.rain ? 450 : 0,
    wet: c.rain,
    noiseLevel: Math.round(c.noise * 18),
    crf: c.compressed ? 34 : 23,
    actorGain: c.light === 'night' ? 2.3 : c.light === 'dusk' ? 1.25 : 1,
  };
}

/** A surface colour under this look. */
export function lit(look: Look, c: Rgb, shade = 1): Rgb {
  const h = look.hazeAmount;
  return [
    Math.min(255, c[0] * look.gain[0] * shade * (1 - h) + look.haze[0] * h),
    Math.min(255, c[1] * look.gain[1] * shade * (1 - h) + look.haze[1] * h),
    Math.min(255, c[2] * look.gain[2] * shade * (1 - h) + look.haze[2] * h),
  ];
}

/** Integer camera shake (pixels) at a frame; deterministic from the seed. */
export function shakeAt(c: Conditions, seed: number, frame: number, fps: number, width: number): [number, number] {
  if (c.shake <= 0) return [0, 0];
  const amp = (c.shake * width) / 1280;
  const t = frame / fps;
  const p1 = (hashSeed(seed, 'shake-x') / 4294967296) * 2 * Math.PI;
  const p2 = (hashSeed(seed, 'shake-y') / 4294967296) * 2 * Math.PI;
  const dx = amp * (0.7 * Math.sin(2 * Math.PI * 1.3 * t + p1) + 0.3 * Math.sin(2 * Math.PI * 4.1 * t + p2));
  const dy = amp * (0.7 * Math.sin(2 * Math.PI * 0.9 * t + p2) + 0.3 * Math.sin(2 * Math.PI * 3.7 * t + p1));
  return [Math.round(dx), Math.round(dy)];
}
