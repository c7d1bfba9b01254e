import { Type } from '@sinclair/typebox';
import { CentsInput, DateOnly, ListFormat, Nullable, Uuid } from '../agreements/agreements.schemas.js';

export const FileInput = Type.Object(
  {
    data: Type.String({ description: 'Contenido en base64 (o data: URL)' }),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    mime: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const ExpenseReportCreate = Type.Object(
  { description: Type.String({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);

export const DocumentType = Type.Union(
  [
    Type.Literal('01'),
    Type.Literal('03'),
    Type.Literal('05'),
    Type.Literal('06'),
    Type.Literal('11'),
    Type.Literal('14'),
    Type.Literal('15'),
    Type.Literal('paper'),
  ],
  {
    description:
      'tipoDte del DTE (01 factura, 03 CCF, 05 NC, 06 ND, 11 exportación, 14 sujeto excluido, 15 donación) o paper',
  },
);

export const ReceiptCreate = Type.Object(
  {
    supplierNit: Type.String({ maxLength: 20 }),
    supplierDui: Type.Optional(Type.String({ maxLength: 12 })),
    supplierName: Type.String({ minLength: 2, maxLength: 300 }),
    documentType: DocumentType,
    documentNumber: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'numeroControl del DTE o número del documento',
    }),
    generationCode: Type.Optional(
      Type.String({ maxLength: 40, description: 'codigoGeneracion (UUID) del DTE' }),
    ),
    issuedOn: DateOnly,
    amountCents: CentsInput,
    budgetLineCode: Type.String({ minLength: 1, maxLength: 20 }),
    description: Type.String({ minLength: 3, maxLength: 500 }),
    file: FileInput,
  },
  { additionalProperties: false },
);

export const ReceiptCheck = Type.Object({
  code: Type.String({
    description:
      'duplicate_receipt | outside_period | budget_line_exceeded | supplier_is_organisation | supplier_related_to_board | split_purchase',
  }),
  severity: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
});

export const Receipt = Type.Object({
  id: Uuid,
  reportId: Uuid,
  reportNumber: Type.Integer(),
  agreementId: Uuid,
  agreementNumber: Type.String(),
  organisationId: Uuid,
  organisationName: Type.String(),
  supplierNit: Type.String(),
  supplierName: Type.String(),
  documentType: Type.String(),
  documentTypeName: Type.String(),
  documentNumber: Type.String(),
  generationCode: Nullable(Type.String()),
  issuedOn: DateOnly,
  amountCents: Type.Integer(),
  budgetLineCode: Type.String(),
  description: Type.String(),
  sha256: Type.String(),
  fileName: Type.String(),
  mime: Type.String(),
  sizeBytes: Type.Integer(),
  checks: Type.Array(ReceiptCheck),
  status: Type.String({ description: 'pending | approved | observed | rejected' }),
  reviewReason: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});
export const ReceiptList = Type.Object({ items: Type.Array(Receipt) });
export const ReceiptListQuery = Type.Object(
  {
    agreementId: Type.Optional(Uuid),
    status: Type.Optional(
      Type.Union([
        Type.Literal('pending'),
        Type.Literal('approved'),
        Type.Literal('observed'),
        Type.Literal('rejected'),
      ]),
    ),
    flagged: Type.Optional(Type.Boolean({ description: 'Sólo comprobantes con alertas automáticas' })),
    format: ListFormat,
  },
  { additionalProperties: false },
);
export const ReceiptReview = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('observe'), Type.Literal('reject')]),
    reason: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Obligatorio al observar o rechazar (≥ 10 caracteres)' }),
    ),
  },
  { additionalProperties: false },
);
export const ExpenseReport = Type.Object({
  id: Uuid,
  agreementId: Uuid,
  agreementNumber: Type.String(),
  number: Type.Integer(),
  description: Type.String(),
  status: Type.String({ description: 'open | submitted' }),
  createdAt: Type.String({ format: 'date-time' }),
  submittedAt: Nullable(Type.String({ format: 'date-time' })),
  totalCents: Type.Integer(),
  receipts: Type.Array(Receipt),
});
