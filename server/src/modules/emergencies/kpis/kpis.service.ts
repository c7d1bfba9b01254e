import { type RawBuilder, sql } from 'kysely';
import type { Locale } from '../../../platform/context.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { OPEN_STATUSES } from '../catalog.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import {
  completeBuckets,
  type Dimension,
  dimensionSelect,
  type GroupValue,
  groupByClause,
  groupKey,
  groupOf,
  INCIDENT_DIMENSIONS,
  labelRows,
  parseGroupBy,
  sortByGroup,
} from './dimensions.js';
import {
  allOf,
  checkRequestedTerritory,
  type IncidentFilters,
  incidentFilterConditions,
  type KpiScope,
  kpiScope,
  periodCondition,
  territoryCondition,
} from './filters.js';
import type {
  EscalationRow,
  Escalations,
  EscalationsQuery,
  LateIncidentRow,
  LateIncidents,
  LateQuery,
  ResponseTimeRow,
  ResponseTimes,
  ResponseTimesQuery,
  Satisfaction,
  SatisfactionQuery,
  SatisfactionRow,
  Stat,
  VolumeRow,
  Volumes,
  VolumesQuery,
} from './kpis.schemas.js';
import './kpis.tables.js';
import { KPI_TIME_ZONE, type Period, resolvePeriod } from './period.js';

/** Who asks, in which language, at what time. */
export interface KpiCaller {
  principal: Principal;
  locale: Locale;
}

/** NENA-STA-020.1-2020: 90 % of calls answered within 15 s, 95 % within 20 s. */
export const NENA_TARGETS = [
  { seconds: 15, pct: 90 },
  { seconds: 20, pct: 95 },
] as const;

/** Most late incidents listed at once (the totals count them all). */
export const LATE_LIST_LIMIT = 2_000;
/** Most groups one KPI request may return (a finer grouping must narrow the period or filters). */
export const MAX_GROUPS = 20_000;

export const round1 = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Math.round(Number(v) * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : null);

interface Prepared {
  period: Period;
  scope: KpiScope;
  filters: IncidentFilters;
  dims: Dimension[];
  meta: {
    period: { from: string; to: string; timeZone: string };
    generatedAt: string;
    groupBy: string[];
    scope: KpiScope;
  };
}

function prepare(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: IncidentFilters & { from?: string | undefined; to?: string | undefined; by?: string | undefined },
  allowed: readonly Dimension[],
): Prepared {
  const now = deps.clock.now();
  const period = resolvePeriod(query, now);
  const dims = parseGroupBy(query.by, allowed);
  const scope = kpiScope(caller.principal);
  const filters: IncidentFilters = {
    department: query.department,
    municipality: query.municipality,
    priority: query.priority,
    type: query.type,
    channel: query.channel,
  };
  checkRequestedTerritory(scope, filters, deps.locator);
  return {
    period,
    scope,
    filters,
    dims,
    meta: {
      period: { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: KPI_TIME_ZONE },
      generatedAt: now.toISOString(),
      groupBy: dims,
      scope,
    },
  };
}

/** WHERE of incident-level rows under `alias`: territory, filters, created in the period. */
function incidentWhere(p: Prepared, alias: string, timeColumn = 'created_at'): RawBuilder<unknown> {
  return allOf([
    territoryCondition(p.scope, alias),
    ...incidentFilterConditions(p.filters, alias),
    periodCondition(alias, timeColumn, p.period.from, p.period.to),
  ]);
}

/** LIMIT one past the cap, so that an oversized grouping is refused rather than cut short. */
function rowLimit(p: Prepared): RawBuilder<unknown> {
  return p.dims.length ? sql`LIMIT ${sql.lit(MAX_GROUPS + 1)}` : sql``;
}

function checkGroups(rows: unknown[]): void {
  if (rows.length > MAX_GROUPS) throw new AppError('KPI_TOO_MANY_GROUPS', 400, { max: MAX_GROUPS });
}

function selectList(p: Prepared, alias: string, timeColumn: string, aggregates: RawBuilder<unknown>[]) {
  return sql.join([...dimensionSelect(p.dims, alias, timeColumn), ...aggregates]);
}

/** p50/p90 (percentile_cont) and count of a seconds column. */
function statColumns(expr: RawBuilder<unknown>, name: string): RawBuilder<unknown>[] {
  return [
    sql`count(${expr})::int AS ${sql.ref(`${name}_n`)}`,
    sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}) AS ${sql.ref(`${name}_p50`)}`,
    sql`percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expr}) AS ${sql.ref(`${name}_p90`)}`,
  ];
}

function statOf(row: Record<string, unknown> | undefined, name: string): Stat {
  return {
    n: Number(row?.[`${name}_n`] ?? 0),
    p50: round1(row?.[`${name}_p50`] as number | null),
    p90: round1(row?.[`${name}_p90`] as number | null),
  };
}

const EMPTY_STAT: Stat = { n: 0, p50: null, p90: null };

// ---------------------------------------------------------------------------------------------
// Volumes

export async function incidentVolumes(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: VolumesQuery,
): Promise<Volumes> {
  const p = prepare(deps, caller, query, INCIDENT_DIMENSIONS);
  const result = await sql<Record<string, unknown> & { n: number }>`
    SELECT ${selectList(p, 't', 'created_at', [sql`count(*)::int AS n`])}
    FROM kpi_incident_times t
    WHERE ${incidentWhere(p, 't')}
    ${groupByClause(p.dims)}
    ${rowLimit(p)}
  `.execute(deps.db);
  checkGroups(result.rows);
  const total = result.rows.reduce((sum, r) => sum + Number(r.n), 0);
  const rows = result.rows.map((r) => ({ group: groupOf(p.dims, r), count: Number(r.n) }));
  const complete = completeBuckets(p.dims, p.period, sortByGroup(p.dims, rows), (group) => ({
    group,
    count: 0,
  }));
  const labelled = await labelRows(deps.db, caller.locale, p.dims, complete);
  return {
    ...p.meta,
    total,
    rows: labelled.map((r): VolumeRow => ({ ...r, sharePct: pct(r.count, total) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Response times

/**
 * p50/p90 of each call-processing interval (docs/standards/nena-apco.md §4) per group, over the
 * incidents created in the period: answer T1−T0, call entry T2−T1, dispatch T3−T2, arrival T5−T2,
 * close T6−T2 per incident (first unit); turnout T4−T3 and travel T5−T4 per assigned unit (each
 * unit's own times, so a second unit's slow turnout is not hidden by the first one's).
 * Plus the NENA answer-time compliance: % answered within 15 s and 20 s and whether it falls below
 * 90 % / 95 %. Groups by hour/day give the per-interval compliance NENA asks for.
 */
export async function responseTimes(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: ResponseTimesQuery,
): Promise<ResponseTimes> {
  const p = prepare(deps, caller, query, INCIDENT_DIMENSIONS);
  const ref = (c: string) => sql.ref(`t.${c}`);
  const incidents = await sql<Record<string, unknown>>`
    SELECT ${selectList(p, 't', 'created_at', [
      sql`count(*)::int AS incidents`,
      ...statColumns(ref('answer_s'), 'answer'),
      ...statColumns(ref('call_entry_s'), 'call_entry'),
      ...statColumns(ref('dispatch_s'), 'dispatch'),
      ...statColumns(ref('arrive_s'), 'arrive'),
      ...statColumns(ref('close_s'), 'close'),
      ...NENA_TARGETS.map(
        (target) =>
          sql`count(*) FILTER (WHERE t.answer_s <= ${sql.lit(target.seconds)})::int AS ${sql.ref(`answer_le${target.seconds}`)}`,
      ),
    ])}
    FROM kpi_incident_times t
    WHERE ${incidentWhere(p, 't')}
    ${groupByClause(p.dims)}
    ${rowLimit(p)}
  `.execute(deps.db);
  const assignments = await sql<Record<string, unknown>>`
    SELECT ${selectList(p, 'a', 'created_at', [
      ...statColumns(sql.ref('a.turnout_s'), 'turnout'),
      ...statColumns(sql.ref('a.travel_s'), 'travel'),
    ])}
    FROM kpi_assignment_times a
    WHERE ${incidentWhere(p, 'a')}
    ${groupByClause(p.dims)}
    ${rowLimit(p)}
  `.execute(deps.db);
  checkGroups(incidents.rows);
  checkGroups(assignments.rows);
  const byGroup = new Map(assignments.rows.map((r) => [groupKey(p.dims, groupOf(p.dims, r)), r]));

  const rows = incidents.rows
    .map((r) => {
      const group = groupOf(p.dims, r);
      const a = byGroup.get(groupKey(p.dims, group));
      const answer = statOf(r, 'answer');
      const within15 = pct(Number(r.answer_le15 ?? 0), answer.n);
      const within20 = pct(Number(r.answer_le20 ?? 0), answer.n);
      return {
        group,
        incidents: Number(r.incidents),
        answer,
        callEntry: statOf(r, 'call_entry'),
        dispatch: statOf(r, 'dispatch'),
        turnout: statOf(a, 'turnout'),
        travel: statOf(a, 'travel'),
        arrive: statOf(r, 'arrive'),
        close: statOf(r, 'close'),
        answeredWithin15sPct: within15,
        answeredWithin20sPct: within20,
        belowTarget15s: within15 === null ? null : within15 < NENA_TARGETS[0].pct,
        belowTarget20s: within20 === null ? null : within20 < NENA_TARGETS[1].pct,
      };
    })
    // Without grouping, an empty period still gives its one row (count 0).
    .filter((r) => p.dims.length === 0 || r.incidents > 0);
  const complete = completeBuckets(p.dims, p.period, sortByGroup(p.dims, rows), (group) => ({
    group,
    incidents: 0,
    answer: EMPTY_STAT,
    callEntry: EMPTY_STAT,
    dispatch: EMPTY_STAT,
    turnout: EMPTY_STAT,
    travel: EMPTY_STAT,
    arrive: EMPTY_STAT,
    close: EMPTY_STAT,
    answeredWithin15sPct: null,
    answeredWithin20sPct: null,
    belowTarget15s: null,
    belowTarget20s: null,
  }));
  const labelled: ResponseTimeRow[] = await labelRows(deps.db, caller.locale, p.dims, complete);
  return { ...p.meta, rows: labelled };
}

// ---------------------------------------------------------------------------------------------
// Late incidents (now) and escalations (in the period)

/**
 * Open incidents that are past the response targets of their priority (table response_targets) at
 * this moment: no unit assigned after the dispatch target, or none on scene after the on-scene
 * target. A snapshot, so it takes no period; incidents without a priority have no target.
 */
export async function lateIncidents(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: LateQuery,
): Promise<LateIncidents> {
  const now = deps.clock.now();
  const scope = kpiScope(caller.principal);
  const filters: IncidentFilters = {
    department: query.department,
    municipality: query.municipality,
    priority: query.priority,
    type: query.type,
    channel: query.channel,
  };
  checkRequestedTerritory(scope, filters, deps.locator);
  const age = sql`extract(epoch FROM ${now}::timestamptz - i.created_at)`;
  const result = await sql<{
    id: string;
    folio: string;
    status: string;
    priority: number;
    type_code: string | null;
    department_code: string | null;
    municipality_pcode: string | null;
    created_at: Date;
    elapsed_s: number;
    dispatch_seconds: number;
    on_scene_seconds: number;
    dispatch_late: boolean;
    on_scene_late: boolean;
    escalated: boolean;
    total: number;
    late_dispatch: number;
    late_on_scene: number;
  }>`
    SELECT l.*,
           count(*) OVER ()::int AS total,
           count(*) FILTER (WHERE l.dispatch_late) OVER ()::int AS late_dispatch,
           count(*) FILTER (WHERE l.on_scene_late) OVER ()::int AS late_on_scene
    FROM (
      SELECT i.id, i.folio, i.status, i.priority, i.type_code, i.department_code, i.municipality_pcode,
             i.created_at, floor(${age})::int AS elapsed_s, t.dispatch_seconds, t.on_scene_seconds,
             (i.first_assigned_at IS NULL AND ${age} > t.dispatch_seconds) AS dispatch_late,
             (i.first_on_scene_at IS NULL AND ${age} > t.on_scene_seconds) AS on_scene_late,
             EXISTS (SELECT 1 FROM incident_escalations e WHERE e.incident_id = i.id) AS escalated
      FROM incidents i
      JOIN response_targets t ON t.priority = i.priority
      WHERE i.status IN (${sql.join(OPEN_STATUSES)})
        AND i.created_at <= ${now}
        AND ${allOf([territoryCondition(scope, 'i'), ...incidentFilterConditions(filters, 'i')])}
    ) l
    WHERE l.dispatch_late OR l.on_scene_late
    ORDER BY l.priority, l.created_at, l.id
    LIMIT ${sql.lit(LATE_LIST_LIMIT)}
  `.execute(deps.db);
  const first = result.rows[0];
  const total = Number(first?.total ?? 0);
  const rows = result.rows.map(
    (r): LateIncidentRow => ({
      incidentId: r.id,
      folio: r.folio,
      status: r.status,
      priority: Number(r.priority),
      typeCode: r.type_code,
      departmentCode: r.department_code,
      municipalityPcode: r.municipality_pcode,
      createdAt: new Date(r.created_at).toISOString(),
      elapsedSeconds: Number(r.elapsed_s),
      dispatchTargetSeconds: Number(r.dispatch_seconds),
      onSceneTargetSeconds: Number(r.on_scene_seconds),
      dispatchLateBySeconds: r.dispatch_late ? Number(r.elapsed_s) - Number(r.dispatch_seconds) : null,
      onSceneLateBySeconds: r.on_scene_late ? Number(r.elapsed_s) - Number(r.on_scene_seconds) : null,
      escalated: r.escalated,
    }),
  );
  return {
    asOf: now.toISOString(),
    generatedAt: now.toISOString(),
    scope,
    total,
    lateDispatch: Number(first?.late_dispatch ?? 0),
    lateOnScene: Number(first?.late_on_scene ?? 0),
    truncated: total > rows.length,
    rows,
  };
}

/** Escalations raised in the period (by the dispatch escalation check), acknowledged or not. */
export async function escalationStats(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: EscalationsQuery,
): Promise<Escalations> {
  const p = prepare(deps, caller, query, ['stage', ...INCIDENT_DIMENSIONS]);
  const result = await sql<Record<string, unknown>>`
    SELECT ${selectList(p, 'x', 'raised_at', [
      sql`count(*)::int AS raised`,
      sql`count(x.acknowledged_at)::int AS acknowledged`,
      ...statColumns(sql`x.late_by_s::double precision`, 'late'),
      ...statColumns(sql`extract(epoch FROM x.acknowledged_at - x.raised_at)::double precision`, 'ack'),
    ])}
    FROM (
      SELECT e.stage, e.raised_at, e.late_by_s, e.acknowledged_at, i.channel, i.type_code, i.family,
             i.priority, i.status, i.department_code, i.municipality_pcode
      FROM incident_escalations e
      JOIN incidents i ON i.id = e.incident_id
    ) x
    WHERE ${incidentWhere(p, 'x', 'raised_at')}
    ${groupByClause(p.dims)}
    ${rowLimit(p)}
  `.execute(deps.db);
  checkGroups(result.rows);
  const rows = result.rows.map((r) => {
    const raised = Number(r.raised);
    const acknowledged = Number(r.acknowledged);
    return {
      group: groupOf(p.dims, r),
      raised,
      acknowledged,
      pending: raised - acknowledged,
      lateBy: statOf(r, 'late'),
      acknowledgeTime: statOf(r, 'ack'),
    };
  });
  const complete = completeBuckets(p.dims, p.period, sortByGroup(p.dims, rows), (group) => ({
    group,
    raised: 0,
    acknowledged: 0,
    pending: 0,
    lateBy: EMPTY_STAT,
    acknowledgeTime: EMPTY_STAT,
  }));
  const labelled: EscalationRow[] = await labelRows(deps.db, caller.locale, p.dims, complete);
  return { ...p.meta, rows: labelled };
}

// ---------------------------------------------------------------------------------------------
// Citizen satisfaction (citizen/ surveys, migration 0004)

/**
 * Satisfaction of citizens who reported with a tracking code (web, messaging, Open311), over the
 * incidents created in the period: a case is `eligible` once closed (the survey opens then); the
 * response rate is surveys / eligible; the average and the distribution are of the 1–5 ratings.
 */
export async function satisfaction(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: SatisfactionQuery,
): Promise<Satisfaction> {
  const p = prepare(
    deps,
    caller,
    query,
    INCIDENT_DIMENSIONS.filter((d) => d !== 'status'),
  );
  const result = await sql<Record<string, unknown>>`
    SELECT ${selectList(p, 't', 'created_at', [
      sql`count(*) FILTER (WHERE t.closed_at IS NOT NULL OR s.rating IS NOT NULL)::int AS eligible`,
      sql`count(s.rating)::int AS surveys`,
      sql`avg(s.rating)::double precision AS average`,
      ...[1, 2, 3, 4, 5].map(
        (n) => sql`count(*) FILTER (WHERE s.rating = ${sql.lit(n)})::int AS ${sql.ref(`r${n}`)}`,
      ),
    ])}
    FROM kpi_incident_times t
    LEFT JOIN citizen_surveys s ON s.incident_id = t.id
    WHERE t.citizen_trackable AND ${incidentWhere(p, 't')}
    ${groupByClause(p.dims)}
    ${rowLimit(p)}
  `.execute(deps.db);
  checkGroups(result.rows);
  const rows = result.rows.map((r) => {
    const eligible = Number(r.eligible);
    const surveys = Number(r.surveys);
    return {
      group: groupOf(p.dims, r),
      eligible,
      surveys,
      responseRatePct: pct(surveys, eligible),
      average: surveys > 0 ? Math.round(Number(r.average) * 100) / 100 : null,
      distribution: {
        '1': Number(r.r1),
        '2': Number(r.r2),
        '3': Number(r.r3),
        '4': Number(r.r4),
        '5': Number(r.r5),
      },
    };
  });
  const complete = completeBuckets(p.dims, p.period, sortByGroup(p.dims, rows), (group) => ({
    group,
    eligible: 0,
    surveys: 0,
    responseRatePct: null,
    average: null,
    distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
  }));
  const labelled: SatisfactionRow[] = await labelRows(deps.db, caller.locale, p.dims, complete);
  return { ...p.meta, rows: labelled };
}

export type { GroupValue };
export { prepare as prepareKpiRequest };
