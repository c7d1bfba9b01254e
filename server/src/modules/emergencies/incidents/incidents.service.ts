import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { Database } from '../../../platform/db/schema.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { familyOf, OPEN_STATUSES, suggestPriority } from '../catalog.js';
import { boundingDeltas, distanceMeters } from '../geo-math.js';
import { assertCanAccessIncident, unitScopes } from './access.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { toIncident } from './incidents.mapper.js';
import { PERMISSIONS } from './incidents.policy.js';
import { duplicateCandidatesOf, findIncident, type IncidentRow, selectIncidents } from './incidents.repo.js';
import type {
  CallerInput,
  Incident,
  IncidentListQuery,
  LocationInput,
  NearbyIncident,
} from './incidents.schemas.js';
import type { LocationFlag } from './incidents.tables.js';

export type Channel = 'call' | 'citizen' | 'open311' | 'messaging' | 'panic' | 'video' | 'alpr';

/** A new incident from any intake channel. */
export interface NewIncident {
  channel: Channel;
  typeCode: string | null;
  answers?: Record<string, boolean> | undefined;
  priority?: number | undefined;
  priorityReason?: string | undefined;
  narrative: string;
  summary?: string | undefined;
  location: LocationInput;
  caller?: CallerInput | undefined;
  callReceivedAt?: string | undefined;
  callAnsweredAt?: string | undefined;
  external?: { source: string; ref: string } | undefined;
  tracking?: { code: string; secretHash: string } | undefined;
}

export interface ResolvedType {
  code: string;
  family: string;
  priority: number;
  questions: { code: string; priorityIfYes: number }[];
  nameEs: string;
  nameEn: string;
}

export async function resolveType(uow: UnitOfWork | EmergenciesDeps, code: string): Promise<ResolvedType> {
  const row = await uow.db
    .selectFrom('incident_types')
    .select(['code', 'family', 'default_priority', 'questions', 'active', 'name_es', 'name_en'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row?.active) throw new AppError('UNKNOWN_INCIDENT_TYPE', 400, { code });
  return {
    code: row.code,
    family: row.family,
    priority: row.default_priority,
    questions: row.questions as ResolvedType['questions'],
    nameEs: row.name_es,
    nameEn: row.name_en,
  };
}

/** Priority rules: the suggestion comes from the guided answers; overriding it needs a reason. */
export function decidePriority(
  type: ResolvedType,
  answers: Record<string, boolean>,
  requested: number | undefined,
  reason: string | undefined,
): { priority: number; suggested: number } {
  const known = new Set(type.questions.map((q) => q.code));
  const unknown = Object.keys(answers).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new AppError('UNKNOWN_QUESTION', 400, { codes: unknown.join(', ') });
  const suggested = suggestPriority(type, answers);
  if (requested !== undefined && requested !== suggested && !reason?.trim()) {
    throw new AppError('PRIORITY_REASON_REQUIRED', 400, { suggested });
  }
  return { priority: requested ?? suggested, suggested };
}

const CLOCK_SKEW_MS = 60_000;

export function checkCallTimes(
  now: Date,
  receivedAt?: string,
  answeredAt?: string,
): { received: Date | null; answered: Date | null } {
  const received = receivedAt ? new Date(receivedAt) : null;
  const answered = answeredAt ? new Date(answeredAt) : null;
  const late = (d: Date | null) => d !== null && d.getTime() > now.getTime() + CLOCK_SKEW_MS;
  if (late(received) || late(answered)) throw new AppError('CALL_TIMES_IN_FUTURE', 400);
  if (received && answered && answered < received) throw new AppError('CALL_TIMES_OUT_OF_ORDER', 400);
  return { received, answered };
}

interface ResolvedLocation {
  lon: number | null;
  lat: number | null;
  text: string | null;
  flag: LocationFlag | null;
  departmentCode: string | null;
  municipalityPcode: string | null;
  districtName: string | null;
}

export function resolveLocation(deps: EmergenciesDeps, input: LocationInput): ResolvedLocation {
  const hasLon = input.lon !== undefined;
  const hasLat = input.lat !== undefined;
  if (hasLon !== hasLat) throw new AppError('LOCATION_INCOMPLETE', 400);
  const text = input.text?.trim() || null;
  if (hasLon && hasLat) {
    const found = deps.locator.locate(input.lon!, input.lat!);
    return {
      lon: input.lon!,
      lat: input.lat!,
      text,
      flag: found.insideCountry ? null : 'outside_country',
      departmentCode: found.departmentCode,
      municipalityPcode: found.municipalityPcode,
      districtName: found.districtName,
    };
  }
  if (input.municipalityPcode) {
    const department = deps.locator.departmentOfMunicipality(input.municipalityPcode);
    if (!department) throw new AppError('UNKNOWN_MUNICIPALITY', 400, { code: input.municipalityPcode });
    return {
      lon: null,
      lat: null,
      text,
      flag: 'approximate',
      departmentCode: department,
      municipalityPcode: input.municipalityPcode,
      districtName: null,
    };
  }
  if (text) {
    return {
      lon: null,
      lat: null,
      text,
      flag: 'unlocated',
      departmentCode: null,
      municipalityPcode: null,
      districtName: null,
    };
  }
  throw new AppError('LOCATION_REQUIRED', 400);
}

interface PlacedRow {
  id: string;
  lon: number | null;
  lat: number | null;
  created_at: Date;
}

/**
 * The duplicate-window search both intake (flagDuplicates) and the call-taker's warning use: open
 * incidents of `family` within `meters` of a point, created in the last `minutes`. The bounding box
 * narrows in SQL (indexed columns); the exact great-circle distance decides here. Nearest first.
 */
function nearbyFilter(
  eb: ExpressionBuilder<Database, 'incidents'>,
  point: { lon: number; lat: number },
  family: string,
  since: Date,
  meters: number,
) {
  const { dLat, dLon } = boundingDeltas(point.lat, meters);
  return eb.and([
    eb('incidents.family', '=', family),
    eb('incidents.status', 'in', OPEN_STATUSES),
    eb('incidents.created_at', '>=', since),
    eb('incidents.lat', '>=', point.lat - dLat),
    eb('incidents.lat', '<=', point.lat + dLat),
    eb('incidents.lon', '>=', point.lon - dLon),
    eb('incidents.lon', '<=', point.lon + dLon),
  ]);
}

function withinDistance<R extends PlacedRow>(
  rows: R[],
  point: { lon: number; lat: number },
  meters: number,
  now: Date,
): (R & { distanceM: number; minutesApart: number })[] {
  return rows
    .filter((r) => r.lon !== null && r.lat !== null)
    .map((r) => ({
      ...r,
      distanceM: Math.round(distanceMeters(point.lon, point.lat, r.lon!, r.lat!)),
      minutesApart: Math.round(Math.abs(now.getTime() - new Date(r.created_at).getTime()) / 60_000),
    }))
    .filter((r) => r.distanceM <= meters)
    .sort((a, b) => a.distanceM - b.distanceM);
}

export async function insertCaller(
  uow: UnitOfWork,
  incidentId: string,
  channel: string,
  caller: CallerInput | undefined,
  receivedAt: Date,
): Promise<void> {
  if (!caller || (!caller.phone && !caller.name && !caller.email && !caller.anonymous)) return;
  const anonymous = caller.anonymous === true;
  await uow.db
    .insertInto('incident_callers')
    .values({
      id: randomUUID(),
      incident_id: incidentId,
      phone: anonymous ? null : (caller.phone ?? null),
      name: anonymous ? null : (caller.name ?? null),
      email: anonymous ? null : (caller.email ?? null),
      anonymous,
      channel,
      received_at: receivedAt,
    })
    .execute();
}

export async function insertNote(
  uow: UnitOfWork,
  incidentId: string,
  kind: 'narrative' | 'note' | 'correction' | 'citizen' | 'field',
  text: string,
  corrects: string | null = null,
): Promise<string> {
  const id = randomUUID();
  await uow.db
    .insertInto('incident_notes')
    .values({
      id,
      incident_id: incidentId,
      at: uow.now,
      author_type: uow.ctx.actor.type,
      author_id: uow.ctx.actor.id,
      author_name: uow.ctx.actor.name,
      kind,
      text,
      corrects,
    })
    .execute();
  return id;
}

/** Reads an incident without access checks (callers check first). */
export async function readIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  id: string,
): Promise<Incident> {
  // Both reads at once (two pool connections): one round trip of latency instead of two.
  const [row, duplicates] = await Promise.all([
    findIncident(deps.db, id),
    duplicateCandidatesOf(deps.db, [id]),
  ]);
  if (!row) throw new AppError('INCIDENT_NOT_FOUND', 404);
  return toIncident(row, ctx.locale, duplicates);
}

export async function getIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  id: string,
): Promise<Incident> {
  const row = await findIncident(deps.db, id);
  if (!row) throw new AppError('INCIDENT_NOT_FOUND', 404);
  await assertCanAccessIncident(deps.db, principal, PERMISSIONS.read, row);
  return toIncident(row, ctx.locale, await duplicateCandidatesOf(deps.db, [id]));
}

/**
 * The incidents `principal` may read (incident.read): its territorial scopes, plus incidents assigned
 * to its units or to a unit whose crew it is on. `null` when national (no restriction).
 */
function readableBy(principal: Principal) {
  const scopes = principal.grants.get(PERMISSIONS.read) ?? [];
  if (scopes.some((s) => s.level === 'national')) return null;
  const departments = scopes.filter((s) => s.level === 'department').map((s) => s.code!);
  const municipalities = scopes.filter((s) => s.level === 'municipality').map((s) => s.code!);
  const units = unitScopes(principal, PERMISSIONS.read);
  return (eb: ExpressionBuilder<Database, 'incidents'>) => {
    const ors = [];
    if (departments.length) ors.push(eb('incidents.department_code', 'in', departments));
    if (municipalities.length) ors.push(eb('incidents.municipality_pcode', 'in', municipalities));
    if (units.length) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('incident_assignments')
            .select('incident_assignments.id')
            .whereRef('incident_assignments.incident_id', '=', 'incidents.id')
            .where('incident_assignments.unit_id', 'in', units)
            .where('incident_assignments.released_at', 'is', null),
        ),
      );
    }
    if (principal.kind === 'user' && principal.grants.has(PERMISSIONS.read)) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('incident_assignments as a')
            .innerJoin('unit_crew as c', 'c.unit_id', 'a.unit_id')
            .select('a.id')
            .whereRef('a.incident_id', '=', 'incidents.id')
            .where('a.released_at', 'is', null)
            .where('c.user_id', '=', principal.id)
            .where('c.to_at', 'is', null),
        ),
      );
    }
    return ors.length ? eb.or(ors) : eb.val(false);
  };
}

/**
 * Open incidents of a family near a point that the principal may read, within the duplicate window
 * (same rule as the intake's possible-duplicate flag): the call-taker's warning before creating.
 */
export async function findNearbyOpenIncidents(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  query: { lon: number; lat: number; family: string },
): Promise<NearbyIncident[]> {
  const family = (await resolveType(deps, familyOf(query.family))).code;
  const { meters, minutes } = deps.duplicateWindow;
  const now = new Date();
  const since = new Date(now.getTime() - minutes * 60_000);
  const point = { lon: query.lon, lat: query.lat };
  let q = selectIncidents(deps.db).where((eb) => nearbyFilter(eb, point, family, since, meters));
  const readable = readableBy(principal);
  if (readable) q = q.where((eb) => readable(eb));
  const rows = (await q.limit(50).execute()) as IncidentRow[];
  return withinDistance(rows, point, meters, now)
    .slice(0, 20)
    .map((r) => {
      const incident = toIncident(r, ctx.locale);
      return {
        id: incident.id,
        folio: incident.folio,
        status: incident.status,
        statusName: incident.statusName,
        typeCode: incident.typeCode,
        typeName: incident.typeName,
        family: incident.family,
        priority: incident.priority,
        summary: incident.summary,
        locationText: incident.location.text,
        lon: r.lon!,
        lat: r.lat!,
        createdAt: incident.times.createdAt,
        distanceM: r.distanceM,
        minutesAgo: r.minutesApart,
      };
    });
}

/** Lists incidents within the caller's territorial scopes (and units), newest first or by priority. */
export async function listIncidents(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  query: IncidentListQuery,
): Promise<{ items: Incident[]; total: number }> {
  let q = selectIncidents(deps.db);
  const readable = readableBy(principal);
  if (readable) q = q.where((eb) => readable(eb));
  if (query.status) {
    const statuses = query.status
      .split(',')
      .flatMap((s) => (s.trim() === 'open' ? OPEN_STATUSES : [s.trim()]));
    q = q.where('incidents.status', 'in', statuses);
  }
  if (query.priority) q = q.where('incidents.priority', '=', query.priority);
  if (query.department) q = q.where('incidents.department_code', '=', query.department);
  if (query.municipality) q = q.where('incidents.municipality_pcode', '=', query.municipality);
  if (query.type)
    q = q.where((eb) =>
      eb.or([eb('incidents.type_code', '=', query.type!), eb('incidents.family', '=', query.type!)]),
    );
  if (query.from) q = q.where('incidents.created_at', '>=', new Date(query.from));
  if (query.to) q = q.where('incidents.created_at', '<', new Date(query.to));

  const totalRow = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = (await q
    .orderBy(sql`incidents.priority NULLS LAST`)
    .orderBy('incidents.created_at', 'desc')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute()) as IncidentRow[];
  const duplicates = await duplicateCandidatesOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toIncident(r, ctx.locale, duplicates)), total: totalRow?.n ?? 0 };
}
