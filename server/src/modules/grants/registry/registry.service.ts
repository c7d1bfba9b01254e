import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { auditPersonalDataRead } from '../../../platform/audit/personal-data.js';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { listMunicipalities } from '../../geo/index.js';
import { findDirectoryUser, normalizeDui, normalizeNit, userDisplayNames } from '../../identity/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import type { DocumentKind, NgoOrganisationsTable } from '../grants.tables.js';
import { recomputePlanReviewExclusions } from '../review/index.js';
import { assertSeesOrganisation, type GrantsAccess, organisationFilter } from '../shared/access.js';
import { assertDate, assertDateOrder } from '../shared/dates.js';
import { decodeDocument, readDocument, storeDocument } from '../shared/files.js';
import {
  findOrganisation,
  selectBoardMembers,
  selectDeclarations,
  selectDocuments,
  selectOrganisations,
  toBoardMember,
  toDeclaration,
  toDocument,
  toOrganisation,
} from './registry.repo.js';
import type {
  BoardMember,
  BoardMemberCreate,
  BoardMemberUpdate,
  Declaration,
  DeclarationCreate,
  DocumentUpload,
  LinkedUser,
  NgoDocument,
  Organisation,
  OrganisationCreate,
  OrganisationDetail,
  OrganisationList,
  OrganisationListQuery,
  OrganisationStatusChange,
  OrganisationUpdate,
  UserLink,
} from './registry.schemas.js';

const ENTITY = 'ngo_organisation';

export function validDui(value: string, field: string): string {
  const dui = normalizeDui(value);
  if (!dui) throw new AppError('DUI_INVALID', 400, {}, [{ field, code: 'DUI_INVALID' }]);
  return dui;
}

export function validNit(value: string, field: string): string {
  const nit = normalizeNit(value);
  if (!nit) throw new AppError('NIT_INVALID', 400, {}, [{ field, code: 'NIT_INVALID' }]);
  return nit;
}

/** `04567891-1` → `******91-1`. */
export function maskDui(dui: string): string {
  return `${'*'.repeat(6)}${dui.slice(6)}`;
}

/** Bank account numbers are compared across NGOs as digits only. */
export function normalizeBankAccount(value: string): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{6,30}$/.test(digits)) {
    throw new AppError('BANK_ACCOUNT_INVALID', 400, {}, [
      { field: 'bankAccount', code: 'BANK_ACCOUNT_INVALID' },
    ]);
  }
  return digits;
}

async function assertMunicipality(deps: AppDeps, pcode: string): Promise<void> {
  const municipalities = await listMunicipalities(deps);
  if (!municipalities.some((m) => m.pcode === pcode))
    throw new AppError('UNKNOWN_MUNICIPALITY', 400, { code: pcode });
}

type OrganisationColumns = Partial<Omit<NgoOrganisationsTable, 'id' | 'created_at' | 'created_by'>>;

/** Request fields → checked column values (only the fields present). */
async function organisationColumns(deps: AppDeps, input: OrganisationUpdate): Promise<OrganisationColumns> {
  const c: OrganisationColumns = {};
  if (input.name !== undefined) c.name = input.name.trim();
  if (input.acronym !== undefined) c.acronym = input.acronym?.trim() || null;
  if (input.type !== undefined) c.org_type = input.type;
  if (input.registryNumber !== undefined) c.registry_number = input.registryNumber.trim();
  if (input.registryDate !== undefined) c.registry_date = assertDate(input.registryDate, 'registryDate');
  if (input.registryValidUntil !== undefined)
    c.registry_valid_until = input.registryValidUntil
      ? assertDate(input.registryValidUntil, 'registryValidUntil')
      : null;
  if (input.nit !== undefined) c.nit = validNit(input.nit, 'nit');
  if (input.address !== undefined) c.address = input.address.trim();
  if (input.municipalityPcode !== undefined) {
    await assertMunicipality(deps, input.municipalityPcode);
    c.municipality_pcode = input.municipalityPcode;
  }
  if (input.email !== undefined) c.email = input.email?.trim() || null;
  if (input.phone !== undefined) c.phone = input.phone?.trim() || null;
  if (input.legalRepresentative !== undefined) {
    c.legal_rep_name = input.legalRepresentative.name.trim();
    c.legal_rep_dui = validDui(input.legalRepresentative.dui, 'legalRepresentative.dui');
    c.legal_rep_credential_valid_until = assertDate(
      input.legalRepresentative.credentialValidUntil,
      'legalRepresentative.credentialValidUntil',
    );
  }
  if (input.boardValidUntil !== undefined)
    c.board_valid_until = assertDate(input.boardValidUntil, 'boardValidUntil');
  if (input.bankName !== undefined) c.bank_name = input.bankName.trim();
  if (input.bankAccount !== undefined) c.bank_account = normalizeBankAccount(input.bankAccount);
  if (input.raexStatus !== undefined) c.raex_status = input.raexStatus;
  if (input.raexResolution !== undefined) c.raex_resolution = input.raexResolution?.trim() || null;
  return c;
}

async function assertUniqueRegistry(
  db: AppDeps['db'],
  columns: OrganisationColumns,
  exceptId: string | null,
): Promise<void> {
  if (columns.nit) {
    let q = db.selectFrom('ngo_organisations').select('id').where('nit', '=', columns.nit);
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst()) throw new AppError('ORGANISATION_NIT_TAKEN', 409, { nit: columns.nit });
  }
  if (columns.registry_number) {
    let q = db
      .selectFrom('ngo_organisations')
      .select('id')
      .where(sql<string>`lower(btrim(registry_number))`, '=', columns.registry_number.toLowerCase());
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst())
      throw new AppError('ORGANISATION_REGISTRY_TAKEN', 409, { number: columns.registry_number });
  }
}

/** A unique violation that slipped past the checks (two requests at once) is a 409, not a 500. */
function uniqueViolation(error: unknown, columns: OrganisationColumns): AppError | null {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return null;
  const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
  if (text.includes('nit')) return new AppError('ORGANISATION_NIT_TAKEN', 409, { nit: columns.nit ?? '' });
  if (text.includes('registry'))
    return new AppError('ORGANISATION_REGISTRY_TAKEN', 409, { number: columns.registry_number ?? '' });
  return new AppError('CONFLICT', 409);
}

/**
 * People linked to an organisation (portal users, board, legal representative) may not review its
 * plans: when they change, the open reviews of its plans recompute who is excluded, in the same
 * transaction as the change.
 */
async function refreshReviewExclusions(
  uow: UnitOfWork,
  deps: AppDeps,
  organisationId: string,
): Promise<void> {
  const plans = await uow.db
    .selectFrom('ngo_plans')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['submitted', 'under_review'])
    .execute();
  for (const plan of plans) await recomputePlanReviewExclusions(uow, deps, plan.id);
}

export async function createOrganisation(
  deps: AppDeps,
  ctx: RequestContext,
  input: OrganisationCreate,
): Promise<Organisation> {
  const columns = (await organisationColumns(deps, input)) as Required<OrganisationColumns>;
  if (columns.registry_valid_until)
    assertDateOrder(columns.registry_date, columns.registry_valid_until, [
      'registryDate',
      'registryValidUntil',
    ]);
  await assertUniqueRegistry(deps.db, columns, null);
  const id = randomUUID();
  try {
    await deps.tx(ctx, async (uow) => {
      await uow.db
        .insertInto('ngo_organisations')
        .values({
          ...columns,
          id,
          acronym: columns.acronym ?? null,
          registry_valid_until: columns.registry_valid_until ?? null,
          email: columns.email ?? null,
          phone: columns.phone ?? null,
          raex_resolution: columns.raex_resolution ?? null,
          status: 'active',
          status_reason: null,
          status_changed_at: null,
          status_changed_by: null,
          created_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
          created_at: uow.now,
          updated_at: uow.now,
        })
        .execute();
      uow.audit({
        action: 'grants.organisation.created',
        entityType: ENTITY,
        entityId: id,
        after: { ...input },
      });
      uow.emit({
        type: 'grants.organisation.created',
        entityType: ENTITY,
        entityId: id,
        payload: { organisationId: id, name: columns.name },
        permission: P.readAll,
      });
    });
  } catch (error) {
    throw uniqueViolation(error, columns) ?? error;
  }
  return (await findOrganisation(deps.db, id))!;
}

export async function updateOrganisation(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: OrganisationUpdate,
): Promise<Organisation> {
  const columns = await organisationColumns(deps, input);
  await assertUniqueRegistry(deps.db, columns, id);
  try {
    await deps.tx(ctx, async (uow) => {
      const before = await selectOrganisations(uow.db).where('o.id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('ORGANISATION_NOT_FOUND', 404);
      const registryDate = columns.registry_date ?? before.registry_date;
      const validUntil =
        columns.registry_valid_until !== undefined
          ? columns.registry_valid_until
          : before.registry_valid_until;
      if (validUntil) assertDateOrder(registryDate, validUntil, ['registryDate', 'registryValidUntil']);
      await uow.db
        .updateTable('ngo_organisations')
        .set({ ...columns, updated_at: uow.now })
        .where('id', '=', id)
        .execute();
      const beforeView = toOrganisation(before) as unknown as Record<string, unknown>;
      uow.audit({
        action: 'grants.organisation.updated',
        entityType: ENTITY,
        entityId: id,
        before: Object.fromEntries(Object.keys(input).map((k) => [k, beforeView[k]])),
        after: { ...input },
      });
      if (input.legalRepresentative) await refreshReviewExclusions(uow, deps, id);
      uow.emit({
        type: 'grants.organisation.updated',
        entityType: ENTITY,
        entityId: id,
        payload: { organisationId: id, fields: Object.keys(input) },
        permission: P.readAll,
      });
    });
  } catch (error) {
    throw uniqueViolation(error, columns) ?? error;
  }
  return (await findOrganisation(deps.db, id))!;
}

export async function changeOrganisationStatus(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: OrganisationStatusChange,
): Promise<Organisation> {
  const reason = input.reason.trim();
  if (reason.length < 5) throw new AppError('REASON_REQUIRED', 400, { action: 'cambiar estado' });
  await deps.tx(ctx, async (uow) => {
    const before = await uow.db
      .selectFrom('ngo_organisations')
      .select(['status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('ORGANISATION_NOT_FOUND', 404);
    if (before.status === input.status)
      throw new AppError('ORGANISATION_STATUS_UNCHANGED', 409, { status: input.status });
    if (before.status === 'dissolved') throw new AppError('ORGANISATION_DISSOLVED', 409);
    await uow.db
      .updateTable('ngo_organisations')
      .set({
        status: input.status,
        status_reason: reason,
        status_changed_at: uow.now,
        status_changed_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        updated_at: uow.now,
      })
      .where('id', '=', id)
      .execute();
    uow.audit({
      action: 'grants.organisation.status_changed',
      entityType: ENTITY,
      entityId: id,
      before: { status: before.status },
      after: { status: input.status },
      reason,
    });
    uow.emit({
      type: 'grants.organisation.status_changed',
      entityType: ENTITY,
      entityId: id,
      payload: { organisationId: id, from: before.status, to: input.status },
      permission: P.readAll,
    });
  });
  return (await findOrganisation(deps.db, id))!;
}

/**
 * One organisation with its board, documents, declarations and portal users. It shows personal data
 * (DUIs of the legal representative, board members and declarants): the read is audited first.
 */
export async function getOrganisation(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  id: string,
): Promise<OrganisationDetail> {
  assertSeesOrganisation(access, id);
  const organisation = await findOrganisation(deps.db, id);
  if (!organisation) throw new AppError('ORGANISATION_NOT_FOUND', 404);
  const [board, documents, declarations, links] = await Promise.all([
    selectBoardMembers(deps.db)
      .where('b.organisation_id', '=', id)
      .orderBy('b.from_date')
      .orderBy('b.full_name')
      .execute(),
    selectDocuments(deps.db).where('d.organisation_id', '=', id).orderBy('d.uploaded_at', 'desc').execute(),
    selectDeclarations(deps.db)
      .where('c.organisation_id', '=', id)
      .orderBy('c.recorded_at', 'desc')
      .execute(),
    deps.db
      .selectFrom('ngo_users')
      .select(['user_id', 'position', 'linked_at'])
      .where('organisation_id', '=', id)
      .where('unlinked_at', 'is', null)
      .orderBy('linked_at')
      .execute(),
  ]);
  await auditPersonalDataRead(deps, ctx, {
    entityType: ENTITY,
    entityId: id,
    fields: [
      'legalRepresentative.dui',
      board.length > 0 && 'boardMembers.dui',
      declarations.length > 0 && 'declarations.declarantDui',
    ].filter((f): f is string => !!f),
    purpose: 'grants.organisation.read',
  });
  const names = await userDisplayNames(
    deps.db,
    links.map((l) => l.user_id),
  );
  return {
    ...organisation,
    boardMembers: board.map(toBoardMember),
    documents: documents.map(toDocument),
    declarations: declarations.map(toDeclaration),
    users: links.map(
      (l): LinkedUser => ({
        userId: l.user_id,
        displayName: names.get(l.user_id) ?? '',
        position: l.position,
        linkedAt: l.linked_at.toISOString(),
      }),
    ),
  };
}

export async function listOrganisations(
  deps: AppDeps,
  access: GrantsAccess,
  query: OrganisationListQuery,
  options: { unlimited?: boolean } = {},
): Promise<OrganisationList> {
  let q = selectOrganisations(deps.db);
  const own = organisationFilter(access);
  if (own) q = q.where('o.id', '=', own);
  if (query.status) q = q.where('o.status', '=', query.status);
  if (query.type) q = q.where('o.org_type', '=', query.type);
  if (query.municipalityPcode) q = q.where('o.municipality_pcode', '=', query.municipalityPcode);
  if (query.department) q = q.where('o.municipality_pcode', 'like', `${query.department}%`);
  if (query.q?.trim()) {
    const term = `%${query.q
      .trim()
      .toLowerCase()
      .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(o.name)`, 'like', term),
        eb(sql<string>`lower(coalesce(o.acronym, ''))`, 'like', term),
        eb('o.nit', 'like', term),
        eb(sql<string>`lower(o.registry_number)`, 'like', term),
      ]),
    );
  }
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let page = q.orderBy('o.name').orderBy('o.id');
  if (!options.unlimited) page = page.limit(query.limit ?? 100).offset(query.offset ?? 0);
  const rows = await page.execute();
  // Lists show the representative's DUI masked (personal data); the audited detail shows it whole.
  const items = rows.map(toOrganisation).map((o) => ({
    ...o,
    legalRepresentative: { ...o.legalRepresentative, dui: maskDui(o.legalRepresentative.dui) },
  }));
  return { items, total: Number(total.n) };
}

// ── Board members ──────────────────────────────────────────────────────────────────────────────

async function lockOrganisation(db: AppDeps['db'], id: string) {
  const org = await db
    .selectFrom('ngo_organisations')
    .select(['id', 'status'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!org) throw new AppError('ORGANISATION_NOT_FOUND', 404);
  return org;
}

export async function addBoardMember(
  deps: AppDeps,
  ctx: RequestContext,
  organisationId: string,
  input: BoardMemberCreate,
): Promise<BoardMember> {
  const dui = validDui(input.dui, 'dui');
  const fromDate = assertDate(input.fromDate, 'fromDate');
  const toDate = input.toDate ? assertDate(input.toDate, 'toDate') : null;
  if (toDate) assertDateOrder(fromDate, toDate, ['fromDate', 'toDate']);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    await lockOrganisation(uow.db, organisationId);
    const sitting = await uow.db
      .selectFrom('ngo_board_members')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('dui', '=', dui)
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', fromDate)]))
      .executeTakeFirst();
    if (sitting) throw new AppError('BOARD_MEMBER_DUPLICATE', 409);
    await uow.db
      .insertInto('ngo_board_members')
      .values({
        id,
        organisation_id: organisationId,
        full_name: input.fullName.trim(),
        dui,
        position: input.position.trim(),
        from_date: fromDate,
        to_date: toDate,
        created_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        created_at: uow.now,
        updated_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grants.board_member.added',
      entityType: ENTITY,
      entityId: organisationId,
      after: { memberId: id, fullName: input.fullName, dui, position: input.position, fromDate, toDate },
    });
    await refreshReviewExclusions(uow, deps, organisationId);
    uow.emit({
      type: 'grants.board_member.added',
      entityType: ENTITY,
      entityId: organisationId,
      payload: { organisationId, memberId: id },
      permission: P.readAll,
    });
  });
  const row = await selectBoardMembers(deps.db).where('b.id', '=', id).executeTakeFirstOrThrow();
  return toBoardMember(row);
}

export async function updateBoardMember(
  deps: AppDeps,
  ctx: RequestContext,
  organisationId: string,
  memberId: string,
  input: BoardMemberUpdate,
): Promise<BoardMember> {
  await deps.tx(ctx, async (uow) => {
    const before = await selectBoardMembers(uow.db)
      .where('b.id', '=', memberId)
      .where('b.organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('BOARD_MEMBER_NOT_FOUND', 404);
    const set: Record<string, unknown> = { updated_at: uow.now };
    if (input.fullName !== undefined) set.full_name = input.fullName.trim();
    if (input.dui !== undefined) set.dui = validDui(input.dui, 'dui');
    if (input.position !== undefined) set.position = input.position.trim();
    if (input.fromDate !== undefined) set.from_date = assertDate(input.fromDate, 'fromDate');
    if (input.toDate !== undefined) set.to_date = input.toDate ? assertDate(input.toDate, 'toDate') : null;
    const from = (set.from_date as string | undefined) ?? before.from_date;
    const to = set.to_date !== undefined ? (set.to_date as string | null) : before.to_date;
    if (to) assertDateOrder(from, to, ['fromDate', 'toDate']);
    const dui = (set.dui as string | undefined) ?? before.dui;
    const overlapping = await uow.db
      .selectFrom('ngo_board_members')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('dui', '=', dui)
      .where('id', '<>', memberId)
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', from)]))
      .where((eb) => (to ? eb('from_date', '<=', to) : eb.lit(true)))
      .executeTakeFirst();
    if (overlapping) throw new AppError('BOARD_MEMBER_DUPLICATE', 409);
    await uow.db.updateTable('ngo_board_members').set(set).where('id', '=', memberId).execute();
    await refreshReviewExclusions(uow, deps, organisationId);
    uow.audit({
      action: 'grants.board_member.updated',
      entityType: ENTITY,
      entityId: organisationId,
      before: { memberId, ...toBoardMember(before) },
      after: { memberId, ...input },
    });
  });
  const row = await selectBoardMembers(deps.db).where('b.id', '=', memberId).executeTakeFirstOrThrow();
  return toBoardMember(row);
}

// ── Documents ──────────────────────────────────────────────────────────────────────────────────

/** Kinds of which only the newest copy counts (the older one is marked superseded). */
const SINGLE_COPY_KINDS = new Set<string>([
  'legal_personality',
  'statutes',
  'board_credential',
  'legal_rep_credential',
  'registry_certificate',
  'tax_solvency',
  'social_security_solvency',
  'bank_certificate',
  'raex_certificate',
]);

export async function uploadDocument(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  organisationId: string,
  input: DocumentUpload,
): Promise<NgoDocument> {
  assertSeesOrganisation(access, organisationId);
  const validUntil = input.validUntil ? assertDate(input.validUntil, 'validUntil') : null;
  const file = decodeDocument(input);
  const exists = await deps.db
    .selectFrom('ngo_organisations')
    .select('id')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!exists) throw new AppError('ORGANISATION_NOT_FOUND', 404);
  if (input.planId) {
    const plan = await deps.db
      .selectFrom('ngo_plans')
      .select('organisation_id')
      .where('id', '=', input.planId)
      .executeTakeFirst();
    if (!plan || plan.organisation_id !== organisationId) throw new AppError('PLAN_NOT_FOUND', 404);
  }
  const storageKey = await storeDocument(deps.config.dataDir, file);
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    await lockOrganisation(uow.db, organisationId);
    const previous = SINGLE_COPY_KINDS.has(input.kind as DocumentKind)
      ? await uow.db
          .selectFrom('ngo_documents')
          .select('id')
          .where('organisation_id', '=', organisationId)
          .where('kind', '=', input.kind as DocumentKind)
          .where('superseded_by', 'is', null)
          .execute()
      : [];
    await uow.db
      .insertInto('ngo_documents')
      .values({
        id,
        organisation_id: organisationId,
        plan_id: input.planId ?? null,
        kind: input.kind as DocumentKind,
        description: input.description?.trim() || null,
        sha256: file.sha256,
        file_name: file.fileName,
        size_bytes: file.bytes.length,
        mime: file.mime,
        storage_key: storageKey,
        valid_until: validUntil,
        uploaded_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        uploaded_at: uow.now,
        superseded_by: null,
      })
      .execute();
    if (previous.length > 0) {
      await uow.db
        .updateTable('ngo_documents')
        .set({ superseded_by: id })
        .where(
          'id',
          'in',
          previous.map((p) => p.id),
        )
        .execute();
    }
    uow.audit({
      action: 'grants.document.uploaded',
      entityType: ENTITY,
      entityId: organisationId,
      after: {
        documentId: id,
        kind: input.kind,
        sha256: file.sha256,
        fileName: file.fileName,
        sizeBytes: file.bytes.length,
        mime: file.mime,
        validUntil,
        planId: input.planId ?? null,
        supersedes: previous.map((p) => p.id),
      },
    });
    uow.emit({
      type: 'grants.document.uploaded',
      entityType: ENTITY,
      entityId: organisationId,
      payload: { organisationId, documentId: id, kind: input.kind, sha256: file.sha256 },
      permission: P.readAll,
    });
  });
  return toDocument(await selectDocuments(deps.db).where('d.id', '=', id).executeTakeFirstOrThrow());
}

export async function readDocumentFile(
  deps: AppDeps,
  access: GrantsAccess,
  organisationId: string,
  documentId: string,
): Promise<{ bytes: Buffer; mime: string; fileName: string; sha256: string }> {
  assertSeesOrganisation(access, organisationId);
  const row = await selectDocuments(deps.db)
    .where('d.id', '=', documentId)
    .where('d.organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) throw new AppError('DOCUMENT_NOT_FOUND', 404);
  const bytes = await readDocument(deps.config.dataDir, row.storage_key, row.sha256);
  return { bytes, mime: row.mime, fileName: row.file_name, sha256: row.sha256 };
}

// ── Conflict-of-interest declarations ──────────────────────────────────────────────────────────

export async function recordDeclaration(
  deps: AppDeps,
  ctx: RequestContext,
  access: GrantsAccess,
  organisationId: string,
  input: DeclarationCreate,
): Promise<Declaration> {
  assertSeesOrganisation(access, organisationId);
  const dui = validDui(input.declarantDui, 'declarantDui');
  const declaredOn = assertDate(input.declaredOn, 'declaredOn');
  if (input.hasConflict && !input.description?.trim()) {
    throw new AppError('DECLARATION_DESCRIPTION_REQUIRED', 400, {}, [
      { field: 'description', code: 'DECLARATION_DESCRIPTION_REQUIRED' },
    ]);
  }
  const id = randomUUID();
  await deps.tx(ctx, async (uow) => {
    await lockOrganisation(uow.db, organisationId);
    if (input.documentId) {
      const doc = await uow.db
        .selectFrom('ngo_documents')
        .select('organisation_id')
        .where('id', '=', input.documentId)
        .executeTakeFirst();
      if (!doc || doc.organisation_id !== organisationId) throw new AppError('DOCUMENT_NOT_FOUND', 404);
    }
    if (input.planId) {
      const plan = await uow.db
        .selectFrom('ngo_plans')
        .select('organisation_id')
        .where('id', '=', input.planId)
        .executeTakeFirst();
      if (!plan || plan.organisation_id !== organisationId) throw new AppError('PLAN_NOT_FOUND', 404);
    }
    await uow.db
      .insertInto('ngo_conflict_declarations')
      .values({
        id,
        organisation_id: organisationId,
        plan_id: input.planId ?? null,
        declarant_name: input.declarantName.trim(),
        declarant_dui: dui,
        declarant_role: input.declarantRole,
        has_conflict: input.hasConflict,
        description: input.description?.trim() || null,
        related_person: input.relatedPerson?.trim() || null,
        related_position: input.relatedPosition?.trim() || null,
        declared_on: declaredOn,
        document_id: input.documentId ?? null,
        recorded_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        recorded_at: uow.now,
      })
      .execute();
    uow.audit({
      action: 'grants.declaration.recorded',
      entityType: ENTITY,
      entityId: organisationId,
      after: { declarationId: id, ...input, declarantDui: dui },
    });
    uow.emit({
      type: 'grants.declaration.recorded',
      entityType: ENTITY,
      entityId: organisationId,
      payload: { organisationId, declarationId: id, hasConflict: input.hasConflict },
      permission: P.readAll,
    });
  });
  return toDeclaration(await selectDeclarations(deps.db).where('c.id', '=', id).executeTakeFirstOrThrow());
}

// ── Portal users ───────────────────────────────────────────────────────────────────────────────

export async function linkUser(
  deps: AppDeps,
  ctx: RequestContext,
  organisationId: string,
  input: UserLink,
): Promise<LinkedUser> {
  const user = await findDirectoryUser(deps.db, input.userId);
  if (!user) throw new AppError('USER_NOT_FOUND', 404);
  if (!user.active) throw new AppError('USER_INACTIVE', 409);
  if (!user.roles.includes('ngo_staff')) throw new AppError('NGO_USER_ROLE_REQUIRED', 409);
  if (user.roles.some((r) => r !== 'ngo_staff')) throw new AppError('NGO_USER_HAS_MINISTRY_ROLE', 409);
  const now = await deps.tx(ctx, async (uow) => {
    await lockOrganisation(uow.db, organisationId);
    const existing = await uow.db
      .selectFrom('ngo_users')
      .select('organisation_id')
      .where('user_id', '=', input.userId)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    if (existing) throw new AppError('NGO_USER_ALREADY_LINKED', 409);
    await uow.db
      .insertInto('ngo_users')
      .values({
        id: randomUUID(),
        organisation_id: organisationId,
        user_id: input.userId,
        position: input.position?.trim() || null,
        linked_by: ctx.actor.type === 'user' ? ctx.actor.id : null,
        linked_at: uow.now,
        unlinked_by: null,
        unlinked_at: null,
      })
      .execute();
    await refreshReviewExclusions(uow, deps, organisationId);
    uow.audit({
      action: 'grants.user.linked',
      entityType: ENTITY,
      entityId: organisationId,
      after: { userId: input.userId, position: input.position ?? null },
    });
    return uow.now;
  });
  return {
    userId: user.userId,
    displayName: user.displayName,
    position: input.position?.trim() || null,
    linkedAt: now.toISOString(),
  };
}

export async function unlinkUser(
  deps: AppDeps,
  ctx: RequestContext,
  organisationId: string,
  userId: string,
): Promise<void> {
  await deps.tx(ctx, async (uow) => {
    const updated = await uow.db
      .updateTable('ngo_users')
      .set({ unlinked_at: uow.now, unlinked_by: ctx.actor.type === 'user' ? ctx.actor.id : null })
      .where('organisation_id', '=', organisationId)
      .where('user_id', '=', userId)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('NGO_USER_NOT_LINKED', 404);
    await refreshReviewExclusions(uow, deps, organisationId);
    uow.audit({
      action: 'grants.user.unlinked',
      entityType: ENTITY,
      entityId: organisationId,
      after: { userId },
    });
  });
}
