import { Type } from '@sinclair/typebox';
import { Category, Month, Nullable, Rate, StringEnum } from './common.ts';

export const RatingsQuery = Type.Object(
  {
    month: Type.Optional(Month('Local month; default: the current one')),
    by: Type.Optional(StringEnum(['intersection', 'unit'] as const, 'Rank intersections or responsible units')),
    category: Type.Optional(Category),
  },
  { additionalProperties: false },
);

export const RatingItem = Type.Object({
  rank: Nullable(Type.Integer({ description: 'Rank among rated entries, 1 = best; null when unrated' })),
  key: Type.String({ description: 'Intersection code or responsible unit' }),
  name: Type.String(),
  responsibleUnit: Nullable(Type.String()),
  intersections: Type.Integer({ description: 'Intersections in the entry (1 for an intersection)' }),
  windows: Type.Integer(),
  band: Type.String({ description: "A..E or 'unrated'" }),
  redFlag: Type.Boolean({ description: '红旗: among the best k and at least the pass line' }),
  blackFlag: Type.Boolean({ description: '黑旗: among the worst k, or below the black line' }),
  compliance: Rate,
});

export const RatingsResponse = Type.Object({
  month: Type.String(),
  by: Type.String(),
  category: Nullable(Category),
  rules: Type.Object({
    bands: Type.Array(Type.Object({ band: Type.String(), min: Type.Number() })),
    minExposures: Type.Integer(),
    flagCount: Type.Integer(),
    passRate: Type.Number(),
    blackRate: Type.Number(),
    text: Type.String(),
  }),
  items: Type.Array(RatingItem),
});
