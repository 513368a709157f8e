// Which twin clips each split renders. Training, validation (monitoring during
// training) and evaluation draw from disjoint seed ranges, so the figures of
// record come from junction layouts, traffic and noise never seen in training.
import type { BehaviourConfig } from '../../pipelines/sim/behaviour.ts';
import { hashSeed } from '../../pipelines/sim/rng.ts';

export interface ClipPlan {
  seed: number;
  /** Twin condition words, e.g. "night,rain,shake". */
  conditions: string;
  /** The eval condition this clip counts under (day, dusk, night, rain). */
  group: string;
  /** Local hour of the clip start in Asia/Shanghai (sets traffic demand). */
  hour: number;
  seconds: number;
  /** Twin behaviour overrides (more buses, pedestrians on the carriageway). */
  behaviour: Partial<BehaviourConfig>;
}

export const SEED_RANGES = {
  train: { from: 1001, to: 4999 },
  val: { from: 5001, to: 5999 },
  eval: { from: 9001, to: 9999 },
} as const;

const PEAK_HOURS = [7, 8, 17, 18] as const;

export const EVAL_GROUPS = ['day', 'dusk', 'night', 'rain'] as const;

/** Deterministic draw in [0, 1) from a seed and a label. */
function draw(seed: number, label: string): number {
  return hashSeed(seed, label) / 4294967296;
}

/**
 * Training and validation clips: light day 40% / dusk 20% / night 40%, rain
 * on 35% of them, and shake, compression and extra sensor noise on some, so
 * the model meets every condition and mixtures of them.
 */
export function trainingPlan(split: 'train' | 'val', clips: number, seconds: number): ClipPlan[] {
  const first = SEED_RANGES[split].from;
  return Array.from({ length: clips }, (_, i) => {
    const seed = first + i;
    const l = draw(seed, 'light');
    const light = l < 0.4 ? 'day' : l < 0.6 ? 'dusk' : 'night';
    const words = [light];
    const rain = draw(seed, 'rain') < 0.35;
    if (rain) words.push('rain');
    if (draw(seed, 'shake') < 0.2) words.push('shake');
    if (draw(seed, 'compressed') < 0.2) words.push('compressed');
    if (draw(seed, 'noise') < 0.15) words.push('noise');
    // Half the clips at the rush hours: queues stopped at the line, buses
    // hidden behind each other and crowds at the kerb are the hard frames.
    const hour = draw(seed, 'peak') < 0.5
      ? PEAK_HOURS[Math.floor(draw(seed, 'peakhour') * PEAK_HOURS.length)]!
      : 7 + Math.floor(draw(seed, 'hour') * 13);
    // Richer than the default mix: buses and trucks are 12% of motor traffic
    // by default, too few to learn them from a few thousand frames.
    const behaviour: Partial<BehaviourConfig> = {
      largeVehicleShare: 0.15 + 0.25 * draw(seed, 'large'),
      demand: 0.8 + 0.8 * draw(seed, 'demand'),
      jaywalkPerMinute: 0.6 + 3 * draw(seed, 'jaywalk'),
      pedDontWalk: 0.2 + 0.4 * draw(seed, 'dontwalk'),
    };
    return { seed, conditions: words.join(','), group: rain ? 'rain' : light, hour, seconds, behaviour };
  });
}

/**
 * Held-out clips per eval condition: the same seeds in every condition (one
 * per layout when `perCondition` is a multiple of 4), so conditions differ in
 * light and weather only. Rain alternates day rain and night rain. Default
 * behaviour except buses and trucks at 25% of motor traffic, so their AP
 * rests on enough boxes.
 */
export function evalPlan(perCondition: number, seconds: number, seeds?: readonly number[]): ClipPlan[] {
  const list = seeds ?? Array.from({ length: perCondition }, (_, i) => SEED_RANGES.eval.from + i);
  const plan: ClipPlan[] = [];
  for (const group of EVAL_GROUPS) {
    list.forEach((seed, i) => {
      const conditions = group === 'rain' ? (i % 2 === 0 ? 'day,rain' : 'night,rain') : group;
      plan.push({ seed, conditions, group, hour: 8, seconds, behaviour: { largeVehicleShare: 0.25 } });
    });
  }
  return plan;
}

/** Clip start for a local hour in Asia/Shanghai (UTC+8), on the twin's default date. */
export function startAt(hour: number): Date {
  return new Date(Date.UTC(2025, 2, 3, hour - 8, 30, 0));
}
