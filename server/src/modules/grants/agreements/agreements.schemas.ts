import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

export { Nullable };

export const DateOnly = Type.String({ description: 'Fecha YYYY-MM-DD', examples: ['2026-03-01'] });
/** Integer cents arrive as any JSON number: the service gives fractions, negatives and overflow their own codes. */
export const CentsInput = Type.Number({ description: 'Monto en centavos (entero, > 0)' });
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
export const ListFormat = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')]));

export const TrancheInput = Type.Object(
  {
    amountCents: CentsInput,
    minJustifiedPct: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        description: '% de lo desembolsado antes que debe estar justificado',
      }),
    ),
    requiresVisit: Type.Optional(
      Type.Boolean({ description: 'Exige un informe de visita de monitoreo aprobado tras el pago anterior' }),
    ),
    plannedOn: Type.Optional(DateOnly),
  },
  { additionalProperties: false },
);

export const AgreementCreate = Type.Object(
  {
    number: Type.String({ minLength: 3, maxLength: 60, description: 'Número del convenio' }),
    amountCents: CentsInput,
    startsOn: DateOnly,
    endsOn: DateOnly,
    signedOn: DateOnly,
    liquidationDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        default: 30,
        description: 'Días tras el fin del período para liquidar',
      }),
    ),
    administratorId: Uuid,
    splitThresholdCents: Type.Optional(CentsInput),
    splitWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    tranches: Type.Array(TrancheInput, { minItems: 1, maxItems: 24 }),
  },
  { additionalProperties: false },
);
export type AgreementCreate = Static<typeof AgreementCreate>;

export const Condition = Type.Object({ code: Type.String(), met: Type.Boolean(), message: Type.String() });

export const Tranche = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  amountCents: Type.Integer(),
  minJustifiedPct: Type.Integer(),
  requiresVisit: Type.Boolean(),
  plannedOn: Nullable(DateOnly),
  disbursementStatus: Nullable(Type.String()),
  conditions: Type.Array(Condition),
});

export const ReconciliationSchema = Type.Object({
  disbursedCents: Type.Integer(),
  justifiedCents: Type.Integer(),
  refundedCents: Type.Integer(),
  balanceCents: Type.Integer(),
  pendingReceipts: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      lineCode: Type.String(),
      description: Type.String(),
      budgetCents: Type.Integer(),
      justifiedCents: Type.Integer(),
      refundedCents: Type.Integer(),
    }),
  ),
});

export const AgreementSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  planId: Uuid,
  planCode: Type.String(),
  planTitle: Type.String(),
  planStatus: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  amountCents: Type.Integer(),
  startsOn: DateOnly,
  endsOn: DateOnly,
  signedOn: DateOnly,
  liquidationDueAt: Nullable(Type.String({ format: 'date-time' })),
  administratorId: Uuid,
  summarySha256: Type.String(),
  closingActSha256: Nullable(Type.String()),
});
export type AgreementSummary = Static<typeof AgreementSummary>;

export const AgreementDetail = Type.Intersect([
  AgreementSummary,
  Type.Object({
    liquidationDays: Type.Integer(),
    splitThresholdCents: Type.Integer(),
    splitWindowDays: Type.Integer(),
    tranches: Type.Array(Tranche),
    reconciliation: ReconciliationSchema,
    indicators: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        unit: Type.String(),
        baseline: Type.Number(),
        target: Type.Number(),
        actual: Nullable(Type.Number()),
      }),
    ),
  }),
]);

export const AgreementListQuery = Type.Object(
  {
    organisationId: Type.Optional(Uuid),
    status: Type.Optional(Type.String({ maxLength: 40 })),
    format: ListFormat,
  },
  { additionalProperties: false },
);
export type AgreementListQuery = Static<typeof AgreementListQuery>;
export const AgreementList = Type.Object({ items: Type.Array(AgreementSummary) });
export const PlanParams = Type.Object({ planId: Uuid });
