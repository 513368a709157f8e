import { Type } from '@sinclair/typebox';
import { Category, DateTime, Granularity, Nullable, Rate } from './common.ts';

export const TrendQuery = Type.Object(
  {
    granularity: Type.Optional(Granularity),
    category: Type.Optional(Category),
    from: Type.Optional(DateTime('Start: the local day it falls on is the first day counted; default: 30 days, 26 weeks or 12 months before `to`')),
    to: Type.Optional(DateTime('End: the last day counted is the local day just before it (midnight excludes that day; the default, now, includes today)')),
  },
  { additionalProperties: false },
);

export const TrendBucket = Type.Object({
  bucket: Type.String({ description: "First local day of the bucket (YYYY-MM-DD) in the site's time zone" }),
  windows: Type.Integer({ description: 'Processed windows in the bucket' }),
  ...Rate.properties,
});

export const TrendResponse = Type.Object({
  scope: Type.String({ description: "'city' or the intersection code" }),
  granularity: Granularity,
  category: Nullable(Category),
  from: Type.String(),
  to: Type.String(),
  buckets: Type.Array(TrendBucket),
  total: Type.Object({ windows: Type.Integer(), ...Rate.properties }),
});
