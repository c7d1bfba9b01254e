import { type Static, Type } from '@sinclair/typebox';

const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const RedFlag = Type.Object({
  code: Type.String(),
  severity: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
  message: Type.String(),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
});

export const RedFlagReport = Type.Object({
  organisationId: Type.String({ format: 'uuid' }),
  organisationName: Type.String(),
  evaluatedOn: DateOnly,
  flags: Type.Array(RedFlag),
});

export const ExpiringDocumentsQuery = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, default: 30 })),
    includeExpired: Type.Optional(Type.Boolean({ default: true })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type ExpiringDocumentsQuery = Static<typeof ExpiringDocumentsQuery>;

export const ExpiringDocument = Type.Object({
  documentId: Type.String({ format: 'uuid' }),
  organisationId: Type.String({ format: 'uuid' }),
  organisationName: Type.String(),
  kind: Type.String(),
  fileName: Type.String(),
  validUntil: DateOnly,
  daysLeft: Type.Integer(),
  expired: Type.Boolean(),
});
export type ExpiringDocument = Static<typeof ExpiringDocument>;

export const ExpiringDocumentList = Type.Object({
  evaluatedOn: DateOnly,
  items: Type.Array(ExpiringDocument),
});
export type ExpiringDocumentList = Static<typeof ExpiringDocumentList>;

export const RedFlagOverviewQuery = Type.Object(
  {
    severity: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')])),
    code: Type.Optional(Type.String({ pattern: '^[A-Z_]{3,60}$' })),
    includeInactive: Type.Optional(Type.Boolean({ default: false })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type RedFlagOverviewQuery = Static<typeof RedFlagOverviewQuery>;

export const RedFlagOverview = Type.Object({
  evaluatedOn: DateOnly,
  items: Type.Array(
    Type.Object({
      organisationId: Type.String({ format: 'uuid' }),
      organisationName: Type.String(),
      high: Type.Integer(),
      medium: Type.Integer(),
      low: Type.Integer(),
      flags: Type.Array(RedFlag),
    }),
  ),
});
export type RedFlagOverview = Static<typeof RedFlagOverview>;
