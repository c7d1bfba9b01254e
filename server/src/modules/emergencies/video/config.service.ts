import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../platform/context.js';
import type { Db } from '../../../platform/db/database.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { normalizeBaseUrl } from './media.js';
import { type RuleSpec, scheduleProblem } from './rules.js';
import { isUniqueViolation, jsonArray, jsonObject, toJsonb } from './territory.js';
import type { CameraCreate, CameraUpdate, RuleCreate, RuleUpdate } from './video.schemas.js';
import type { CameraRow, RuleRow, RuleSchedule } from './video.tables.js';

/** Cameras and video rules: the configuration the Frigate ingest evaluates. */

export function toCamera(row: CameraRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    lon: row.lon,
    lat: row.lat,
    departmentCode: row.department_code,
    municipalityPcode: row.municipality_pcode,
    districtName: row.district_name,
    frigateBaseUrl: row.frigate_base_url,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function scheduleOf(value: unknown): RuleSchedule | null {
  const o = jsonObject(value);
  if (!Array.isArray(o.days) || typeof o.from !== 'string' || typeof o.to !== 'string') return null;
  return { days: o.days.filter((d): d is number => typeof d === 'number'), from: o.from, to: o.to };
}

export function toRule(row: RuleRow) {
  return {
    id: row.id,
    name: row.name,
    cameraId: row.camera_id,
    label: row.label,
    zones: jsonArray(row.zones),
    minScore: row.min_score,
    schedule: scheduleOf(row.schedule),
    action: row.action,
    attachMeters: row.attach_meters,
    attachMinutes: row.attach_minutes,
    priority: row.priority,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toRuleSpec(row: RuleRow): RuleSpec {
  return {
    id: row.id,
    name: row.name,
    cameraId: row.camera_id,
    label: row.label,
    zones: jsonArray(row.zones),
    minScore: row.min_score,
    schedule: scheduleOf(row.schedule),
    action: row.action,
    attachMeters: row.attach_meters,
    attachMinutes: row.attach_minutes,
    priority: row.priority,
  };
}

function locateCamera(deps: EmergenciesDeps, lon: number, lat: number) {
  const found = deps.locator.locate(lon, lat);
  if (!found.insideCountry) throw new AppError('LOCATION_OUTSIDE_COUNTRY', 400, { lon, lat });
  return {
    department_code: found.departmentCode,
    municipality_pcode: found.municipalityPcode,
    district_name: found.districtName,
  };
}

export async function findCameraByName(
  db: Db | UnitOfWork['db'],
  name: string,
): Promise<CameraRow | undefined> {
  return db.selectFrom('video_cameras').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listCameras(deps: EmergenciesDeps) {
  const rows = await deps.db.selectFrom('video_cameras').selectAll().orderBy('name').execute();
  return { items: rows.map(toCamera) };
}

export async function createCamera(deps: EmergenciesDeps, ctx: RequestContext, input: CameraCreate) {
  const place = locateCamera(deps, input.lon, input.lat);
  try {
    const row = await deps.tx(ctx, async (uow) => {
      const inserted = await uow.db
        .insertInto('video_cameras')
        .values({
          id: randomUUID(),
          name: input.name,
          description: input.description?.trim() || null,
          lon: input.lon,
          lat: input.lat,
          ...place,
          frigate_base_url: normalizeBaseUrl(input.frigateBaseUrl),
          active: input.active ?? true,
          created_at: uow.now,
          updated_at: uow.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      uow.audit({
        action: 'video.camera.created',
        entityType: 'video_camera',
        entityId: inserted.id,
        after: toCamera(inserted),
      });
      return inserted;
    });
    return toCamera(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CAMERA_NAME_TAKEN', 409, { name: input.name });
    throw error;
  }
}

export async function updateCamera(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  id: string,
  input: CameraUpdate,
) {
  if ((input.lon === undefined) !== (input.lat === undefined)) throw new AppError('LOCATION_INCOMPLETE', 400);
  const row = await deps.tx(ctx, async (uow) => {
    const current = await uow.db
      .selectFrom('video_cameras')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('CAMERA_NOT_FOUND', 404);
    const set: Partial<CameraRow> = { updated_at: uow.now };
    if (input.description !== undefined) set.description = input.description?.trim() || null;
    if (input.frigateBaseUrl !== undefined) set.frigate_base_url = normalizeBaseUrl(input.frigateBaseUrl);
    if (input.active !== undefined) set.active = input.active;
    if (input.lon !== undefined && input.lat !== undefined) {
      Object.assign(set, { lon: input.lon, lat: input.lat, ...locateCamera(deps, input.lon, input.lat) });
    }
    const updated = await uow.db
      .updateTable('video_cameras')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'video.camera.updated',
      entityType: 'video_camera',
      entityId: id,
      before: toCamera(current),
      after: toCamera(updated),
    });
    return updated;
  });
  return toCamera(row);
}

async function assertCameraExists(uow: UnitOfWork, cameraId: string) {
  const camera = await uow.db
    .selectFrom('video_cameras')
    .select('id')
    .where('id', '=', cameraId)
    .executeTakeFirst();
  if (!camera) throw new AppError('CAMERA_NOT_FOUND', 404);
}

function assertSchedule(schedule: RuleSchedule | null | undefined) {
  if (!schedule) return;
  const problem = scheduleProblem(schedule);
  if (problem) throw new AppError('RULE_SCHEDULE_INVALID', 400, { problem });
}

export async function listRules(deps: EmergenciesDeps, cameraId: string | undefined) {
  let q = deps.db.selectFrom('video_rules').selectAll().orderBy('created_at').orderBy('id');
  if (cameraId) q = q.where((eb) => eb.or([eb('camera_id', '=', cameraId), eb('camera_id', 'is', null)]));
  return { items: (await q.execute()).map(toRule) };
}

export async function createRule(deps: EmergenciesDeps, ctx: RequestContext, input: RuleCreate) {
  assertSchedule(input.schedule);
  const row = await deps.tx(ctx, async (uow) => {
    if (input.cameraId) await assertCameraExists(uow, input.cameraId);
    const inserted = await uow.db
      .insertInto('video_rules')
      .values({
        id: randomUUID(),
        camera_id: input.cameraId ?? null,
        name: input.name.trim(),
        label: input.label.trim(),
        zones: toJsonb(input.zones ?? []),
        min_score: input.minScore ?? 0,
        schedule: input.schedule ? toJsonb(input.schedule) : null,
        action: input.action,
        attach_meters: input.attachMeters ?? 300,
        attach_minutes: input.attachMinutes ?? 30,
        priority: input.priority ?? 2,
        active: input.active ?? true,
        created_at: uow.now,
        updated_at: uow.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'video.rule.created',
      entityType: 'video_rule',
      entityId: inserted.id,
      after: toRule(inserted),
    });
    return inserted;
  });
  return toRule(row);
}

export async function updateRule(deps: EmergenciesDeps, ctx: RequestContext, id: string, input: RuleUpdate) {
  assertSchedule(input.schedule);
  const row = await deps.tx(ctx, async (uow) => {
    const current = await uow.db
      .selectFrom('video_rules')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('RULE_NOT_FOUND', 404);
    const set: Record<string, unknown> = { updated_at: uow.now };
    if (input.name !== undefined) set.name = input.name.trim();
    if (input.label !== undefined) set.label = input.label.trim();
    if (input.zones !== undefined) set.zones = toJsonb(input.zones);
    if (input.minScore !== undefined) set.min_score = input.minScore;
    if (input.schedule !== undefined) set.schedule = input.schedule ? toJsonb(input.schedule) : null;
    if (input.action !== undefined) set.action = input.action;
    if (input.attachMeters !== undefined) set.attach_meters = input.attachMeters;
    if (input.attachMinutes !== undefined) set.attach_minutes = input.attachMinutes;
    if (input.priority !== undefined) set.priority = input.priority;
    if (input.active !== undefined) set.active = input.active;
    const updated = await uow.db
      .updateTable('video_rules')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    uow.audit({
      action: 'video.rule.updated',
      entityType: 'video_rule',
      entityId: id,
      before: toRule(current),
      after: toRule(updated),
    });
    return updated;
  });
  return toRule(row);
}

/** Active rules that apply to a camera: its own and the global ones. */
export async function rulesForCamera(db: UnitOfWork['db'], cameraId: string): Promise<RuleSpec[]> {
  const rows = await db
    .selectFrom('video_rules')
    .selectAll()
    .where('active', '=', true)
    .where((eb) => eb.or([eb('camera_id', '=', cameraId), eb('camera_id', 'is', null)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRuleSpec);
}
