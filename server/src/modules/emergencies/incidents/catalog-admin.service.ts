import type { Selectable, Updateable } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { familyOf } from '../catalog.js';
import type {
  AdminIncidentType,
  AdminIncidentTypeList,
  AdminQuestion,
  IncidentTypeCreate,
  IncidentTypeUpdate,
} from './catalog-admin.schemas.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { PERMISSIONS } from './incidents.policy.js';
import type { IncidentTypesTable } from './incidents.tables.js';

/**
 * Administration of the incident type catalogue: types, their guided questions (which suggest the
 * priority) and their derivation. Types are never deleted (incidents refer to them): they are
 * deactivated, which hides them from intake. Every change carries a reason and is audited with its
 * before/after; a changed type is marked (updated_by) so the reference seed does not undo it.
 */

type TypeRow = Selectable<IncidentTypesTable>;

function questionsOf(row: TypeRow): AdminQuestion[] {
  const value: unknown = typeof row.questions === 'string' ? JSON.parse(row.questions) : row.questions;
  return Array.isArray(value) ? (value as AdminQuestion[]) : [];
}

function toAdminType(row: TypeRow): AdminIncidentType {
  return {
    code: row.code,
    parentCode: row.parent_code,
    family: row.family,
    nameEs: row.name_es,
    nameEn: row.name_en,
    defaultPriority: row.default_priority,
    referral: row.referral,
    keywords: row.keywords,
    questions: questionsOf(row).map((q) => ({
      code: q.code,
      textEs: q.textEs,
      textEn: q.textEn,
      priorityIfYes: q.priorityIfYes,
    })),
    active: row.active,
    sortOrder: row.sort_order,
    updatedAt: row.updated_at?.toISOString() ?? null,
    updatedBy: row.updated_by,
  };
}

/** What the audit log keeps of a type (all of it: the catalogue holds no personal data). */
function auditView(row: TypeRow) {
  const t = toAdminType(row);
  return {
    parentCode: t.parentCode,
    nameEs: t.nameEs,
    nameEn: t.nameEn,
    defaultPriority: t.defaultPriority,
    referral: t.referral,
    keywords: t.keywords,
    questions: t.questions,
    active: t.active,
    sortOrder: t.sortOrder,
  };
}

function assertQuestions(questions: readonly AdminQuestion[]): void {
  const seen = new Set<string>();
  for (const [index, q] of questions.entries()) {
    if (seen.has(q.code)) {
      throw new AppError('QUESTION_CODE_DUPLICATE', 400, { code: q.code }, [
        { field: `questions/${index}/code`, code: 'QUESTION_CODE_DUPLICATE' },
      ]);
    }
    seen.add(q.code);
  }
}

async function lockType(uow: UnitOfWork, code: string): Promise<TypeRow> {
  const row = await uow.db
    .selectFrom('incident_types')
    .selectAll()
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('INCIDENT_TYPE_NOT_FOUND', 404, { code });
  return row;
}

function emitChanged(uow: UnitOfWork, code: string, change: string): void {
  uow.emit({
    type: 'incident_type.changed',
    entityType: 'incident_type',
    entityId: code,
    payload: { code, change },
    permission: PERMISSIONS.read,
  });
}

export async function listAdminIncidentTypes(
  deps: EmergenciesDeps,
  includeInactive: boolean,
): Promise<AdminIncidentTypeList> {
  let q = deps.db.selectFrom('incident_types').selectAll().orderBy('sort_order').orderBy('code');
  if (!includeInactive) q = q.where('active', '=', true);
  return { items: (await q.execute()).map(toAdminType) };
}

export async function createIncidentType(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  input: IncidentTypeCreate,
): Promise<AdminIncidentType> {
  const questions = input.questions ?? [];
  assertQuestions(questions);
  const parentCode = input.parentCode ?? null;
  const isFamily = !input.code.includes('.');
  if (isFamily && parentCode !== null)
    throw new AppError('INCIDENT_TYPE_PARENT_MISMATCH', 400, { parent: parentCode });
  if (!isFamily && parentCode !== familyOf(input.code)) {
    throw new AppError('INCIDENT_TYPE_PARENT_MISMATCH', 400, { parent: familyOf(input.code) });
  }
  const row = await deps.tx(ctx, async (uow) => {
    const existing = await uow.db
      .selectFrom('incident_types')
      .select('code')
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (existing) throw new AppError('INCIDENT_TYPE_CODE_TAKEN', 409, { code: input.code });
    if (parentCode !== null) {
      const parent = await lockType(uow, parentCode).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'INCIDENT_TYPE_NOT_FOUND') {
          throw new AppError('INCIDENT_TYPE_PARENT_NOT_FOUND', 400, { code: parentCode });
        }
        throw error;
      });
      if (!parent.active) throw new AppError('INCIDENT_TYPE_PARENT_INACTIVE', 409, { code: parentCode });
    }
    const last = await uow.db
      .selectFrom('incident_types')
      .select((eb) => eb.fn.max<number>('sort_order').as('n'))
      .executeTakeFirst();
    const inserted = await uow.db
      .insertInto('incident_types')
      .values({
        code: input.code,
        parent_code: parentCode,
        family: familyOf(input.code),
        name_es: input.nameEs.trim(),
        name_en: input.nameEn.trim(),
        default_priority: input.defaultPriority,
        referral: input.referral ?? null,
        questions: JSON.stringify(questions),
        keywords: (input.keywords ?? '').trim(),
        active: true,
        sort_order: Number(last?.n ?? 0) + 1,
        updated_at: uow.now,
        updated_by: uow.ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'incident_type.created',
      entityType: 'incident_type',
      entityId: input.code,
      after: auditView(inserted),
      reason: input.reason,
    });
    emitChanged(uow, input.code, 'created');
    return inserted;
  });
  return toAdminType(row);
}

export async function updateIncidentType(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  code: string,
  input: IncidentTypeUpdate,
): Promise<AdminIncidentType> {
  if (input.questions) assertQuestions(input.questions);
  const row = await deps.tx(ctx, async (uow) => {
    const before = await lockType(uow, code);
    const patch: Updateable<IncidentTypesTable> = {};
    if (input.nameEs !== undefined) patch.name_es = input.nameEs.trim();
    if (input.nameEn !== undefined) patch.name_en = input.nameEn.trim();
    if (input.defaultPriority !== undefined) patch.default_priority = input.defaultPriority;
    if (input.referral !== undefined) patch.referral = input.referral;
    if (input.keywords !== undefined) patch.keywords = input.keywords.trim();
    if (input.questions !== undefined) patch.questions = JSON.stringify(input.questions);
    if (input.sortOrder !== undefined) patch.sort_order = input.sortOrder;
    const after = await uow.db
      .updateTable('incident_types')
      .set({ ...patch, updated_at: uow.now, updated_by: uow.ctx.actor.id })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'incident_type.updated',
      entityType: 'incident_type',
      entityId: code,
      before: auditView(before),
      after: auditView(after),
      reason: input.reason,
    });
    emitChanged(uow, code, 'updated');
    return after;
  });
  return toAdminType(row);
}

/** Deactivated types disappear from intake; incidents already typed keep them. Never deleted. */
export async function setIncidentTypeActive(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  code: string,
  active: boolean,
  reason: string,
): Promise<AdminIncidentType> {
  const row = await deps.tx(ctx, async (uow) => {
    const before = await lockType(uow, code);
    if (before.active === active) {
      throw new AppError(active ? 'INCIDENT_TYPE_ALREADY_ACTIVE' : 'INCIDENT_TYPE_ALREADY_INACTIVE', 409, {
        code,
      });
    }
    if (!active) {
      const child = await uow.db
        .selectFrom('incident_types')
        .select('code')
        .where('parent_code', '=', code)
        .where('active', '=', true)
        .executeTakeFirst();
      if (child) throw new AppError('INCIDENT_TYPE_HAS_ACTIVE_CHILDREN', 409, { code, child: child.code });
    } else if (before.parent_code) {
      const parent = await lockType(uow, before.parent_code);
      if (!parent.active) {
        throw new AppError('INCIDENT_TYPE_PARENT_INACTIVE', 409, { code: before.parent_code });
      }
    }
    const after = await uow.db
      .updateTable('incident_types')
      .set({ active, updated_at: uow.now, updated_by: uow.ctx.actor.id })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
    const action = active ? 'incident_type.reactivated' : 'incident_type.deactivated';
    uow.audit({
      action,
      entityType: 'incident_type',
      entityId: code,
      changes: { active },
      reason,
    });
    emitChanged(uow, code, active ? 'reactivated' : 'deactivated');
    return after;
  });
  return toAdminType(row);
}
