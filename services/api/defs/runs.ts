// Runs: create one from plan parameters (or for a stored plan) and follow it.
import { Type } from '@sinclair/typebox';
import { Code, Id, Limit, Month, Nullable, StringEnum, Text } from './common.ts';

export const RunCreateBody = Type.Object(
  {
    planId: Type.Optional(Id('Queue this stored plan (crosswatch plan ...) instead of drawing a new one; no other field then')),
    month: Type.Optional(Month('Period to sample: a local month')),
    windows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'N: windows to draw' })),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1440, description: 'L: window length in minutes; default the configured window length' })),
    hours: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$', description: 'HH:MM-HH:MM in the site zone' }), { minItems: 1, maxItems: 24, description: 'Hours under assessment; default 07:00-20:00' }),
    ),
    scope: Type.Optional(StringEnum(['city', 'intersection'] as const, 'Draw N city-wide (as assessors do) or N per intersection; default city')),
    intersections: Type.Optional(Type.Array(Code('Intersection code'), { minItems: 1, maxItems: 10_000, description: 'Only these intersections' })),
    strata: Type.Optional(Type.Array(StringEnum(['dayType', 'peak'] as const, 'Stratum dimension'), { minItems: 1, maxItems: 2, uniqueItems: true })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 200 })], { description: 'Makes the draw reproducible; chosen and stored when left out' })),
  },
  { additionalProperties: false },
);

export const RunWindows = Type.Object({
  total: Type.Integer(),
  queued: Type.Integer(),
  running: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
});

export const RunItem = Type.Object({
  id: Text('Run id'),
  planId: Nullable(Type.String()),
  kind: Type.String({ description: 'assessment or nightly' }),
  status: Type.String(),
  reason: Nullable(Type.String({ description: 'Why it ended as it did' })),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  windows: RunWindows,
  coveredHours: Type.Number({ description: 'Hours of footage the done windows covered' }),
  plannedHours: Type.Number({ description: 'Hours of footage the plan asks for' }),
  wallSeconds: Type.Number({ description: 'Seconds from the first window started to now (or to the last finished)' }),
  footageHoursPerWallHour: Nullable(Type.Number({ description: 'Footage hours finished per wall hour; null before a window finished' })),
  etaSeconds: Nullable(Type.Number({ description: 'Seconds left at the rate so far; null before a window finished' })),
  finishedWindows: Type.Integer({ description: 'Windows (done or failed) the rate and the estimate rest on' }),
  failures: Type.Array(
    Type.Object({ seq: Type.Integer(), camera: Type.String(), startsAt: Type.String({ format: 'date-time' }), attempts: Type.Integer(), reason: Type.String() }),
  ),
});

export const RunList = Type.Object({ items: Type.Array(RunItem) });

export const RunListQuery = Type.Object({ limit: Type.Optional(Limit(20, 'Runs to list')) }, { additionalProperties: false });

export const RunCreated = Type.Object({
  plan: Type.Object({ id: Text('Plan id'), windows: Type.Integer(), created: Type.Boolean({ description: 'False when planId named a stored plan' }) }),
  run: RunItem,
  queued: Type.Integer({ description: 'Windows queued by this request' }),
  alreadyQueued: Type.Integer({ description: 'Windows the run had queued before (a repeated request queues nothing twice)' }),
});
