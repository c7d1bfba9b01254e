import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });

export const CameraName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'nombre de la cámara en Frigate (el campo `camera` de sus eventos)',
});
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const BaseUrl = Type.String({
  maxLength: 300,
  pattern: '^https?://[^\\s]+$',
  description: 'URL base del servidor Frigate de la cámara (p. ej. http://frigate-01:5000)',
});

export const CameraCreate = Type.Object(
  {
    name: CameraName,
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    lon: Lon,
    lat: Lat,
    frigateBaseUrl: Type.Optional(BaseUrl),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CameraCreate = Static<typeof CameraCreate>;

export const CameraUpdate = Type.Object(
  {
    description: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 300 }))),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    frigateBaseUrl: Type.Optional(Nullable(BaseUrl)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CameraUpdate = Static<typeof CameraUpdate>;

export const Camera = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  departmentCode: Nullable(Type.String()),
  municipalityPcode: Nullable(Type.String()),
  districtName: Nullable(Type.String()),
  frigateBaseUrl: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const CameraList = Type.Object({ items: Type.Array(Camera) });

export const RuleAction = Type.Union([
  Type.Literal('create_incident'),
  Type.Literal('attach_nearby'),
  Type.Literal('alert_only'),
]);

export const Schedule = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      description: 'días ISO: 1 = lunes … 7 = domingo',
    }),
    from: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, hora de El Salvador' }),
    to: Type.String({
      pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
      description: 'HH:MM (exclusiva); menor que `from` = cruza la medianoche',
    }),
  },
  { additionalProperties: false },
);

const Zones = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 50,
  uniqueItems: true,
  description: 'zonas de Frigate (basta una); vacío = cualquier zona',
});
const Priority = Type.Integer({ minimum: 1, maximum: 4 });

export const RuleCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    cameraId: Type.Optional(
      Nullable(Type.String({ format: 'uuid', description: 'sin cámara = regla global' })),
    ),
    label: Type.String({ minLength: 1, maxLength: 100, description: 'etiqueta de Frigate: person, car…' }),
    zones: Type.Optional(Zones),
    minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    schedule: Type.Optional(Nullable(Schedule)),
    action: RuleAction,
    attachMeters: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
    attachMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    priority: Type.Optional(Priority),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RuleCreate = Static<typeof RuleCreate>;

export const RuleUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    zones: Type.Optional(Zones),
    minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    schedule: Type.Optional(Nullable(Schedule)),
    action: Type.Optional(RuleAction),
    attachMeters: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
    attachMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    priority: Type.Optional(Priority),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RuleUpdate = Static<typeof RuleUpdate>;

export const Rule = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  cameraId: Nullable(Type.String()),
  label: Type.String(),
  zones: Type.Array(Type.String()),
  minScore: Type.Number(),
  schedule: Nullable(Schedule),
  action: RuleAction,
  attachMeters: Type.Integer(),
  attachMinutes: Type.Integer(),
  priority: Type.Integer(),
  active: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const RuleList = Type.Object({ items: Type.Array(Rule) });
export const RuleListQuery = Type.Object(
  { cameraId: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The webhook takes Frigate's JSON as published on MQTT; unknown keys are accepted and ignored. */
export const FrigateEnvelope = Type.Object(
  {
    type: Type.Optional(Type.String({ description: 'new | update | end' })),
    before: Type.Optional(Type.Unknown()),
    after: Type.Unknown({ description: 'estado actual (obligatorio: id y camera)' }),
  },
  { additionalProperties: true },
);

export const Decision = Type.Object({
  frigateId: Type.String(),
  type: Type.String(),
  decision: Type.String(),
  summary: Type.String(),
  alertId: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  stale: Type.Boolean(),
});

export const ReviewDecision = Type.Object({
  reviewId: Type.String(),
  type: Type.String(),
  decision: Type.String(),
  summary: Type.String(),
  alertId: Nullable(Type.String()),
});

const Media = Type.Object({
  thumbnailUrl: Nullable(Type.String()),
  snapshotUrl: Nullable(Type.String()),
  clipUrl: Nullable(Type.String()),
});

export const AlertSource = Type.Union([
  Type.Literal('frigate_event'),
  Type.Literal('frigate_review'),
  Type.Literal('alpr'),
]);

export const MachineAlert = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: AlertSource,
  title: Type.String(),
  cameraId: Nullable(Type.String()),
  cameraName: Nullable(Type.String()),
  label: Nullable(Type.String()),
  score: Nullable(Type.Number()),
  priority: Nullable(Type.Integer()),
  location: Type.Object({
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    departmentCode: Nullable(Type.String()),
    municipalityPcode: Nullable(Type.String()),
  }),
  occurredAt: DateTime,
  occurredAtLocal: Type.String({ description: 'la misma hora en America/El_Salvador (-06:00)' }),
  raisedAt: DateTime,
  endedAt: Nullable(DateTime),
  frigateEventIds: Type.Array(Type.String()),
  reviewId: Nullable(Type.String()),
  plate: Nullable(Type.String()),
  watchlistId: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  incidentAction: Nullable(Type.Union([Type.Literal('created'), Type.Literal('attached')])),
  ruleId: Nullable(Type.String()),
  explanation: Type.Record(Type.String(), Type.Unknown()),
  media: Media,
});
export const AlertList = Type.Object({ items: Type.Array(MachineAlert), total: Type.Integer() });
export const AlertListQuery = Type.Object(
  {
    source: Type.Optional(AlertSource),
    camera: Type.Optional(CameraName),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    withIncident: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuery>;

export const VideoEvent = Type.Object({
  id: Type.String({ format: 'uuid' }),
  frigateId: Type.String(),
  cameraName: Type.String(),
  cameraId: Nullable(Type.String()),
  label: Nullable(Type.String()),
  subLabel: Nullable(Type.String()),
  topScore: Nullable(Type.Number()),
  score: Nullable(Type.Number()),
  zones: Type.Array(Type.String()),
  falsePositive: Type.Boolean(),
  startTime: Nullable(DateTime),
  startTimeLocal: Nullable(Type.String()),
  endTime: Nullable(DateTime),
  lastType: Type.String(),
  messages: Type.Integer(),
  decision: Type.String(),
  explanation: Type.Record(Type.String(), Type.Unknown()),
  ruleId: Nullable(Type.String()),
  alertId: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  media: Media,
  firstSeenAt: DateTime,
  lastSeenAt: DateTime,
});
export const VideoEventList = Type.Object({ items: Type.Array(VideoEvent), total: Type.Integer() });
export const VideoEventListQuery = Type.Object(
  {
    camera: Type.Optional(CameraName),
    frigateId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    decision: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('ignored'),
        Type.Literal('alert_only'),
        Type.Literal('incident_created'),
        Type.Literal('attached'),
      ]),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type VideoEventListQuery = Static<typeof VideoEventListQuery>;
