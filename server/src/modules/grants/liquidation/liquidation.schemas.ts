import { Type } from '@sinclair/typebox';
import {
  CentsInput,
  DateOnly,
  Nullable,
  ReconciliationSchema,
  Uuid,
} from '../agreements/agreements.schemas.js';
import { FileInput } from '../expenses/expenses.schemas.js';

export const RefundCreate = Type.Object(
  {
    amountCents: CentsInput,
    reference: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Referencia del depósito al Fondo General',
    }),
    paidOn: DateOnly,
    budgetLineCode: Type.Optional(Type.String({ maxLength: 20 })),
    file: Type.Optional(FileInput),
  },
  { additionalProperties: false },
);
export const LiquidationSubmit = Type.Object(
  {
    finalReport: Type.String({
      minLength: 1,
      maxLength: 20000,
      description: 'Informe final técnico y financiero',
    }),
  },
  { additionalProperties: false },
);
export const LiquidationDecision = Type.Object(
  {
    step: Type.Union([Type.Literal('finance'), Type.Literal('monitoring')]),
    outcome: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    checklist: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Type.String({ maxLength: 60 }), checked: Type.Boolean() },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export const LiquidationView = Type.Intersect([
  ReconciliationSchema,
  Type.Object({
    agreementId: Uuid,
    planStatus: Type.String(),
    liquidationDueAt: Nullable(Type.String({ format: 'date-time' })),
    refunds: Type.Array(
      Type.Object({
        id: Uuid,
        amountCents: Type.Integer(),
        reference: Type.String(),
        paidOn: DateOnly,
        budgetLineCode: Nullable(Type.String()),
        sha256: Nullable(Type.String()),
        recordedAt: Type.String({ format: 'date-time' }),
      }),
    ),
    liquidations: Type.Array(
      Type.Object({
        id: Uuid,
        status: Type.String(),
        finalReport: Type.String(),
        caseId: Nullable(Uuid),
        submittedAt: Type.String({ format: 'date-time' }),
        decidedAt: Nullable(Type.String({ format: 'date-time' })),
        decisionReason: Nullable(Type.String()),
      }),
    ),
  }),
]);
