import { type Static, Type } from '@sinclair/typebox';
import { CentsInput, DateOnly, DateTime, Nullable, Uuid } from '../registry/registry.schemas.js';

export const CallStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('published'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
]);

const EligibilityCriterion = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9._-]{1,20}$' }),
    text: Type.String({ minLength: 3, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const callFields = {
  programme: Type.String({ minLength: 2, maxLength: 200 }),
  title: Type.String({ minLength: 3, maxLength: 300 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  fiscalYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
  budgetSpecific: Type.Optional(
    Type.String({ pattern: '^\\d{5}$', description: 'Específico presupuestario (56303 por defecto)' }),
  ),
  budgetEnvelopeCents: CentsInput,
  maxPerPlanCents: Type.Optional(Nullable(CentsInput)),
  eligibility: Type.Array(EligibilityCriterion, { maxItems: 50 }),
  opensOn: DateOnly,
  closesOn: DateOnly,
};

export const CallCreate = Type.Object(callFields, { additionalProperties: false });
export type CallCreate = Static<typeof CallCreate>;
export const CallUpdate = Type.Partial(Type.Object(callFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
});
export type CallUpdate = Static<typeof CallUpdate>;

export const CallClose = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })), cancel: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CallClose = Static<typeof CallClose>;

export const Call = Type.Object({
  id: Uuid,
  code: Type.String(),
  programme: Type.String(),
  title: Type.String(),
  description: Type.String(),
  fiscalYear: Type.Integer(),
  budgetSpecific: Type.String(),
  budgetEnvelopeCents: Type.Integer(),
  committedCents: Type.Integer(),
  remainingCents: Type.Integer(),
  maxPerPlanCents: Nullable(Type.Integer()),
  eligibility: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
  opensOn: DateOnly,
  closesOn: DateOnly,
  status: CallStatus,
  statusReason: Nullable(Type.String()),
  publishedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Call = Static<typeof Call>;

export const CallListQuery = Type.Object(
  {
    status: Type.Optional(CallStatus),
    programme: Type.Optional(Type.String({ maxLength: 200 })),
    fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    openOn: Type.Optional(DateOnly),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type CallListQuery = Static<typeof CallListQuery>;
export const CallList = Type.Object({ items: Type.Array(Call), total: Type.Integer() });
export type CallList = Static<typeof CallList>;
export const CallParams = Type.Object({ id: Uuid });
