// Schemas shared by every resource. Kept apart from the handlers (the Frigate
// api/defs idea): a route file reads like a table of contents.
import { Type, type TSchema } from '@sinclair/typebox';
import { CATEGORIES } from '../../../pipelines/types.ts';

/** Formats the API registers with the validator besides the standard ones. */
export const CUSTOM_FORMATS = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  code: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
  id: /^[1-9]\d{0,17}$/,
};
/** How a failed format reads in an error message. */
export const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'a date-time such as 2024-05-01T00:00:00Z',
  month: 'a month as YYYY-MM',
  code: 'a code (letters, digits, _ . -)',
  id: 'a positive whole number',
};

export const DateTime = (description: string) => Type.String({ format: 'date-time', description });
export const Month = (description: string) => Type.String({ format: 'month', description, examples: ['2024-05'] });
export const Code = (description: string) => Type.String({ format: 'code', description });
/** Ids are bigint in the database: strings in JSON, so no precision is lost. */
export const Id = (description = 'Id') => Type.String({ format: 'id', description });
/** The same fields in replies, as plain strings: the serializer knows no custom formats. */
export const Text = (description: string) => Type.String({ description });
export const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

/** A string from a fixed list: one `enum` keyword, so a bad value reads "must be one of ...". */
export const StringEnum = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const Category = StringEnum(CATEGORIES, 'Violation category');
export const Granularity = StringEnum(['day', 'week', 'month'] as const, "Bucket size on the site's local calendar (weeks start on Monday)");
export const ReviewStatus = StringEnum(['pending', 'confirmed', 'rejected'] as const, 'Review status');

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code, see the error catalogue (services/api/errors.ts)' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Every error has this shape' },
);

export const Interval = Type.Object({ low: Type.Number(), high: Type.Number() });

export const Rate = Type.Object(
  {
    exposures: Type.Integer({ description: 'Road users who faced red: the sample size' }),
    violations: Type.Integer({ description: 'Violations that count (not rejected by a reviewer)' }),
    rate: Nullable(Type.Number({ description: 'Compliance rate 1 - violations/exposures, 0..1' })),
    interval: Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }, { description: '95% Wilson interval of the rate' })),
    violationsPerHour: Nullable(Type.Number({ description: 'Violations per hour of covered footage' })),
    coveredHours: Type.Number({ description: 'Hours of footage the windows covered' }),
  },
);

/** Items per page (or in a list), read from the query string. */
export const Limit = (dflt: number, description = 'Items per page') =>
  Type.Integer({ minimum: 1, maximum: 200, default: dflt, description });

export const PageQuery = {
  limit: Type.Optional(Limit(50)),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last' })) });

export const CodeParams = Type.Object({ code: Code('Intersection code') }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Id() }, { additionalProperties: false });

/** Standard error responses every protected route can give. */
export const errorResponses = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
