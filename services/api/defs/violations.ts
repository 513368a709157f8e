import { Type } from '@sinclair/typebox';
import { Category, Code, DateTime, Id, Nullable, PageQuery, ReviewStatus, StringEnum, Text } from './common.ts';

export const ViolationQuery = Type.Object(
  {
    category: Type.Optional(Category),
    status: Type.Optional(ReviewStatus),
    intersection: Type.Optional(Code('Intersection code')),
    from: Type.Optional(DateTime('At or after')),
    to: Type.Optional(DateTime('Before')),
    order: Type.Optional(StringEnum(['asc', 'desc'] as const, 'By time; the review queue reads oldest first (asc)')),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ViolationItem = Type.Object({
  id: Text('Id'),
  windowId: Text('Window id'),
  intersection: Type.String(),
  intersectionName: Type.String(),
  timeZone: Type.String(),
  camera: Type.String(),
  category: Category,
  trackId: Type.Integer(),
  roadUserClass: Type.String(),
  zoneId: Type.String(),
  signalId: Nullable(Type.String()),
  t: Type.String({ format: 'date-time' }),
  score: Type.Number(),
  hasEvidence: Type.Boolean(),
  reviewStatus: ReviewStatus,
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  reviewedBy: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
});

export const AuditEntry = Type.Object({
  id: Text('Audit entry id'),
  actor: Type.String(),
  from: Type.String(),
  to: Type.String(),
  reason: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
});

export const ViolationDetail = Type.Object({
  ...ViolationItem.properties,
  moments: Type.Array(Type.Unknown(), { description: '[before the line, past the line, continued]: {frameIndex, t, box}' }),
  audit: Type.Array(AuditEntry),
});

export const ReviewBody = Type.Object(
  {
    decision: StringEnum(['confirm', 'reject'] as const, 'Confirm the violation, or reject it (a reason is then required)'),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Why; required to reject' })),
  },
  { additionalProperties: false },
);

export const ReviewResponse = Type.Object({ violation: ViolationItem, audit: AuditEntry });
export { IdParams } from './common.ts';
