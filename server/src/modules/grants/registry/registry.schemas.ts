import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Nullable } from '../../../platform/http/nullable.js';

export { Nullable };

/** Null first: with type coercion on, a `null` tried against a number or string first would become 0 or ''. */
export const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Fecha YYYY-MM-DD' });
export const DateTime = Type.String({ format: 'date-time' });
export const Uuid = Type.String({ format: 'uuid' });
/** Amounts are validated by the services (fractions of a cent, negatives, overflow have their own codes). */
export const CentsInput = Type.Number({ description: 'Centavos de dólar (entero)' });

export const OrganisationType = Type.Union([Type.Literal('association'), Type.Literal('foundation')]);
export const RaexStatus = Type.Union([
  Type.Literal('registered'),
  Type.Literal('excluded'),
  Type.Literal('not_applicable'),
  Type.Literal('pending'),
]);
export const OrganisationStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('barred'),
  Type.Literal('dissolved'),
]);

const LegalRepresentative = Type.Object(
  {
    name: Type.String({ minLength: 3, maxLength: 200 }),
    dui: Type.String({ maxLength: 20, description: 'DUI 00000000-0 (dígito verificador comprobado)' }),
    credentialValidUntil: DateOnly,
  },
  { additionalProperties: false },
);

const organisationFields = {
  name: Type.String({ minLength: 3, maxLength: 300 }),
  acronym: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  type: OrganisationType,
  registryNumber: Type.String({
    minLength: 1,
    maxLength: 60,
    description: 'Número de inscripción en el RAFSFL',
  }),
  registryDate: DateOnly,
  registryValidUntil: Type.Optional(Nullable(DateOnly)),
  nit: Type.String({ maxLength: 20, description: 'NIT 0000-000000-000-0 (dígito verificador comprobado)' }),
  address: Type.String({ minLength: 3, maxLength: 500 }),
  municipalityPcode: Type.String({ pattern: '^SV\\d{5}$' }),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
  phone: Type.Optional(Nullable(Type.String({ minLength: 7, maxLength: 30 }))),
  legalRepresentative: LegalRepresentative,
  boardValidUntil: DateOnly,
  bankName: Type.String({ minLength: 2, maxLength: 120 }),
  bankAccount: Type.String({ minLength: 6, maxLength: 40, description: 'Cuenta bancaria del proyecto' }),
  raexStatus: RaexStatus,
  raexResolution: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
};

export const OrganisationCreate = Type.Object(organisationFields, { additionalProperties: false });
export type OrganisationCreate = Static<typeof OrganisationCreate>;

export const OrganisationUpdate = Type.Partial(
  Type.Object(organisationFields, { additionalProperties: false }),
  {
    additionalProperties: false,
    minProperties: 1,
  },
);
export type OrganisationUpdate = Static<typeof OrganisationUpdate>;

export const OrganisationStatusChange = Type.Object(
  { status: OrganisationStatus, reason: Type.String({ minLength: 5, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type OrganisationStatusChange = Static<typeof OrganisationStatusChange>;

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  acronym: Nullable(Type.String()),
  type: OrganisationType,
  registryNumber: Type.String(),
  registryDate: DateOnly,
  registryValidUntil: Nullable(DateOnly),
  nit: Type.String(),
  address: Type.String(),
  municipalityPcode: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  legalRepresentative: Type.Object({
    name: Type.String(),
    dui: Type.String(),
    credentialValidUntil: DateOnly,
  }),
  boardValidUntil: DateOnly,
  bankName: Type.String(),
  bankAccount: Type.String(),
  raexStatus: RaexStatus,
  raexResolution: Nullable(Type.String()),
  status: OrganisationStatus,
  statusReason: Nullable(Type.String()),
  statusChangedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Organisation = Static<typeof Organisation>;

export const BoardMemberCreate = Type.Object(
  {
    fullName: Type.String({ minLength: 3, maxLength: 200 }),
    dui: Type.String({ maxLength: 20 }),
    position: Type.String({
      minLength: 2,
      maxLength: 80,
      description: 'Cargo: presidente, secretario, tesorero, vocal…',
    }),
    fromDate: DateOnly,
    toDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);
export type BoardMemberCreate = Static<typeof BoardMemberCreate>;
export const BoardMemberUpdate = Type.Partial(BoardMemberCreate, {
  additionalProperties: false,
  minProperties: 1,
});
export type BoardMemberUpdate = Static<typeof BoardMemberUpdate>;

export const BoardMember = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  fullName: Type.String(),
  dui: Type.String(),
  position: Type.String(),
  fromDate: DateOnly,
  toDate: Nullable(DateOnly),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type BoardMember = Static<typeof BoardMember>;

export const DocumentKind = Type.Union(
  [
    'legal_personality',
    'statutes',
    'board_credential',
    'legal_rep_credential',
    'registry_certificate',
    'financial_statements',
    'tax_solvency',
    'social_security_solvency',
    'bank_certificate',
    'raex_certificate',
    'conflict_declaration',
    'plan_annex',
    'other',
  ].map((k) => Type.Literal(k)),
);

export const DocumentUpload = Type.Object(
  {
    kind: DocumentKind,
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    validUntil: Type.Optional(Nullable(DateOnly)),
    planId: Type.Optional(Nullable(Uuid)),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    mime: Type.Optional(Type.String({ maxLength: 100 })),
    data: Type.String({ minLength: 1, description: 'Contenido en base64 (PDF, JPEG o PNG; máx. 10 MB)' }),
  },
  { additionalProperties: false },
);
export type DocumentUpload = Static<typeof DocumentUpload>;

export const NgoDocument = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  planId: Nullable(Uuid),
  kind: Type.String(),
  description: Nullable(Type.String()),
  sha256: Type.String(),
  fileName: Type.String(),
  sizeBytes: Type.Integer(),
  mime: Type.String(),
  validUntil: Nullable(DateOnly),
  uploadedAt: DateTime,
  supersededBy: Nullable(Uuid),
});
export type NgoDocument = Static<typeof NgoDocument>;

export const DeclarationCreate = Type.Object(
  {
    declarantName: Type.String({ minLength: 3, maxLength: 200 }),
    declarantDui: Type.String({ maxLength: 20 }),
    declarantRole: Type.Union([
      Type.Literal('board_member'),
      Type.Literal('legal_representative'),
      Type.Literal('staff'),
    ]),
    hasConflict: Type.Boolean(),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    relatedPerson: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    relatedPosition: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    declaredOn: DateOnly,
    documentId: Type.Optional(Nullable(Uuid)),
    planId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export type DeclarationCreate = Static<typeof DeclarationCreate>;

export const Declaration = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  planId: Nullable(Uuid),
  declarantName: Type.String(),
  declarantDui: Type.String(),
  declarantRole: Type.String(),
  hasConflict: Type.Boolean(),
  description: Nullable(Type.String()),
  relatedPerson: Nullable(Type.String()),
  relatedPosition: Nullable(Type.String()),
  declaredOn: DateOnly,
  documentId: Nullable(Uuid),
  recordedAt: DateTime,
});
export type Declaration = Static<typeof Declaration>;

export const UserLink = Type.Object(
  { userId: Uuid, position: Type.Optional(Nullable(Type.String({ maxLength: 120 }))) },
  { additionalProperties: false },
);
export type UserLink = Static<typeof UserLink>;

export const LinkedUser = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  position: Nullable(Type.String()),
  linkedAt: DateTime,
});
export type LinkedUser = Static<typeof LinkedUser>;

export const OrganisationDetail = Type.Composite([
  Organisation,
  Type.Object({
    boardMembers: Type.Array(BoardMember),
    documents: Type.Array(NgoDocument),
    declarations: Type.Array(Declaration),
    users: Type.Array(LinkedUser),
  }),
]);
export type OrganisationDetail = Static<typeof OrganisationDetail>;

export const OrganisationListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Nombre, siglas, NIT o número de registro' }),
    ),
    status: Type.Optional(OrganisationStatus),
    type: Type.Optional(OrganisationType),
    municipalityPcode: Type.Optional(Type.String({ pattern: '^SV\\d{5}$' })),
    department: Type.Optional(
      Type.String({ pattern: '^SV\\d{2}$', description: 'pcode del departamento (SV06)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type OrganisationListQuery = Static<typeof OrganisationListQuery>;

export const OrganisationList = Type.Object({ items: Type.Array(Organisation), total: Type.Integer() });
export type OrganisationList = Static<typeof OrganisationList>;

export const OrganisationParams = Type.Object({ id: Uuid });
export const BoardMemberParams = Type.Object({ id: Uuid, memberId: Uuid });
export const DocumentParams = Type.Object({ id: Uuid, documentId: Uuid });
export const UserParams = Type.Object({ id: Uuid, userId: Uuid });
