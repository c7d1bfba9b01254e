import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { dateText } from '../shared/dates.js';
import type { BoardMember, Declaration, NgoDocument, Organisation } from './registry.schemas.js';

type Executor = Kysely<Database>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function selectOrganisations(db: Executor) {
  return db
    .selectFrom('ngo_organisations as o')
    .select([
      'o.id',
      'o.name',
      'o.acronym',
      'o.org_type',
      'o.registry_number',
      dateText('o.registry_date').as('registry_date'),
      dateText('o.registry_valid_until').as('registry_valid_until'),
      'o.nit',
      'o.address',
      'o.municipality_pcode',
      'o.email',
      'o.phone',
      'o.legal_rep_name',
      'o.legal_rep_dui',
      dateText('o.legal_rep_credential_valid_until').as('legal_rep_credential_valid_until'),
      dateText('o.board_valid_until').as('board_valid_until'),
      'o.bank_name',
      'o.bank_account',
      'o.raex_status',
      'o.raex_resolution',
      'o.status',
      'o.status_reason',
      'o.status_changed_at',
      'o.created_at',
      'o.updated_at',
    ]);
}

export type OrganisationRow = Awaited<
  ReturnType<ReturnType<typeof selectOrganisations>['executeTakeFirstOrThrow']>
>;

export function toOrganisation(r: OrganisationRow): Organisation {
  return {
    id: r.id,
    name: r.name,
    acronym: r.acronym,
    type: r.org_type,
    registryNumber: r.registry_number,
    registryDate: r.registry_date,
    registryValidUntil: r.registry_valid_until,
    nit: r.nit,
    address: r.address,
    municipalityPcode: r.municipality_pcode,
    email: r.email,
    phone: r.phone,
    legalRepresentative: {
      name: r.legal_rep_name,
      dui: r.legal_rep_dui,
      credentialValidUntil: r.legal_rep_credential_valid_until,
    },
    boardValidUntil: r.board_valid_until,
    bankName: r.bank_name,
    bankAccount: r.bank_account,
    raexStatus: r.raex_status,
    raexResolution: r.raex_resolution,
    status: r.status,
    statusReason: r.status_reason,
    statusChangedAt: iso(r.status_changed_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function findOrganisation(db: Executor, id: string): Promise<Organisation | null> {
  const row = await selectOrganisations(db).where('o.id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : null;
}

export function selectBoardMembers(db: Executor) {
  return db
    .selectFrom('ngo_board_members as b')
    .select([
      'b.id',
      'b.organisation_id',
      'b.full_name',
      'b.dui',
      'b.position',
      dateText('b.from_date').as('from_date'),
      dateText('b.to_date').as('to_date'),
      'b.created_at',
      'b.updated_at',
    ]);
}

export function toBoardMember(
  r: Awaited<ReturnType<ReturnType<typeof selectBoardMembers>['executeTakeFirstOrThrow']>>,
): BoardMember {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    fullName: r.full_name,
    dui: r.dui,
    position: r.position,
    fromDate: r.from_date,
    toDate: r.to_date,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function selectDocuments(db: Executor) {
  return db
    .selectFrom('ngo_documents as d')
    .select([
      'd.id',
      'd.organisation_id',
      'd.plan_id',
      'd.kind',
      'd.description',
      'd.sha256',
      'd.file_name',
      'd.size_bytes',
      'd.mime',
      'd.storage_key',
      dateText('d.valid_until').as('valid_until'),
      'd.uploaded_at',
      'd.superseded_by',
    ]);
}

export function toDocument(
  r: Awaited<ReturnType<ReturnType<typeof selectDocuments>['executeTakeFirstOrThrow']>>,
): NgoDocument {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    planId: r.plan_id,
    kind: r.kind,
    description: r.description,
    sha256: r.sha256,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    mime: r.mime,
    validUntil: r.valid_until,
    uploadedAt: r.uploaded_at.toISOString(),
    supersededBy: r.superseded_by,
  };
}

export function selectDeclarations(db: Executor) {
  return db
    .selectFrom('ngo_conflict_declarations as c')
    .select([
      'c.id',
      'c.organisation_id',
      'c.plan_id',
      'c.declarant_name',
      'c.declarant_dui',
      'c.declarant_role',
      'c.has_conflict',
      'c.description',
      'c.related_person',
      'c.related_position',
      dateText('c.declared_on').as('declared_on'),
      'c.document_id',
      'c.recorded_at',
    ]);
}

export function toDeclaration(
  r: Awaited<ReturnType<ReturnType<typeof selectDeclarations>['executeTakeFirstOrThrow']>>,
): Declaration {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    planId: r.plan_id,
    declarantName: r.declarant_name,
    declarantDui: r.declarant_dui,
    declarantRole: r.declarant_role,
    hasConflict: r.has_conflict,
    description: r.description,
    relatedPerson: r.related_person,
    relatedPosition: r.related_position,
    declaredOn: r.declared_on,
    documentId: r.document_id,
    recordedAt: r.recorded_at.toISOString(),
  };
}
