import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

export const DeviceCode = Type.String({
  minLength: 2,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$',
  description: 'código del dispositivo, p. ej. PB-000123',
});
export const DeviceKind = Type.Union([
  Type.Literal('panic_button'),
  Type.Literal('alarm_panel'),
  Type.Literal('app'),
]);
const OwnerName = Type.String({ minLength: 1, maxLength: 200 });
const OwnerContact = Type.String({
  minLength: 3,
  maxLength: 200,
  description: 'teléfono o correo del titular',
});
const Address = Type.String({ minLength: 1, maxLength: 500 });
const Description = Type.String({ minLength: 1, maxLength: 300, description: 'p. ej. «Tienda, mostrador»' });

export const DeviceCreate = Type.Object(
  {
    code: DeviceCode,
    kind: DeviceKind,
    description: Type.Optional(Description),
    ownerName: Type.Optional(OwnerName),
    ownerContact: Type.Optional(OwnerContact),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    address: Type.Optional(Address),
    active: Type.Optional(Type.Boolean()),
    apiKeyId: Type.Optional(
      Type.String({ format: 'uuid', description: 'clave de API del dispositivo (con device.alert.send)' }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceCreate = Static<typeof DeviceCreate>;

export const DeviceUpdate = Type.Object(
  {
    kind: Type.Optional(DeviceKind),
    description: Type.Optional(Nullable(Description)),
    ownerName: Type.Optional(Nullable(OwnerName)),
    ownerContact: Type.Optional(Nullable(OwnerContact)),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    address: Type.Optional(Nullable(Address)),
    active: Type.Optional(Type.Boolean()),
    apiKeyId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DeviceUpdate = Static<typeof DeviceUpdate>;

/** A device as listed: no personal data (see DeviceOwner). */
export const Device = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  kind: DeviceKind,
  description: Nullable(Type.String()),
  hasOwner: Type.Boolean(),
  location: Type.Object({
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    address: Nullable(Type.String()),
    departmentCode: Nullable(Type.String()),
    municipalityPcode: Nullable(Type.String()),
    districtName: Nullable(Type.String()),
  }),
  active: Type.Boolean(),
  apiKeyId: Nullable(Type.String()),
  lastAlertAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type Device = Static<typeof Device>;
export const DeviceList = Type.Object({ items: Type.Array(Device), total: Type.Integer() });
export const DeviceListQuery = Type.Object(
  {
    kind: Type.Optional(DeviceKind),
    active: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type DeviceListQuery = Static<typeof DeviceListQuery>;

export const DeviceOwner = Type.Object({
  deviceId: Type.String({ format: 'uuid' }),
  code: Type.String(),
  ownerName: Nullable(Type.String()),
  ownerContact: Nullable(Type.String()),
});
export const PurposeQuery = Type.Object(
  {
    purpose: Type.String({
      minLength: 3,
      maxLength: 500,
      description: 'para qué se consulta (queda auditado)',
    }),
  },
  { additionalProperties: false },
);

export const CodeParams = Type.Object({ code: DeviceCode });

export const DeviceAlertBody = Type.Object(
  {
    alertId: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'id de la alerta en el dispositivo (idempotencia)',
    }),
    kind: Type.Optional(
      Type.Union([Type.Literal('panic'), Type.Literal('test'), Type.Literal('cancel')], { default: 'panic' }),
    ),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    triggeredAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type DeviceAlertBody = Static<typeof DeviceAlertBody>;

export const DeviceAlertOutcome = Type.Union([
  Type.Literal('incident_created'),
  Type.Literal('attached'),
  Type.Literal('test_logged'),
  Type.Literal('cancel_noted'),
  Type.Literal('cancel_without_incident'),
]);

export const DeviceAlertResult = Type.Object({
  id: Type.String({ format: 'uuid' }),
  alertId: Type.String(),
  deviceCode: Type.String(),
  kind: Type.String(),
  outcome: DeviceAlertOutcome,
  incidentId: Nullable(Type.String()),
  folio: Nullable(Type.String()),
  receivedAt: DateTime,
  duplicate: Type.Boolean({ description: 'la alerta ya se había recibido (misma alertId)' }),
});
export type DeviceAlertResult = Static<typeof DeviceAlertResult>;

export const DeviceAlertEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  alertId: Type.String(),
  kind: Type.String(),
  outcome: DeviceAlertOutcome,
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  triggeredAt: Nullable(DateTime),
  receivedAt: DateTime,
  incidentId: Nullable(Type.String()),
});
export const DeviceAlertList = Type.Object({ items: Type.Array(DeviceAlertEntry) });
