// A sampling request from plan parameters, with the defaults `crosswatch plan`
// and POST /api/runs share: the assessed hours 07:00-20:00, city-wide scope,
// the configured window length, and a seed chosen (then stored and shown)
// when none is given, so every draw stays reproducible.
import { randomInt } from 'node:crypto';
import type { SamplingRequest, StratumDimension } from '../../pipelines/sampling/index.ts';

export interface PlanParameters {
  /** 'YYYY-MM'. */
  month: string;
  windows: number;
  minutes?: number;
  hours?: string[];
  scope?: 'city' | 'intersection';
  intersections?: string[];
  strata?: StratumDimension[];
  seed?: number | string;
}

export const DEFAULT_ASSESSED_HOURS = ['07:00-20:00'];

export function samplingRequestOf(p: PlanParameters, defaultMinutes: number): SamplingRequest {
  return {
    period: p.month,
    hours: p.hours ?? DEFAULT_ASSESSED_HOURS,
    windows: p.windows,
    windowMinutes: p.minutes ?? defaultMinutes,
    scope: p.scope ?? 'city',
    ...(p.intersections && p.intersections.length > 0 ? { intersections: p.intersections } : {}),
    ...(p.strata && p.strata.length > 0 ? { strata: { by: p.strata } } : {}),
    seed: p.seed ?? randomInt(1, 2 ** 31),
  };
}
