import { Type } from '@sinclair/typebox';
import { Category, Code, DateTime, Id, Nullable, PageQuery, StringEnum, Text } from './common.ts';

export const WindowStatus = StringEnum(['pending', 'running', 'done', 'failed'] as const, 'Processing status');

export const WindowQuery = Type.Object(
  {
    camera: Type.Optional(Code('Camera code')),
    intersection: Type.Optional(Code('Intersection code')),
    status: Type.Optional(WindowStatus),
    from: Type.Optional(DateTime('Windows starting at or after')),
    to: Type.Optional(DateTime('Windows starting before')),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const WindowItem = Type.Object({
  id: Text('Id'),
  runId: Nullable(Type.String()),
  camera: Type.String(),
  intersection: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  status: Type.String(),
  reason: Nullable(Type.String()),
  modelVersion: Nullable(Type.String()),
  rulesVersion: Nullable(Type.String()),
  coveredSeconds: Nullable(Type.Number()),
  attempts: Type.Integer(),
  processedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const WindowCount = Type.Object({
  category: Category,
  exposures: Type.Integer(),
  violations: Type.Integer({ description: 'As the pipeline counted them' }),
  rejected: Type.Integer({ description: 'Of those, rejected by a reviewer' }),
  counted: Type.Integer({ description: 'violations - rejected: what rates use' }),
});

export const WindowDetail = Type.Object({ ...WindowItem.properties, counts: Type.Array(WindowCount) });
