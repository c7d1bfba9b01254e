import { type Static, Type } from '@sinclair/typebox';
import { CentsInput, DateOnly, DateTime, NgoDocument, Nullable, Uuid } from '../registry/registry.schemas.js';

export const PlanStatus = Type.Union(
  [
    'draft',
    'submitted',
    'under_review',
    'returned',
    'approved',
    'rejected',
    'withdrawn',
    'agreement_signed',
    'in_execution',
    'suspended',
    'liquidation_submitted',
    'liquidation_overdue',
    'liquidated',
    'closed',
  ].map((s) => Type.Literal(s)),
);

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** The content of a plan version (everything but the budget, which has its own lines). */
export const PlanContent = Type.Object(
  {
    summary: Type.Optional(Type.String({ maxLength: 5000 })),
    objectives: Type.Array(Type.Object({ code: Code, text: Text(2000) }, { additionalProperties: false }), {
      maxItems: 50,
    }),
    activities: Type.Array(
      Type.Object(
        {
          code: Code,
          description: Text(2000),
          objectiveCode: Type.Optional(Code),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    beneficiaries: Type.Object(
      {
        description: Type.String({ maxLength: 2000 }),
        direct: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
        indirect: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
        groups: Type.Optional(Type.Array(Text(200), { maxItems: 30 })),
      },
      { additionalProperties: false },
    ),
    territory: Type.Object(
      {
        municipalityPcodes: Type.Array(Type.String({ pattern: '^SV\\d{5}$' }), { maxItems: 300 }),
        description: Type.Optional(Type.String({ maxLength: 2000 })),
      },
      { additionalProperties: false },
    ),
    schedule: Type.Array(
      Type.Object(
        {
          code: Code,
          milestone: Text(500),
          activityCode: Type.Optional(Code),
          start: DateOnly,
          end: DateOnly,
        },
        { additionalProperties: false },
      ),
      { maxItems: 300 },
    ),
    indicators: Type.Array(
      Type.Object(
        {
          code: Code,
          name: Text(500),
          unit: Text(100),
          baseline: Type.Number(),
          target: Type.Number(),
          frequency: Type.Optional(Type.String({ maxLength: 100 })),
          verification: Type.Optional(Type.String({ maxLength: 1000, description: 'Medio de verificación' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    risks: Type.Array(
      Type.Object(
        {
          code: Code,
          description: Text(1000),
          likelihood: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
          mitigation: Type.String({ maxLength: 1000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type PlanContent = Static<typeof PlanContent>;

export const FundingSource = Type.Union([
  Type.Literal('mjsp'),
  Type.Literal('counterpart'),
  Type.Literal('other'),
]);

export const BudgetLineInput = Type.Object(
  {
    lineCode: Code,
    description: Type.String({ minLength: 2, maxLength: 500 }),
    fundingSource: Type.Optional(FundingSource),
    budgetSpecific: Type.Optional(Type.String({ pattern: '^\\d{5}$' })),
    amountCents: CentsInput,
  },
  { additionalProperties: false },
);
export type BudgetLineInput = Static<typeof BudgetLineInput>;

export const BudgetLine = Type.Object({
  lineCode: Type.String(),
  description: Type.String(),
  fundingSource: FundingSource,
  budgetSpecific: Type.String(),
  amountCents: Type.Integer(),
});
export type BudgetLine = Static<typeof BudgetLine>;

export const PlanCreate = Type.Object(
  {
    callId: Uuid,
    organisationId: Type.Optional(Uuid),
    title: Type.String({ minLength: 3, maxLength: 300 }),
    content: PlanContent,
    budgetLines: Type.Array(BudgetLineInput, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type PlanCreate = Static<typeof PlanCreate>;

export const PlanDraftUpdate = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 3, maxLength: 300 })),
    content: PlanContent,
    budgetLines: Type.Array(BudgetLineInput, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type PlanDraftUpdate = Static<typeof PlanDraftUpdate>;

export const Plan = Type.Object({
  id: Uuid,
  code: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  callId: Uuid,
  callCode: Type.String(),
  callTitle: Type.String(),
  title: Type.String(),
  status: PlanStatus,
  currentVersion: Type.Integer(),
  requestedCents: Type.Integer(),
  approvedCents: Nullable(Type.Integer()),
  liquidationDueAt: Nullable(DateTime),
  registeredByStaff: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  submittedAt: Nullable(DateTime),
  decidedAt: Nullable(DateTime),
});
export type Plan = Static<typeof Plan>;

export const PlanVersionSummary = Type.Object({
  version: Type.Integer(),
  requestedCents: Type.Integer(),
  totalCents: Type.Integer(),
  contentSha256: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  submittedAt: Nullable(DateTime),
  submittedBy: Nullable(Uuid),
});
export type PlanVersionSummary = Static<typeof PlanVersionSummary>;

export const PlanVersion = Type.Composite([
  PlanVersionSummary,
  Type.Object({ content: PlanContent, budgetLines: Type.Array(BudgetLine) }),
]);
export type PlanVersion = Static<typeof PlanVersion>;

export const PlanDetail = Type.Composite([
  Plan,
  Type.Object({
    current: PlanVersion,
    versions: Type.Array(PlanVersionSummary),
    /** Documents attached to the plan (annexes, declarations), newest first. */
    documents: Type.Array(NgoDocument),
  }),
]);
export type PlanDetail = Static<typeof PlanDetail>;

export const PlanListQuery = Type.Object(
  {
    status: Type.Optional(PlanStatus),
    callId: Type.Optional(Uuid),
    organisationId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type PlanListQuery = Static<typeof PlanListQuery>;
export const PlanList = Type.Object({ items: Type.Array(Plan), total: Type.Integer() });
export type PlanList = Static<typeof PlanList>;

export const PlanParams = Type.Object({ id: Uuid });
export const PlanWithdraw = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type PlanWithdraw = Static<typeof PlanWithdraw>;
export const PlanVersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }) });
export const PlanDiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

const JsonValue = Type.Unknown();
export const ContentChange = Type.Object({
  path: Type.String(),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  before: JsonValue,
  after: JsonValue,
});
export const BudgetLineChange = Type.Object({
  lineCode: Type.String(),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  before: Nullable(BudgetLine),
  after: Nullable(BudgetLine),
  fields: Type.Array(Type.String()),
  amountDeltaCents: Type.Integer(),
});
export const PlanDiff = Type.Object({
  planId: Uuid,
  from: Type.Integer(),
  to: Type.Integer(),
  content: Type.Array(ContentChange),
  budgetLines: Type.Array(BudgetLineChange),
  totals: Type.Object({
    requestedBeforeCents: Type.Integer(),
    requestedAfterCents: Type.Integer(),
    requestedDeltaCents: Type.Integer(),
    totalBeforeCents: Type.Integer(),
    totalAfterCents: Type.Integer(),
  }),
});
export type PlanDiff = Static<typeof PlanDiff>;
