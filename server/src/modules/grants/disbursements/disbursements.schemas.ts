import { Type } from '@sinclair/typebox';
import { Condition, DateOnly, ListFormat, Nullable, Uuid } from '../agreements/agreements.schemas.js';

export const DisbursementRequest = Type.Object(
  { trancheNumber: Type.Integer({ minimum: 1, maximum: 24 }) },
  { additionalProperties: false },
);
export const DisbursementDecision = Type.Object(
  {
    outcome: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Obligatorio al rechazar (≥ 10 caracteres)' }),
    ),
  },
  { additionalProperties: false },
);
export const DisbursementPayment = Type.Object(
  {
    paymentReference: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Referencia de la transferencia',
    }),
    paidOn: DateOnly,
  },
  { additionalProperties: false },
);
export const Disbursement = Type.Object({
  id: Uuid,
  agreementId: Uuid,
  agreementNumber: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  trancheNumber: Type.Integer(),
  amountCents: Type.Integer(),
  status: Type.String({ description: 'requested | authorised | paid | rejected' }),
  caseId: Nullable(Uuid),
  conditions: Type.Array(Condition),
  requestedAt: Type.String({ format: 'date-time' }),
  authorisedAt: Nullable(Type.String({ format: 'date-time' })),
  paidAt: Nullable(Type.String({ format: 'date-time' })),
  paidOn: Nullable(DateOnly),
  paymentReference: Nullable(Type.String()),
  rejectedReason: Nullable(Type.String()),
});
export const DisbursementList = Type.Object({ items: Type.Array(Disbursement) });
export const DisbursementListQuery = Type.Object(
  {
    agreementId: Type.Optional(Uuid),
    status: Type.Optional(
      Type.Union([
        Type.Literal('requested'),
        Type.Literal('authorised'),
        Type.Literal('paid'),
        Type.Literal('rejected'),
      ]),
    ),
    format: ListFormat,
  },
  { additionalProperties: false },
);
