import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../platform/context.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, type Principal } from '../../../platform/http/principal.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { lockUnit, setUnitStatus } from './assignments.service.js';
import { DISPATCH_PERMISSIONS as P } from './dispatch.policy.js';
import type { StationCreate, Unit, UnitCreate } from './dispatch.schemas.js';

function assertUnitScope(
  principal: Principal,
  permission: string,
  unit: { department_code: string; municipality_pcode: string | null; id: string },
) {
  if (
    !canInScope(principal, permission, {
      department: unit.department_code,
      municipality: unit.municipality_pcode,
      unit: unit.id,
    })
  ) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission });
  }
}

export async function createStation(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  input: StationCreate,
) {
  if (
    !canInScope(principal, P.unitsManage, {
      department: input.departmentCode,
      municipality: input.municipalityPcode,
    })
  ) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission: P.unitsManage });
  }
  const id = randomUUID();
  try {
    await deps.tx(ctx, async (uow) => {
      await uow.db
        .insertInto('stations')
        .values({
          id,
          code: input.code,
          name: input.name,
          department_code: input.departmentCode,
          municipality_pcode: input.municipalityPcode ?? null,
          lon: input.lon ?? null,
          lat: input.lat ?? null,
        })
        .execute();
      uow.audit({ action: 'station.created', entityType: 'station', entityId: id, after: { ...input } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('STATION_CODE_TAKEN', 409, { code: input.code });
    throw error;
  }
  return {
    id,
    ...input,
    municipalityPcode: input.municipalityPcode ?? null,
    lon: input.lon ?? null,
    lat: input.lat ?? null,
  };
}

export async function listStations(deps: EmergenciesDeps) {
  const rows = await deps.db.selectFrom('stations').selectAll().orderBy('code').execute();
  return rows.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    departmentCode: s.department_code,
    municipalityPcode: s.municipality_pcode,
    lon: s.lon,
    lat: s.lat,
  }));
}

export async function createUnit(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  input: UnitCreate,
): Promise<Unit> {
  if (
    !canInScope(principal, P.unitsManage, {
      department: input.departmentCode,
      municipality: input.municipalityPcode,
    })
  ) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission: P.unitsManage });
  }
  const id = randomUUID();
  try {
    await deps.tx(ctx, async (uow) => {
      if (input.stationId) {
        const station = await uow.db
          .selectFrom('stations')
          .select('id')
          .where('id', '=', input.stationId)
          .executeTakeFirst();
        if (!station) throw new AppError('STATION_NOT_FOUND', 404);
      }
      await uow.db
        .insertInto('units')
        .values({
          id,
          call_sign: input.callSign.toUpperCase(),
          kind: input.kind,
          capabilities: JSON.stringify(input.capabilities ?? []),
          station_id: input.stationId ?? null,
          department_code: input.departmentCode,
          municipality_pcode: input.municipalityPcode ?? null,
          status: 'out_of_service',
          status_changed_at: uow.now,
          device_id: input.deviceId ?? null,
          active: true,
          created_at: uow.now,
          updated_at: uow.now,
        })
        .execute();
      uow.audit({ action: 'unit.created', entityType: 'unit', entityId: id, after: { ...input } });
      uow.emit({
        type: 'unit.created',
        topic: 'units',
        entityType: 'unit',
        entityId: id,
        scope: { department: input.departmentCode, municipality: input.municipalityPcode ?? null, unit: id },
        permission: P.unitsRead,
        payload: { id, callSign: input.callSign.toUpperCase(), kind: input.kind },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('UNIT_CALL_SIGN_TAKEN', 409, { callSign: input.callSign });
    throw error;
  }
  return getUnit(deps, principal, id);
}

export async function listUnits(
  deps: EmergenciesDeps,
  principal: Principal,
  query: { status?: string | undefined; department?: string | undefined },
): Promise<Unit[]> {
  let q = deps.db
    .selectFrom('units')
    .leftJoin('unit_latest_position as p', 'p.unit_id', 'units.id')
    .selectAll('units')
    .select(['p.lon', 'p.lat', 'p.speed_kmh', 'p.heading', 'p.recorded_at'])
    .where('units.active', '=', true);
  if (query.status) q = q.where('units.status', '=', query.status as never);
  if (query.department) q = q.where('units.department_code', '=', query.department);
  const rows = (await q.orderBy('units.call_sign').execute()).filter((u) =>
    canInScope(principal, P.unitsRead, {
      department: u.department_code,
      municipality: u.municipality_pcode,
      unit: u.id,
    }),
  );
  const ids = rows.map((r) => r.id);
  const assignments = ids.length
    ? await deps.db
        .selectFrom('incident_assignments as a')
        .innerJoin('incidents as i', 'i.id', 'a.incident_id')
        .select(['a.id', 'a.unit_id', 'a.incident_id', 'i.folio'])
        .where('a.unit_id', 'in', ids)
        .where('a.released_at', 'is', null)
        .where('a.cleared_at', 'is', null)
        .execute()
    : [];
  const crew = ids.length
    ? await deps.db
        .selectFrom('unit_crew as c')
        .innerJoin('users as u', 'u.id', 'c.user_id')
        .select(['c.unit_id', 'c.user_id', 'c.role', 'u.display_name'])
        .where('c.unit_id', 'in', ids)
        .where('c.to_at', 'is', null)
        .execute()
    : [];
  return rows.map((u) => {
    const a = assignments.find((x) => x.unit_id === u.id);
    return {
      id: u.id,
      callSign: u.call_sign,
      kind: u.kind,
      capabilities: u.capabilities as unknown as string[],
      stationId: u.station_id,
      departmentCode: u.department_code,
      municipalityPcode: u.municipality_pcode,
      status: u.status,
      statusChangedAt: u.status_changed_at.toISOString(),
      deviceId: u.device_id,
      position:
        u.lon !== null && u.lat !== null && u.recorded_at
          ? {
              lon: u.lon,
              lat: u.lat,
              speedKmh: u.speed_kmh,
              heading: u.heading,
              recordedAt: u.recorded_at.toISOString(),
            }
          : null,
      activeAssignment: a ? { id: a.id, incidentId: a.incident_id, folio: a.folio } : null,
      crew: crew
        .filter((c) => c.unit_id === u.id)
        .map((c) => ({ userId: c.user_id, name: c.display_name, role: c.role })),
    };
  });
}

export async function getUnit(deps: EmergenciesDeps, principal: Principal, id: string): Promise<Unit> {
  const unit = await deps.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!unit?.active) throw new AppError('UNIT_NOT_FOUND', 404);
  assertUnitScope(principal, P.unitsRead, unit);
  const [found] = (await listUnits(deps, principal, {})).filter((u) => u.id === id);
  if (!found) throw new AppError('UNIT_NOT_FOUND', 404);
  return found;
}

export async function changeUnitService(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
  input: { action: 'in_service' | 'out_of_service'; reason?: string | undefined },
): Promise<Unit> {
  if (input.action === 'out_of_service' && !input.reason?.trim()) {
    throw new AppError('REASON_REQUIRED', 400, { action: 'out_of_service' });
  }
  await deps.tx(ctx, async (uow) => {
    const unit = await lockUnit(uow, id);
    assertUnitScope(principal, P.unitStatus, unit);
    await setUnitStatus(uow, unit, input.action, input.reason ?? null);
  });
  return getUnit(deps, principal, id);
}

/** Puts a user on a unit's crew (a user is on at most one unit at a time). */
export async function joinCrew(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  unitId: string,
  input: { userId: string; role?: string | undefined },
): Promise<Unit> {
  await deps.tx(ctx, async (uow) => {
    const unit = await lockUnit(uow, unitId);
    assertUnitScope(principal, P.unitsManage, unit);
    const user = await uow.db
      .selectFrom('users')
      .select(['id', 'active'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (!user?.active) throw new AppError('USER_NOT_FOUND', 404);
    const current = await uow.db
      .selectFrom('unit_crew')
      .selectAll()
      .where('user_id', '=', input.userId)
      .where('to_at', 'is', null)
      .executeTakeFirst();
    if (current) {
      await uow.db.updateTable('unit_crew').set({ to_at: uow.now }).where('id', '=', current.id).execute();
    }
    await uow.db
      .insertInto('unit_crew')
      .values({
        id: randomUUID(),
        unit_id: unitId,
        user_id: input.userId,
        role: input.role ?? 'member',
        from_at: uow.now,
        to_at: null,
      })
      .execute();
    uow.audit({
      action: 'unit.crew_joined',
      entityType: 'unit',
      entityId: unitId,
      after: { userId: input.userId, role: input.role ?? 'member', previousUnit: current?.unit_id ?? null },
    });
  });
  return getUnit(deps, principal, unitId);
}

export async function leaveCrew(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  unitId: string,
  userId: string,
): Promise<Unit> {
  await deps.tx(ctx, async (uow) => {
    const unit = await lockUnit(uow, unitId);
    assertUnitScope(principal, P.unitsManage, unit);
    const ended = await uow.db
      .updateTable('unit_crew')
      .set({ to_at: uow.now })
      .where('unit_id', '=', unitId)
      .where('user_id', '=', userId)
      .where('to_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!ended) throw new AppError('CREW_MEMBER_NOT_FOUND', 404);
    uow.audit({ action: 'unit.crew_left', entityType: 'unit', entityId: unitId, after: { userId } });
  });
  return getUnit(deps, principal, unitId);
}

/** The unit whose crew the user is on now, if any. */
export async function unitOfUser(deps: EmergenciesDeps, userId: string): Promise<string | null> {
  const row = await deps.db
    .selectFrom('unit_crew')
    .select('unit_id')
    .where('user_id', '=', userId)
    .where('to_at', 'is', null)
    .executeTakeFirst();
  return row?.unit_id ?? null;
}
