import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });
const dateTime = (description: string) => Type.String({ format: 'date-time', description });

export const MAX_BATCH_POSITIONS = 1000;

export const PositionReport = Type.Object(
  {
    unitId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Unidad (por defecto: la del agente o la de la clave)' }),
    ),
    deviceId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Dispositivo registrado en la unidad' }),
    ),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    speedKmh: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1000 }))),
    heading: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 360 }))),
    accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1_000_000 }))),
    recordedAt: dateTime('Hora del GPS (ISO-8601 con zona)'),
    attributes: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 64 }),
        Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]),
        { maxProperties: 32, description: 'Datos adicionales (batería, etc.)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PositionReport = Static<typeof PositionReport>;

export const PositionBatch = Type.Object(
  { positions: Type.Array(PositionReport, { minItems: 1, maxItems: MAX_BATCH_POSITIONS }) },
  { additionalProperties: false },
);
export type PositionBatch = Static<typeof PositionBatch>;

export const PositionBatchResult = Type.Object({
  accepted: Type.Integer({ description: 'Posiciones nuevas guardadas' }),
  duplicates: Type.Integer({ description: 'Ya recibidas antes (misma unidad y hora): ignoradas' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() }), {
    description: 'Posiciones no guardadas, con su posición en el lote y el motivo',
  }),
});
export type PositionBatchResult = Static<typeof PositionBatchResult>;

export const TrackParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const TrackQuery = Type.Object(
  {
    from: Type.Optional(dateTime('Inicio (por defecto: una hora antes del fin)')),
    to: Type.Optional(dateTime('Fin, excluido (por defecto: ahora)')),
  },
  { additionalProperties: false },
);
export type TrackQuery = Static<typeof TrackQuery>;

export const TrackPoint = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  speedKmh: Nullable(Type.Number()),
  heading: Nullable(Type.Number()),
  accuracyM: Nullable(Type.Number()),
  recordedAt: DateTime,
  source: Type.String(),
});

export const Track = Type.Object({
  unitId: Type.String({ format: 'uuid' }),
  from: DateTime,
  to: DateTime,
  points: Type.Array(TrackPoint),
  truncated: Type.Boolean({ description: 'Hay más puntos: pida de nuevo desde la hora del último' }),
});
export type Track = Static<typeof Track>;
