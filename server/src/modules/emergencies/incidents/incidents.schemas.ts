import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

export const Priority = Type.Integer({
  minimum: 1,
  maximum: 4,
  description: '1 = vida en riesgo … 4 = sin urgencia',
});
export const Reason = Type.String({
  minLength: 3,
  maxLength: 1000,
  description: 'Motivo (obligatorio, queda auditado)',
});

export const LocationInput = Type.Object(
  {
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    text: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'Dirección o punto de referencia' }),
    ),
    municipalityPcode: Type.Optional(Type.String({ pattern: '^SV\\d{5}$' })),
  },
  { additionalProperties: false },
);
export type LocationInput = Static<typeof LocationInput>;

export const CallerInput = Type.Object(
  {
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{3,20}$' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    anonymous: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CallerInput = Static<typeof CallerInput>;

export const IncidentCreate = Type.Object(
  {
    typeCode: Type.String({ minLength: 1, maxLength: 80 }),
    answers: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Boolean())),
    priority: Type.Optional(Priority),
    priorityReason: Type.Optional(Reason),
    narrative: Type.String({ minLength: 1, maxLength: 10_000 }),
    summary: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    location: LocationInput,
    caller: Type.Optional(CallerInput),
    callReceivedAt: Type.Optional(Type.String({ format: 'date-time' })),
    callAnsweredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type IncidentCreate = Static<typeof IncidentCreate>;

export const DuplicateCandidate = Type.Object({
  id: Type.String({ format: 'uuid' }),
  folio: Type.String(),
  status: Type.String(),
  typeCode: Type.Union([Type.String(), Type.Null()]),
  distanceM: Type.Integer(),
  minutesApart: Type.Integer(),
});

export const Incident = Type.Object({
  id: Type.String({ format: 'uuid' }),
  folio: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  statusName: Type.String(),
  typeCode: Nullable(Type.String()),
  typeName: Nullable(Type.String()),
  family: Nullable(Type.String()),
  priority: Nullable(Type.Integer()),
  suggestedPriority: Nullable(Type.Integer()),
  summary: Type.String(),
  answers: Type.Record(Type.String(), Type.Boolean()),
  location: Type.Object({
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    text: Nullable(Type.String()),
    flag: Nullable(Type.String()),
    departmentCode: Nullable(Type.String()),
    municipalityPcode: Nullable(Type.String()),
    districtName: Nullable(Type.String()),
  }),
  times: Type.Object({
    callReceivedAt: Nullable(Type.String({ format: 'date-time' })),
    callAnsweredAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    firstAssignedAt: Nullable(Type.String({ format: 'date-time' })),
    firstEnRouteAt: Nullable(Type.String({ format: 'date-time' })),
    firstOnSceneAt: Nullable(Type.String({ format: 'date-time' })),
    clearedAt: Nullable(Type.String({ format: 'date-time' })),
    closedAt: Nullable(Type.String({ format: 'date-time' })),
    cancelledAt: Nullable(Type.String({ format: 'date-time' })),
  }),
  closureCode: Nullable(Type.String()),
  closureSummary: Nullable(Type.String()),
  duplicateOf: Nullable(Type.String({ format: 'uuid' })),
  possibleDuplicates: Type.Array(DuplicateCandidate),
  allowedActions: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Incident = Static<typeof Incident>;

export const IncidentList = Type.Object({
  items: Type.Array(Incident),
  total: Type.Integer(),
});

export const IncidentListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({ description: 'lista separada por comas; "open" = todos los abiertos' }),
    ),
    priority: Type.Optional(Priority),
    department: Type.Optional(Type.String({ pattern: '^SV-[A-Z]{2}$' })),
    municipality: Type.Optional(Type.String({ pattern: '^SV\\d{5}$' })),
    type: Type.Optional(Type.String({ maxLength: 80 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const NearbyQuery = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    family: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'Familia del tipo (p. ej. PATRIMONIO) o un código de tipo (se usa su familia)',
    }),
  },
  { additionalProperties: false },
);

export const NearbyIncident = Type.Object({
  id: Type.String({ format: 'uuid' }),
  folio: Type.String(),
  status: Type.String(),
  statusName: Type.String(),
  typeCode: Nullable(Type.String()),
  typeName: Nullable(Type.String()),
  family: Nullable(Type.String()),
  priority: Nullable(Type.Integer()),
  summary: Type.String(),
  locationText: Nullable(Type.String()),
  lon: Type.Number(),
  lat: Type.Number(),
  createdAt: Type.String({ format: 'date-time' }),
  distanceM: Type.Integer({ description: 'Distancia en metros al punto consultado' }),
  minutesAgo: Type.Integer(),
});
export type NearbyIncident = Static<typeof NearbyIncident>;
export const NearbyIncidentList = Type.Object({ items: Type.Array(NearbyIncident) });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const TimelineEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  reason: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export const Timeline = Type.Object({ items: Type.Array(TimelineEntry) });

export const NoteCreate = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
    corrects: Type.Optional(Type.String({ format: 'uuid', description: 'Nota que esta corrige' })),
  },
  { additionalProperties: false },
);
export type NoteCreate = Static<typeof NoteCreate>;

export const Note = Type.Object({
  id: Type.String({ format: 'uuid' }),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  text: Type.String(),
  corrects: Nullable(Type.String({ format: 'uuid' })),
  correctedBy: Nullable(Type.String({ format: 'uuid' })),
  author: Type.Object({ type: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
});
export const NoteList = Type.Object({ items: Type.Array(Note) });

export const PriorityChange = Type.Object(
  { priority: Priority, reason: Reason },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const Classify = Type.Object(
  {
    typeCode: Type.String({ minLength: 1, maxLength: 80 }),
    answers: Type.Optional(Type.Record(Type.String({ maxLength: 60 }), Type.Boolean())),
    priority: Type.Optional(Priority),
    priorityReason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type Classify = Static<typeof Classify>;
export const CloseBody = Type.Object(
  {
    closureCode: Type.String({ minLength: 1, maxLength: 40 }),
    summary: Type.String({ minLength: 3, maxLength: 5000 }),
  },
  { additionalProperties: false },
);
export const MergeBody = Type.Object(
  { intoIncidentId: Type.String({ format: 'uuid' }), reason: Reason },
  { additionalProperties: false },
);
export const AttachCallBody = Type.Object(
  {
    caller: Type.Optional(CallerInput),
    narrative: Type.String({ minLength: 1, maxLength: 10_000 }),
    callReceivedAt: Type.Optional(Type.String({ format: 'date-time' })),
    callAnsweredAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type AttachCallBody = Static<typeof AttachCallBody>;

export const Caller = Type.Object({
  id: Type.String({ format: 'uuid' }),
  phone: Nullable(Type.String()),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  channel: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
});
export const CallerList = Type.Object({ items: Type.Array(Caller) });

export const IncidentTypeItem = Type.Object({
  code: Type.String(),
  parentCode: Nullable(Type.String()),
  family: Type.String(),
  name: Type.String(),
  defaultPriority: Type.Integer(),
  referral: Nullable(Type.String()),
  keywords: Type.String(),
  questions: Type.Array(
    Type.Object({ code: Type.String(), text: Type.String(), priorityIfYes: Type.Integer() }),
  ),
});
export const IncidentTypeList = Type.Object({ items: Type.Array(IncidentTypeItem) });

export const SuggestPriorityBody = Type.Object(
  {
    typeCode: Type.String({ minLength: 1, maxLength: 80 }),
    answers: Type.Record(Type.String(), Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ClosureCodeList = Type.Object({
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
