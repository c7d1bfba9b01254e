import { type Static, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

const DateTime = Type.String({ format: 'date-time' });

const Boundary = (description: string) =>
  Type.Optional(Type.String({ minLength: 10, maxLength: 40, description }));

const PeriodProps = {
  from: Boundary(
    'Inicio, incluido: AAAA-MM-DD (medianoche en hora de El Salvador) o fecha y hora ISO-8601 con zona. ' +
      'Por defecto: 30 días antes de «to».',
  ),
  to: Boundary(
    'Fin, excluido: AAAA-MM-DD (ese día completo, hora de El Salvador) o fecha y hora ISO-8601 con zona. ' +
      'Por defecto: ahora. Máximo 366 días entre «from» y «to».',
  ),
};

const TerritoryProps = {
  department: Type.Optional(Type.String({ pattern: '^SV-[A-Z]{2}$', description: 'Departamento (SV-SS)' })),
  municipality: Type.Optional(Type.String({ pattern: '^SV\\d{5}$', description: 'Municipio (SV10001)' })),
};

export const Channel = Type.Union(
  ['call', 'citizen', 'open311', 'messaging', 'panic', 'video', 'alpr'].map((c) => Type.Literal(c)),
);

const IncidentFilterProps = {
  ...TerritoryProps,
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  type: Type.Optional(
    Type.String({ minLength: 1, maxLength: 80, description: 'Tipo o familia de incidente' }),
  ),
  channel: Type.Optional(Channel),
};

export const ExportFormat = Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], {
  description: 'json (por defecto), csv (UTF-8 con BOM) o xlsx (Excel), como archivo adjunto',
});

const By = (allowed: string) =>
  Type.Optional(
    Type.String({
      maxLength: 100,
      description: `Agrupar por (lista separada por comas, hasta 3, un solo periodo): ${allowed}`,
    }),
  );

const query = <T extends TProperties>(props: T) =>
  Type.Object({ ...props, format: Type.Optional(ExportFormat) }, { additionalProperties: false });

const INCIDENT_DIMS =
  'type, family, status, channel, priority, department, municipality, hour, day, week, month';

export const VolumesQuery = query({ ...PeriodProps, ...IncidentFilterProps, by: By(INCIDENT_DIMS) });
export type VolumesQuery = Static<typeof VolumesQuery>;
export const ResponseTimesQuery = query({ ...PeriodProps, ...IncidentFilterProps, by: By(INCIDENT_DIMS) });
export type ResponseTimesQuery = Static<typeof ResponseTimesQuery>;
export const UtilisationQuery = query({
  ...PeriodProps,
  ...TerritoryProps,
  by: Type.Optional(
    Type.Union([Type.Literal('unit'), Type.Literal('department')], {
      description: 'unit (por defecto) o department',
    }),
  ),
});
export type UtilisationQuery = Static<typeof UtilisationQuery>;
export const LateQuery = query({ ...IncidentFilterProps });
export type LateQuery = Static<typeof LateQuery>;
export const EscalationsQuery = query({
  ...PeriodProps,
  ...IncidentFilterProps,
  by: By(`stage, ${INCIDENT_DIMS}`),
});
export type EscalationsQuery = Static<typeof EscalationsQuery>;
export const SatisfactionQuery = query({
  ...PeriodProps,
  ...IncidentFilterProps,
  by: By('type, family, channel, priority, department, municipality, hour, day, week, month'),
});
export type SatisfactionQuery = Static<typeof SatisfactionQuery>;

const Group = Type.Record(Type.String(), Nullable(Type.Union([Type.String(), Type.Number()])), {
  description: 'Valor de cada dimensión de agrupación (inicio del periodo en UTC para hour/day/week/month)',
});
const Labels = Type.Record(Type.String(), Nullable(Type.String()), {
  description: 'Nombre legible de cada valor (periodos en hora de El Salvador)',
});

const Meta = {
  period: Type.Object({ from: DateTime, to: DateTime, timeZone: Type.String() }),
  generatedAt: DateTime,
  groupBy: Type.Array(Type.String()),
  scope: Type.Object({
    national: Type.Boolean(),
    departments: Type.Array(Type.String()),
    municipalities: Type.Array(Type.String()),
  }),
};

export const VolumeRow = Type.Object({
  group: Group,
  labels: Labels,
  count: Type.Integer(),
  sharePct: Nullable(Type.Number()),
});
export type VolumeRow = Static<typeof VolumeRow>;
export const Volumes = Type.Object({ ...Meta, total: Type.Integer(), rows: Type.Array(VolumeRow) });
export type Volumes = Static<typeof Volumes>;

const Stat = Type.Object({
  n: Type.Integer({ description: 'Mediciones' }),
  p50: Nullable(Type.Number({ description: 'Mediana, segundos' })),
  p90: Nullable(Type.Number({ description: 'Percentil 90, segundos' })),
});
export type Stat = Static<typeof Stat>;

export const ResponseTimeRow = Type.Object({
  group: Group,
  labels: Labels,
  incidents: Type.Integer(),
  answer: Stat,
  callEntry: Stat,
  dispatch: Stat,
  turnout: Stat,
  travel: Stat,
  arrive: Stat,
  close: Stat,
  answeredWithin15sPct: Nullable(Type.Number()),
  answeredWithin20sPct: Nullable(Type.Number()),
  belowTarget15s: Nullable(Type.Boolean({ description: 'Menos del 90 % atendidas en 15 s (NENA-STA-020)' })),
  belowTarget20s: Nullable(Type.Boolean({ description: 'Menos del 95 % atendidas en 20 s (NENA-STA-020)' })),
});
export type ResponseTimeRow = Static<typeof ResponseTimeRow>;
export const ResponseTimes = Type.Object({ ...Meta, rows: Type.Array(ResponseTimeRow) });
export type ResponseTimes = Static<typeof ResponseTimes>;

export const UtilisationRow = Type.Object({
  group: Group,
  labels: Labels,
  units: Type.Integer(),
  windowSeconds: Type.Number({ description: 'Tiempo observado (periodo desde que la unidad existe)' }),
  assignedSeconds: Type.Number(),
  enRouteSeconds: Type.Number(),
  onSceneSeconds: Type.Number(),
  availableSeconds: Type.Number(),
  outOfServiceSeconds: Type.Number(),
  assignedPct: Nullable(Type.Number()),
  enRoutePct: Nullable(Type.Number()),
  onScenePct: Nullable(Type.Number()),
  busyPct: Nullable(Type.Number()),
  availablePct: Nullable(Type.Number()),
  outOfServicePct: Nullable(Type.Number()),
});
export type UtilisationRow = Static<typeof UtilisationRow>;
export const Utilisation = Type.Object({ ...Meta, rows: Type.Array(UtilisationRow) });
export type Utilisation = Static<typeof Utilisation>;

export const LateIncidentRow = Type.Object({
  incidentId: Type.String({ format: 'uuid' }),
  folio: Type.String(),
  status: Type.String(),
  priority: Type.Integer(),
  typeCode: Nullable(Type.String()),
  departmentCode: Nullable(Type.String()),
  municipalityPcode: Nullable(Type.String()),
  createdAt: DateTime,
  elapsedSeconds: Type.Integer(),
  dispatchTargetSeconds: Type.Integer(),
  onSceneTargetSeconds: Type.Integer(),
  dispatchLateBySeconds: Nullable(Type.Integer({ description: 'Sin unidad asignada pasado el objetivo' })),
  onSceneLateBySeconds: Nullable(Type.Integer({ description: 'Sin unidad en el lugar pasado el objetivo' })),
  escalated: Type.Boolean(),
});
export type LateIncidentRow = Static<typeof LateIncidentRow>;
export const LateIncidents = Type.Object({
  asOf: DateTime,
  generatedAt: DateTime,
  scope: Meta.scope,
  total: Type.Integer(),
  lateDispatch: Type.Integer(),
  lateOnScene: Type.Integer(),
  truncated: Type.Boolean(),
  rows: Type.Array(LateIncidentRow),
});
export type LateIncidents = Static<typeof LateIncidents>;

export const EscalationRow = Type.Object({
  group: Group,
  labels: Labels,
  raised: Type.Integer(),
  acknowledged: Type.Integer(),
  pending: Type.Integer(),
  lateBy: Stat,
  acknowledgeTime: Stat,
});
export type EscalationRow = Static<typeof EscalationRow>;
export const Escalations = Type.Object({ ...Meta, rows: Type.Array(EscalationRow) });
export type Escalations = Static<typeof Escalations>;

export const SatisfactionRow = Type.Object({
  group: Group,
  labels: Labels,
  eligible: Type.Integer({ description: 'Casos cerrados con código de seguimiento (se podían evaluar)' }),
  surveys: Type.Integer(),
  responseRatePct: Nullable(Type.Number()),
  average: Nullable(Type.Number({ description: 'Promedio de 1 a 5' })),
  distribution: Type.Object({
    '1': Type.Integer(),
    '2': Type.Integer(),
    '3': Type.Integer(),
    '4': Type.Integer(),
    '5': Type.Integer(),
  }),
});
export type SatisfactionRow = Static<typeof SatisfactionRow>;
export const Satisfaction = Type.Object({ ...Meta, rows: Type.Array(SatisfactionRow) });
export type Satisfaction = Static<typeof Satisfaction>;
