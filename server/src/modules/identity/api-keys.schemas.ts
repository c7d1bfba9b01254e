import { type Static, Type } from '@sinclair/typebox';
import { ScopeSchema } from './identity.schemas.js';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    permissions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
    }),
    scope: ScopeSchema,
    expiresAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type ApiKeyCreate = Static<typeof ApiKeyCreate>;

export const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'parte visible de la clave (cnt_<prefijo>_…)' }),
  permissions: Type.Array(Type.String()),
  scope: ScopeSchema,
  createdBy: Type.String({ format: 'uuid' }),
  createdAt: DateTime,
  expiresAt: NullableDateTime,
  revokedAt: NullableDateTime,
  lastUsedAt: NullableDateTime,
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
});
export type ApiKey = Static<typeof ApiKey>;

export const ApiKeyCreated = Type.Composite([
  ApiKey,
  Type.Object({ key: Type.String({ description: 'la clave completa; se muestra solo esta vez' }) }),
]);
export type ApiKeyCreated = Static<typeof ApiKeyCreated>;

export const ApiKeyList = Type.Object({ items: Type.Array(ApiKey) });
export type ApiKeyList = Static<typeof ApiKeyList>;

export const ApiKeyListQuery = Type.Object(
  { includeInactive: Type.Boolean({ default: false, description: 'incluir revocadas y vencidas' }) },
  { additionalProperties: false },
);
export type ApiKeyListQuery = Static<typeof ApiKeyListQuery>;
