import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });

export const WatchlistReason = Type.Union(
  [Type.Literal('stolen'), Type.Literal('alert'), Type.Literal('wanted')],
  {
    description: 'stolen = robado, alert = alerta, wanted = requerido por la justicia',
  },
);
export const WatchlistPriority = Type.Union(
  [Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')],
  {
    description: 'high: una coincidencia abre además un incidente',
  },
);
const ChangeReason = Type.String({
  maxLength: 1000,
  description: 'motivo del cambio (obligatorio, queda auditado), p. ej. la denuncia que lo respalda',
});

export const WatchlistCreate = Type.Object(
  {
    plate: Type.String({ minLength: 2, maxLength: 20, description: 'p. ej. P123-456' }),
    reason: WatchlistReason,
    priority: WatchlistPriority,
    source: Type.String({ minLength: 1, maxLength: 200, description: 'quién la pidió, p. ej. PNC-DIPT' }),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    expiresAt: Type.Optional(DateTime),
    changeReason: Type.Optional(ChangeReason),
  },
  { additionalProperties: false },
);
export type WatchlistCreate = Static<typeof WatchlistCreate>;

export const WatchlistUpdate = Type.Object(
  {
    reason: Type.Optional(WatchlistReason),
    priority: Type.Optional(WatchlistPriority),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    expiresAt: Type.Optional(Nullable(DateTime)),
    active: Type.Optional(Type.Boolean()),
    changeReason: Type.Optional(ChangeReason),
  },
  { additionalProperties: false },
);
export type WatchlistUpdate = Static<typeof WatchlistUpdate>;

export const WatchlistEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  plate: Type.String({ description: 'normalizada' }),
  plateDisplay: Type.String(),
  reason: WatchlistReason,
  priority: WatchlistPriority,
  source: Type.String(),
  notes: Nullable(Type.String()),
  active: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('inactive')]),
  addedBy: Type.String(),
  addedAt: DateTime,
  expiresAt: Nullable(DateTime),
  updatedAt: DateTime,
  version: Type.Integer(),
});
export const WatchlistList = Type.Object({ items: Type.Array(WatchlistEntry), total: Type.Integer() });
export const WatchlistQuery = Type.Object(
  {
    plate: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    includeInactive: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type WatchlistQuery = Static<typeof WatchlistQuery>;

export const PlateReadBody = Type.Object(
  {
    readId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'id de la lectura en el lector (idempotencia)',
    }),
    plate: Type.String({ minLength: 1, maxLength: 20 }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    cameraId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'id o nombre de una cámara registrada' }),
    ),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    readAt: DateTime,
    imageUrl: Type.Optional(Type.String({ maxLength: 1000, pattern: '^https?://[^\\s]+$' })),
  },
  { additionalProperties: false },
);
export type PlateReadBody = Static<typeof PlateReadBody>;

export const PlateReadAccepted = Type.Object({
  id: Type.String({ format: 'uuid' }),
  readId: Type.String(),
  duplicate: Type.Boolean({ description: 'la lectura ya se había recibido' }),
  receivedAt: DateTime,
});

export const PlateRead = Type.Object({
  id: Type.String({ format: 'uuid' }),
  readId: Type.String(),
  source: Type.String(),
  plate: Type.String(),
  plateRaw: Type.String(),
  confidence: Type.Number(),
  cameraId: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  departmentCode: Nullable(Type.String()),
  municipalityPcode: Nullable(Type.String()),
  readAt: DateTime,
  readAtLocal: Type.String(),
  receivedAt: DateTime,
  imageUrl: Nullable(Type.String()),
  watchlistId: Nullable(Type.String()),
  outcome: Type.String(),
  explanation: Type.Record(Type.String(), Type.Unknown()),
});
export const PlateReadList = Type.Object({ items: Type.Array(PlateRead), total: Type.Integer() });
export const PlateReadQuery = Type.Object(
  {
    purpose: Type.String({
      minLength: 3,
      maxLength: 500,
      description: 'para qué se consulta (queda auditado)',
    }),
    plate: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type PlateReadQuery = Static<typeof PlateReadQuery>;

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
