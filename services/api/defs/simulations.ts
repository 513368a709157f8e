// Pre-assessment simulations: create one for a month, read the latest or any.
import { Type } from '@sinclair/typebox';
import { CATEGORIES } from '../../../pipelines/types.ts';
import { Limit, Month, Nullable, StringEnum, Text } from './common.ts';

const Deductions = Type.Record(Type.String(), Type.Number(), { description: 'Points per observed violation, by category' });

export const ScoringRuleBody = Type.Object(
  {
    start: Type.Optional(Type.Number()),
    deductions: Type.Optional(Type.Object(Object.fromEntries(CATEGORIES.map((c) => [c, Type.Optional(Type.Number({ minimum: 0 }))])), { additionalProperties: false })),
    capPerWindow: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0 }))),
    floor: Type.Optional(Type.Number()),
    passMark: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, description: 'Scoring rule; fields left out take the default rule' },
);

export const SimulationCreateBody = Type.Object(
  {
    month: Month('Local month whose processed windows are drawn from'),
    windows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 20, description: 'N: windows per city-wide assessment' })),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1440, description: "L: the assessors' window length, minutes; default the configured window length" })),
    draws: Type.Optional(Type.Integer({ minimum: 100, maximum: 100_000, default: 10_000, description: 'D: simulated assessments per estimate' })),
    seed: Type.Optional(Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 200 })])),
    rule: Type.Optional(ScoringRuleBody),
    lengthPolicy: Type.Optional(StringEnum(['match', 'thin'] as const, "Windows of other lengths: left out (match) or thinned to L (thin)")),
    minWindows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Fewest usable windows an estimate may rest on (default 10)' })),
  },
  { additionalProperties: false },
);

export const SimulationQuery = Type.Object(
  { month: Type.Optional(Month('Only simulations of this month')), limit: Type.Optional(Limit(20, 'Simulations to list')) },
  { additionalProperties: false },
);
export const LatestQuery = Type.Object({ month: Type.Optional(Month('The latest of this month; default the latest of any')) }, { additionalProperties: false });

const CostlyWindow = Type.Object({
  windowId: Type.String(),
  intersection: Type.String(),
  camera: Nullable(Type.String()),
  startsAt: Nullable(Type.String({ format: 'date-time' })),
  endsAt: Nullable(Type.String({ format: 'date-time' })),
  pointsPerDraw: Type.Number({ description: 'Points the window costs each time it is drawn' }),
  drawsPerAssessment: Type.Number({ description: 'Times it is drawn per assessment on average' }),
  expectedPoints: Type.Number({ description: 'Points it costs one assessment on average' }),
  share: Type.Number({ description: 'Its part of the expected deduction, 0..1' }),
});

export const Estimate = Type.Object({
  windowsUsed: Type.Integer({ description: 'Processed windows the estimate rests on: its sample size' }),
  windowsExcluded: Type.Integer({ description: 'Processed windows left out for their length' }),
  windowsPerAssessment: Type.Integer(),
  draws: Type.Integer(),
  expectedScore: Type.Number({ description: 'Points' }),
  scoreStdError: Type.Number({ description: 'Monte Carlo standard error, points' }),
  band: Type.Object({ p5: Type.Number(), p95: Type.Number() }, { description: '5th and 95th percentiles of the simulated score, points' }),
  passProbability: Type.Number({ description: '0..1' }),
  passProbabilityStdError: Type.Number(),
  expectedDeduction: Type.Number({ description: 'Points deducted per assessment on average, before the floor' }),
  costliestWindows: Type.Array(CostlyWindow),
});

export const SimulationResult = Type.Object({
  id: Text('Simulation id'),
  month: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  windowsFound: Type.Integer({ description: 'Done windows found in the month' }),
  parameters: Type.Object({
    windows: Type.Integer(),
    intersectionWindows: Type.Integer(),
    windowMinutes: Type.Number(),
    draws: Type.Integer(),
    seed: Type.Union([Type.Number(), Type.String()]),
    lengthPolicy: Type.String(),
    minWindows: Type.Integer(),
    rule: Type.Object({
      start: Type.Number(),
      deductions: Deductions,
      capPerWindow: Nullable(Type.Number()),
      floor: Type.Number(),
      passMark: Type.Number(),
    }),
  }),
  city: Estimate,
  intersections: Type.Array(
    Type.Object({
      code: Text('Intersection code'),
      name: Type.String(),
      responsibleUnit: Nullable(Type.String()),
      estimate: Nullable(Estimate),
      refusal: Nullable(Type.String({ description: 'Why there is no estimate (too few windows)' })),
    }),
  ),
});

export const SimulationSummaryItem = Type.Object({
  id: Text('Simulation id'),
  month: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  windowsFound: Type.Integer(),
  windowsUsed: Type.Integer(),
  city: Nullable(Type.Object({ expectedScore: Nullable(Type.Number()), band: Type.Object({ p5: Nullable(Type.Number()), p95: Nullable(Type.Number()) }), passProbability: Nullable(Type.Number()) })),
});
export const SimulationList = Type.Object({ items: Type.Array(SimulationSummaryItem) });
