import { Type } from '@sinclair/typebox';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });
export const ReadyResponse = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ database: Type.String(), migrations: Type.String() }),
});
