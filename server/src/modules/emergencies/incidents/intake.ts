import { randomUUID } from 'node:crypto';
import { type Compilable, sql } from 'kysely';
import type { Histogram } from 'prom-client';
import type { Actor, RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { familyOf, OPEN_STATUSES, STATUSES } from '../catalog.js';
import { boundingDeltas, distanceMeters } from '../geo-math.js';
import { formatFolio, localYear } from './folio.js';
import type { EmergenciesDeps } from './incidents.deps.js';
import { toIncident } from './incidents.mapper.js';
import type { DuplicateCandidateRow } from './incidents.repo.js';
import type { Incident } from './incidents.schemas.js';
import {
  checkCallTimes,
  decidePriority,
  type NewIncident,
  type ResolvedType,
  resolveLocation,
  resolveType,
} from './incidents.service.js';
import type { IncidentRecord } from './incidents.tables.js';
import { incidentEventScope } from './transitions.js';
import { incidentTypeCache } from './type-cache.js';

/**
 * Intake in two steps so that concurrent intakes can share one transaction (group commit):
 * `prepareIncident` validates one request and resolves its type, priority, call times and place
 * (nothing written); `writeIncidents` writes any number of prepared incidents with one statement
 * per table — duplicates search, callers, narratives, timeline, duplicate flags, one folio range,
 * incidents, then the audit entries and events of every request. Every channel goes through both.
 */
export interface PreparedIncident {
  id: string;
  ctx: RequestContext;
  input: NewIncident;
  type: ResolvedType | null;
  family: string | null;
  decided: { priority: number; suggested: number } | null;
  times: { received: Date | null; answered: Date | null };
  location: ReturnType<typeof resolveLocation>;
  narrative: string;
  status: 'classified' | 'received';
  /** The reason recorded when the priority differs from the suggested one. */
  priorityReason: string | null;
}

/** Validates one intake and resolves what it needs from the catalogue; writes nothing. */
export async function prepareIncident(
  deps: EmergenciesDeps,
  types: { resolve(code: string): Promise<ResolvedType> },
  now: Date,
  ctx: RequestContext,
  input: NewIncident,
): Promise<PreparedIncident> {
  const type = input.typeCode ? await types.resolve(input.typeCode) : null;
  const decided = type
    ? decidePriority(type, input.answers ?? {}, input.priority, input.priorityReason)
    : null;
  const times = checkCallTimes(now, input.callReceivedAt, input.callAnsweredAt);
  const location = resolveLocation(deps, input.location);
  const narrative = input.narrative.trim();
  if (!narrative) throw new AppError('NARRATIVE_REQUIRED', 400);
  return {
    id: randomUUID(),
    ctx,
    input,
    type,
    family: type ? familyOf(type.code) : null,
    decided,
    times,
    location,
    narrative,
    status: type && input.channel === 'call' ? 'classified' : 'received',
    priorityReason:
      decided && decided.priority !== decided.suggested ? (input.priorityReason?.trim() ?? null) : null,
  };
}

/** A possible duplicate as stored, with the candidate's folio, status and type for the response. */
type DuplicateRow = Omit<DuplicateCandidateRow, 'incident_id'>;

/** What the writer stored for one prepared incident. */
export interface WrittenIncident {
  row: IncidentRecord;
  duplicates: DuplicateCandidateRow[];
}

/**
 * Possible duplicates of each prepared incident: open incidents of the same family within the
 * duplicate window, found for the whole batch in one statement (bounding box in SQL, exact distance
 * here), plus the earlier incidents of the same batch that match (as if they had been written first).
 */
async function findDuplicatesOfBatch(
  deps: EmergenciesDeps,
  uow: UnitOfWork,
  items: PreparedIncident[],
): Promise<DuplicateRow[][]> {
  const found: DuplicateRow[][] = items.map(() => []);
  const { meters, minutes } = deps.duplicateWindow;
  const placed = items
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => p.family !== null && p.location.lon !== null && p.location.lat !== null);
  if (placed.length === 0) return found;
  const since = new Date(uow.now.getTime() - minutes * 60_000);
  const boxes = placed.map(({ p }) => boundingDeltas(p.location.lat!, meters));
  const rows = await sql<{
    idx: number;
    id: string;
    lon: number;
    lat: number;
    created_at: Date;
    folio: string;
    status: string;
    type_code: string | null;
  }>`
    SELECT p.idx, i.id, i.lon, i.lat, i.created_at, i.folio, i.status, i.type_code
    FROM unnest(
      ${placed.map(({ index }) => index)}::int[],
      ${placed.map(({ p }) => p.location.lon)}::float8[],
      ${placed.map(({ p }) => p.location.lat)}::float8[],
      ${placed.map(({ p }) => p.family)}::text[],
      ${boxes.map((b) => b.dLon)}::float8[],
      ${boxes.map((b) => b.dLat)}::float8[]
    ) AS p(idx, lon, lat, family, dlon, dlat)
    CROSS JOIN LATERAL (
      SELECT id, lon, lat, created_at, folio, status, type_code FROM incidents
      WHERE incidents.family = p.family
        AND incidents.status = ANY(${OPEN_STATUSES}::text[])
        AND incidents.created_at >= ${since}
        AND incidents.lat BETWEEN p.lat - p.dlat AND p.lat + p.dlat
        AND incidents.lon BETWEEN p.lon - p.dlon AND p.lon + p.dlon
      LIMIT 50
    ) AS i`.execute(uow.db);
  for (const r of rows.rows) {
    const p = items[r.idx]!;
    const distance = distanceMeters(p.location.lon!, p.location.lat!, r.lon, r.lat);
    if (distance > meters) continue;
    found[r.idx]!.push({
      candidate_id: r.id,
      distance_m: Math.round(distance),
      minutes_apart: Math.round(Math.abs(uow.now.getTime() - new Date(r.created_at).getTime()) / 60_000),
      folio: r.folio,
      status: r.status,
      type_code: r.type_code,
    });
  }
  for (let j = 0; j < placed.length; j++) {
    const later = placed[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = placed[i]!;
      if (earlier.p.family !== later.p.family) continue;
      const distance = distanceMeters(
        later.p.location.lon!,
        later.p.location.lat!,
        earlier.p.location.lon!,
        earlier.p.location.lat!,
      );
      if (distance <= meters) {
        // The earlier one's folio is filled in once the group's folio range is taken.
        found[later.index]!.push({
          candidate_id: earlier.p.id,
          distance_m: Math.round(distance),
          minutes_apart: 0,
          folio: '',
          status: earlier.p.status,
          type_code: earlier.p.type?.code ?? null,
        });
      }
    }
  }
  for (const list of found) list.sort((a, b) => a.distance_m - b.distance_m);
  return found;
}

function actorColumns(actor: Actor) {
  return { actor_type: actor.type, actor_id: actor.id, actor_name: actor.name };
}

/**
 * Writes prepared incidents in the caller's unit of work, one statement per table. The folio range
 * is taken last but one (the counter row stays locked until commit, so concurrent writers wait for
 * one statement and the audit append, not for the whole batch).
 */
export async function writeIncidents(
  deps: EmergenciesDeps,
  uow: UnitOfWork,
  items: PreparedIncident[],
): Promise<WrittenIncident[]> {
  if (items.length === 0) return [];
  const now = uow.now;
  const duplicates = await findDuplicatesOfBatch(deps, uow, items);

  // The rows that hang off the new incidents go in one statement (data-modifying CTEs); their
  // references to the incidents are checked at commit (migration 0008).
  const inserts: Compilable[] = [];
  const callers = items.flatMap((p) => {
    const caller = p.input.caller;
    if (!caller || (!caller.phone && !caller.name && !caller.email && !caller.anonymous)) return [];
    const anonymous = caller.anonymous === true;
    return [
      {
        id: randomUUID(),
        incident_id: p.id,
        phone: anonymous ? null : (caller.phone ?? null),
        name: anonymous ? null : (caller.name ?? null),
        email: anonymous ? null : (caller.email ?? null),
        anonymous,
        channel: p.input.channel,
        received_at: p.times.received ?? now,
      },
    ];
  });
  if (callers.length > 0) inserts.push(uow.db.insertInto('incident_callers').values(callers));
  inserts.push(
    uow.db.insertInto('incident_notes').values(
      items.map((p) => ({
        id: randomUUID(),
        incident_id: p.id,
        at: now,
        author_type: p.ctx.actor.type,
        author_id: p.ctx.actor.id,
        author_name: p.ctx.actor.name,
        kind: 'narrative' as const,
        text: p.narrative,
        corrects: null,
      })),
    ),
  );
  inserts.push(
    uow.db.insertInto('incident_timeline').values(
      items.flatMap((p, i) => {
        const created = {
          id: randomUUID(),
          incident_id: p.id,
          at: now,
          kind: 'created',
          from_status: null,
          to_status: p.status,
          ...actorColumns(p.ctx.actor),
          reason: p.priorityReason,
          data: JSON.stringify({
            channel: p.input.channel,
            typeCode: p.type?.code ?? null,
            priority: p.decided?.priority ?? null,
            suggestedPriority: p.decided?.suggested ?? null,
          }),
        };
        const flagged = duplicates[i]!;
        if (flagged.length === 0) return [created];
        return [
          created,
          {
            ...created,
            id: randomUUID(),
            kind: 'possible_duplicates',
            to_status: null,
            reason: null,
            data: JSON.stringify({ candidates: flagged.map((d) => d.candidate_id) }),
          },
        ];
      }),
    ),
  );
  const flags = items.flatMap((p, i) =>
    duplicates[i]!.map((d) => ({
      incident_id: p.id,
      candidate_id: d.candidate_id,
      distance_m: d.distance_m,
      minutes_apart: d.minutes_apart,
      flagged_at: now,
    })),
  );
  if (flags.length > 0) inserts.push(uow.db.insertInto('incident_duplicate_candidates').values(flags));
  await executeTogether(uow, inserts);

  const folios = await nextFolios(uow, items.length);
  const inserted = await uow.db
    .insertInto('incidents')
    .values(
      items.map((p, i) => ({
        id: p.id,
        folio: folios[i]!,
        channel: p.input.channel,
        type_code: p.type?.code ?? null,
        family: p.family,
        priority: p.decided?.priority ?? null,
        suggested_priority: p.decided?.suggested ?? null,
        status: p.status,
        summary: (p.input.summary?.trim() || p.narrative).slice(0, 200),
        answers: JSON.stringify(p.input.answers ?? {}),
        lon: p.location.lon,
        lat: p.location.lat,
        location_text: p.location.text,
        location_flag: p.location.flag,
        department_code: p.location.departmentCode,
        municipality_pcode: p.location.municipalityPcode,
        district_name: p.location.districtName,
        call_received_at: p.times.received,
        call_answered_at: p.times.answered,
        created_at: now,
        first_assigned_at: null,
        first_en_route_at: null,
        first_on_scene_at: null,
        cleared_at: null,
        closed_at: null,
        cancelled_at: null,
        closure_code: null,
        closure_summary: null,
        duplicate_of: null,
        external_source: p.input.external?.source ?? null,
        external_ref: p.input.external?.ref ?? null,
        tracking_code: p.input.tracking?.code ?? null,
        tracking_secret_hash: p.input.tracking?.secretHash ?? null,
        created_by_type: p.ctx.actor.type,
        created_by: p.ctx.actor.id,
        updated_at: now,
        version: 1,
      })),
    )
    .returningAll()
    .execute();
  const byId = new Map(inserted.map((row) => [row.id, row]));
  const folioOf = new Map(items.map((p, i) => [p.id, folios[i]!]));

  return items.map((p) => {
    const row = byId.get(p.id)!;
    uow.audit({
      action: 'incident.created',
      entityType: 'incident',
      entityId: p.id,
      after: {
        folio: row.folio,
        channel: p.input.channel,
        status: p.status,
        typeCode: row.type_code,
        priority: row.priority,
        suggestedPriority: row.suggested_priority,
        departmentCode: row.department_code,
        municipalityPcode: row.municipality_pcode,
        locationFlag: row.location_flag,
        callerProvided: !!p.input.caller,
      },
      reason: p.priorityReason,
      actor: p.ctx.actor,
      origin: { requestId: p.ctx.requestId, ip: p.ctx.ip },
    });
    uow.emit({
      type: 'incident.created',
      entityType: 'incident',
      entityId: p.id,
      scope: incidentEventScope(row),
      actor: { type: p.ctx.actor.type, id: p.ctx.actor.id },
      payload: {
        id: p.id,
        folio: row.folio,
        channel: p.input.channel,
        status: p.status,
        typeCode: row.type_code,
        priority: row.priority,
        lon: row.lon,
        lat: row.lat,
        departmentCode: row.department_code,
        municipalityPcode: row.municipality_pcode,
        summary: row.summary,
        createdAt: row.created_at.toISOString(),
      },
    });
    return {
      row,
      duplicates: duplicates[items.indexOf(p)]!.map((d) => ({
        ...d,
        incident_id: p.id,
        folio: d.folio || folioOf.get(d.candidate_id)!,
      })),
    };
  });
}

/** Runs insert statements as one: all but the last as data-modifying CTEs of the last. */
async function executeTogether(uow: UnitOfWork, queries: Compilable[]): Promise<void> {
  if (queries.length === 0) return;
  const last = queries[queries.length - 1]!;
  if (queries.length === 1) {
    await sql`${last}`.execute(uow.db);
    return;
  }
  const ctes = queries.slice(0, -1).map((q, i) => sql`${sql.raw(`w${i}`)} AS (${q})`);
  await sql`WITH ${sql.join(ctes)} ${last}`.execute(uow.db);
}

/** `count` consecutive folios of the current local year; the counter row lock serialises writers. */
async function nextFolios(uow: UnitOfWork, count: number): Promise<string[]> {
  const year = localYear(uow.now);
  const row = await uow.db
    .insertInto('incident_folio_counters')
    .values({ year, last: count })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({ last: eb('incident_folio_counters.last', '+', count) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return Array.from({ length: count }, (_, i) => formatFolio(year, row.last - count + 1 + i));
}

/** Creates an incident from any channel inside the caller's unit of work (with its timeline, audit and event). */
export async function createIncidentInTx(
  deps: EmergenciesDeps,
  uow: UnitOfWork,
  input: NewIncident,
): Promise<IncidentRecord> {
  const types = { resolve: (code: string) => resolveType(uow, code) };
  const prepared = await prepareIncident(deps, types, uow.now, uow.ctx, input);
  const [written] = await writeIncidents(deps, uow, [prepared]);
  return written!.row;
}

interface PendingIntake {
  prepared: PreparedIncident;
  resolve: (written: WrittenIncident) => void;
  reject: (error: unknown) => void;
}

/** Largest group one transaction writes (bounded statement size and lock time). */
const MAX_GROUP = 64;
/**
 * Groups written at the same time: the next group does its reads and hanging rows while the
 * previous one holds the folio and audit locks until its commit.
 */
const MAX_WRITERS = 2;

/**
 * Group commit for intakes: while a transaction writes, the intakes that arrive queue up and are
 * written together by the next one. At low rates every intake commits alone at once (no added
 * delay); under load each commit, folio range and audit append serve many incidents. If a group's
 * transaction fails, each of its intakes is retried alone so one bad row cannot fail the others.
 */
export class IntakeCommitter {
  private readonly queue: PendingIntake[] = [];
  private writers = 0;
  private readonly maxWriters: number;
  private readonly groupSizes: Histogram;

  constructor(
    private readonly deps: EmergenciesDeps,
    options: { maxWriters?: number } = {},
  ) {
    this.maxWriters = options.maxWriters ?? MAX_WRITERS;
    this.groupSizes = deps.metrics.histogram({
      name: 'centinela_intake_group_size',
      help: 'Incidents written per call-taker intake transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64],
    });
  }

  submit(prepared: PreparedIncident): Promise<WrittenIncident> {
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject });
      if (this.writers < this.maxWriters) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writers += 1;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          const written = await this.write(group);
          this.groupSizes.observe(group.length);
          for (const [i, pending] of group.entries()) pending.resolve(written[i]!);
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const pending of group) await this.writeAlone(pending);
        }
      }
    } finally {
      this.writers -= 1;
    }
  }

  private write(group: PendingIntake[]): Promise<WrittenIncident[]> {
    return this.deps.tx(group[0]!.prepared.ctx, (uow) =>
      writeIncidents(
        this.deps,
        uow,
        group.map((p) => p.prepared),
      ),
    );
  }

  private async writeAlone(pending: PendingIntake): Promise<void> {
    try {
      const [written] = await this.write([pending]);
      pending.resolve(written!);
    } catch (error) {
      pending.reject(error);
    }
  }
}

const committers = new WeakMap<object, IntakeCommitter>();

/** The app's intake committer (one per database handle). */
export function intakeCommitter(deps: EmergenciesDeps): IntakeCommitter {
  let committer = committers.get(deps.db);
  if (!committer) {
    committer = new IntakeCommitter(deps);
    committers.set(deps.db, committer);
  }
  return committer;
}

/** Creates an incident from the call-taker's request: validated at once, written by the group commit. */
export async function createIncident(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  input: NewIncident,
): Promise<Incident> {
  const prepared = await prepareIncident(deps, incidentTypeCache(deps), deps.clock.now(), ctx, input);
  const { row, duplicates } = await intakeCommitter(deps).submit(prepared);
  // Answered from what was written (no read back): names from the catalogue.
  const status = STATUSES.find((s) => s.code === row.status)!;
  return toIncident(
    {
      ...row,
      type_name_es: prepared.type?.nameEs ?? null,
      type_name_en: prepared.type?.nameEn ?? null,
      status_name_es: status.nameEs,
      status_name_en: status.nameEn,
    },
    ctx.locale,
    duplicates,
  );
}
