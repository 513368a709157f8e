// Keys and sites import (operator / admin).
import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from './common.ts';
import { ROLES } from '../access.ts';

export const KeyItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  prefix: Type.String({ description: 'First characters of the key, to tell keys apart' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const KeyList = Type.Object({ items: Type.Array(KeyItem) });

export const KeyCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: StringEnum(ROLES, 'Role of the key'),
    expiresDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const KeyCreated = Type.Object({ key: Type.String({ description: 'Shown once; only its hash is stored' }), ...KeyItem.properties });

export const KeyParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Key id' }) }, { additionalProperties: false });

export const MeResponse = Type.Object({ name: Type.String(), role: Type.String() });

export const SitesBody = Type.Object({}, { additionalProperties: true, description: 'A sites file (see sites/*.json and pipelines/sites/schema.ts)' });
export const SitesImported = Type.Object({
  intersections: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }),
  cameras: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }),
});
