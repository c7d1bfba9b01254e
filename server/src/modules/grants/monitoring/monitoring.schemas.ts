import { Type } from '@sinclair/typebox';
import { DateOnly, Nullable, Uuid } from '../agreements/agreements.schemas.js';

export const IndicatorReportCreate = Type.Object(
  {
    indicatorCode: Type.String({ minLength: 1, maxLength: 40 }),
    periodFrom: DateOnly,
    periodTo: DateOnly,
    value: Type.Number(),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const VisitCreate = Type.Object(
  {
    visitedOn: DateOnly,
    visitType: Type.Union([Type.Literal('announced'), Type.Literal('unannounced')]),
    team: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 20 }),
    findings: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 100 }),
    followUp: Type.Optional(
      Type.Array(
        Type.Object(
          { action: Type.String({ minLength: 3, maxLength: 1000 }), dueOn: Type.Optional(DateOnly) },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);
export const PhotoUpload = Type.Object(
  {
    data: Type.String({ description: 'Imagen JPEG o PNG en base64' }),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    mime: Type.Optional(Type.String({ maxLength: 100 })),
    caption: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const VisitDecision = Type.Object(
  {
    outcome: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const Visit = Type.Object({
  id: Uuid,
  agreementId: Uuid,
  visitedOn: DateOnly,
  visitType: Type.String(),
  team: Type.Array(Type.String()),
  findings: Type.Array(Type.String()),
  followUp: Type.Array(Type.Object({ action: Type.String(), dueOn: Nullable(DateOnly) })),
  status: Type.String({ description: 'submitted | approved | returned' }),
  decisionReason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  photos: Type.Array(
    Type.Object({
      id: Uuid,
      sha256: Type.String(),
      fileName: Type.String(),
      mime: Type.String(),
      sizeBytes: Type.Integer(),
      caption: Nullable(Type.String()),
      uploadedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
export const Monitoring = Type.Object({
  agreementId: Uuid,
  visits: Type.Array(Visit),
  indicators: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      unit: Type.String(),
      baseline: Type.Number(),
      target: Type.Number(),
      reports: Type.Array(
        Type.Object({
          id: Uuid,
          periodFrom: DateOnly,
          periodTo: DateOnly,
          value: Type.Number(),
          notes: Nullable(Type.String()),
          reportedAt: Type.String({ format: 'date-time' }),
        }),
      ),
    }),
  ),
});
