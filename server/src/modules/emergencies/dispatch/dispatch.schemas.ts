import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });

export const UnitKind = Type.Union([
  Type.Literal('patrol_car'),
  Type.Literal('motorcycle'),
  Type.Literal('foot'),
  Type.Literal('specialised'),
]);
export const UnitStatus = Type.Union([
  Type.Literal('available'),
  Type.Literal('assigned'),
  Type.Literal('en_route'),
  Type.Literal('on_scene'),
  Type.Literal('out_of_service'),
]);

export const StationCreate = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Z0-9-]+$' }),
    name: Type.String({ minLength: 2, maxLength: 200 }),
    departmentCode: Type.String({ pattern: '^SV-[A-Z]{2}$' }),
    municipalityPcode: Type.Optional(Type.String({ pattern: '^SV\\d{5}$' })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  },
  { additionalProperties: false },
);
export type StationCreate = Static<typeof StationCreate>;

export const Station = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  departmentCode: Type.String(),
  municipalityPcode: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
});
export const StationList = Type.Object({ items: Type.Array(Station) });

export const UnitCreate = Type.Object(
  {
    callSign: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' }),
    kind: UnitKind,
    capabilities: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
    stationId: Type.Optional(Type.String({ format: 'uuid' })),
    departmentCode: Type.String({ pattern: '^SV-[A-Z]{2}$' }),
    municipalityPcode: Type.Optional(Type.String({ pattern: '^SV\\d{5}$' })),
    deviceId: Type.Optional(Type.String({ minLength: 3, maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type UnitCreate = Static<typeof UnitCreate>;

export const Position = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  speedKmh: Nullable(Type.Number()),
  heading: Nullable(Type.Number()),
  recordedAt: DateTime,
});

export const Unit = Type.Object({
  id: Type.String({ format: 'uuid' }),
  callSign: Type.String(),
  kind: UnitKind,
  capabilities: Type.Array(Type.String()),
  stationId: Nullable(Type.String({ format: 'uuid' })),
  departmentCode: Type.String(),
  municipalityPcode: Nullable(Type.String()),
  status: UnitStatus,
  statusChangedAt: DateTime,
  deviceId: Nullable(Type.String()),
  position: Nullable(Position),
  activeAssignment: Nullable(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      incidentId: Type.String({ format: 'uuid' }),
      folio: Type.String(),
    }),
  ),
  crew: Type.Array(
    Type.Object({ userId: Type.String({ format: 'uuid' }), name: Type.String(), role: Type.String() }),
  ),
});
export type Unit = Static<typeof Unit>;
export const UnitList = Type.Object({ items: Type.Array(Unit) });
export const UnitListQuery = Type.Object(
  {
    status: Type.Optional(UnitStatus),
    department: Type.Optional(Type.String({ pattern: '^SV-[A-Z]{2}$' })),
  },
  { additionalProperties: false },
);

export const UnitStatusChange = Type.Object(
  {
    action: Type.Union([Type.Literal('in_service'), Type.Literal('out_of_service')]),
    reason: Type.Optional(Type.String({ minLength: 3, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const CrewChange = Type.Object(
  {
    userId: Type.String({ format: 'uuid' }),
    role: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const AssignBody = Type.Object(
  {
    unitId: Type.String({ format: 'uuid' }),
    reason: Type.Optional(Type.String({ minLength: 3, maxLength: 1000 })),
    recommended: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Assignment = Type.Object({
  id: Type.String({ format: 'uuid' }),
  incidentId: Type.String({ format: 'uuid' }),
  unitId: Type.String({ format: 'uuid' }),
  assignedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  enRouteAt: Nullable(DateTime),
  onSceneAt: Nullable(DateTime),
  clearedAt: Nullable(DateTime),
  releasedAt: Nullable(DateTime),
  releaseReason: Nullable(Type.String()),
});
export const AssignmentList = Type.Object({ items: Type.Array(Assignment) });

export const AssignmentParams = Type.Object(
  { assignmentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const ConsoleProgress = Type.Object(
  {
    action: Type.Union([
      Type.Literal('acknowledge'),
      Type.Literal('en_route'),
      Type.Literal('on_scene'),
      Type.Literal('clear'),
    ]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const Recommendation = Type.Object({
  unitId: Type.String({ format: 'uuid' }),
  callSign: Type.String(),
  kind: UnitKind,
  distanceM: Type.Integer(),
  etaSeconds: Type.Integer(),
  sameTerritory: Type.Boolean(),
  stalePosition: Type.Boolean(),
  reasons: Type.Array(Type.String()),
});
export const RecommendationList = Type.Object({ items: Type.Array(Recommendation) });

export const ResponseTarget = Type.Object({
  priority: Type.Integer({ minimum: 1, maximum: 4 }),
  answerSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  dispatchSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  onSceneSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
});
export const ResponseTargetList = Type.Object({ items: Type.Array(ResponseTarget) });
export const ResponseTargetsUpdate = Type.Object(
  {
    items: Type.Array(ResponseTarget, { minItems: 1, maxItems: 4 }),
    reason: Type.String({ minLength: 3, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const Escalation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  incidentId: Type.String({ format: 'uuid' }),
  folio: Type.String(),
  stage: Type.String(),
  raisedAt: DateTime,
  lateBySeconds: Type.Integer(),
  priority: Nullable(Type.Integer()),
  departmentCode: Nullable(Type.String()),
  acknowledgedAt: Nullable(DateTime),
});
export const EscalationList = Type.Object({ items: Type.Array(Escalation) });
