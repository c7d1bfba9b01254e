import { sql } from 'kysely';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { labelRows } from './dimensions.js';
import { allOf, territoryCondition, territoryFilters } from './filters.js';
import type { Utilisation, UtilisationQuery, UtilisationRow } from './kpis.schemas.js';
import { type KpiCaller, prepareKpiRequest, round1 } from './kpis.service.js';

interface UnitSeconds {
  id: string;
  call_sign: string;
  department_code: string;
  window_s: number;
  assigned_s: number;
  en_route_s: number;
  on_scene_s: number;
  out_of_service_s: number;
}

/**
 * Share of the period each unit spent assigned / en route / on scene, available, or out of service.
 *
 * Method. The observed window of a unit is [max(from, first known status), min(to, now)).
 * - Busy time comes from incident_assignments, the dispatch record with one timestamp per phase:
 *   assigned = assigned_at → first of (en_route_at, on_scene_at, cleared_at, released_at),
 *   en route = en_route_at → first of (on_scene_at, cleared_at, released_at),
 *   on scene = on_scene_at → first of (cleared_at, released_at);
 *   a phase still running ends at the end of the window. A unit holds at most one active assignment
 *   (unique index), so its phases never overlap.
 * - Out of service comes from unit_status_log (migration 0006, written by a trigger on every status
 *   change): each 'out_of_service' entry lasts until the unit's next entry.
 * - Available is the rest of the window (a unit can only go out of service from available, so the
 *   two sources do not overlap).
 * Every interval is clipped to the window before it is summed. Grouping by department adds the
 * seconds of its units, so its shares are weighted by how long each unit was observed.
 */
export async function unitUtilisation(
  deps: EmergenciesDeps,
  caller: KpiCaller,
  query: UtilisationQuery,
): Promise<Utilisation> {
  // Units have a territory but no type, priority or channel: only the territory filters apply.
  const p = prepareKpiRequest(
    deps,
    caller,
    { from: query.from, to: query.to, department: query.department, municipality: query.municipality },
    [],
  );
  const now = deps.clock.now();
  const end = new Date(Math.min(p.period.to.getTime(), now.getTime()));
  const from = p.period.from;
  const seconds = (phase: string) =>
    sql`coalesce(sum(greatest(0, extract(epoch FROM least(x.e, u.we) - greatest(x.s, u.ws))))
         FILTER (WHERE x.phase = ${phase}), 0)::double precision`;
  const result = await sql<UnitSeconds>`
    WITH u AS (
      SELECT un.id, un.call_sign, un.department_code,
             greatest(${from}::timestamptz, f.first_at) AS ws, ${end}::timestamptz AS we
      FROM units un
      JOIN (SELECT unit_id, min(at) AS first_at FROM unit_status_log GROUP BY unit_id) f ON f.unit_id = un.id
      WHERE ${allOf([territoryCondition(p.scope, 'un'), ...territoryFilters(p.filters, 'un')])}
    ),
    x AS (
      SELECT a.unit_id, 'assigned' AS phase, a.assigned_at AS s,
             coalesce(a.en_route_at, a.on_scene_at, a.cleared_at, a.released_at, ${end}::timestamptz) AS e
      FROM incident_assignments a
      UNION ALL
      SELECT a.unit_id, 'en_route', a.en_route_at,
             coalesce(a.on_scene_at, a.cleared_at, a.released_at, ${end}::timestamptz)
      FROM incident_assignments a WHERE a.en_route_at IS NOT NULL
      UNION ALL
      SELECT a.unit_id, 'on_scene', a.on_scene_at, coalesce(a.cleared_at, a.released_at, ${end}::timestamptz)
      FROM incident_assignments a WHERE a.on_scene_at IS NOT NULL
      UNION ALL
      SELECT l.unit_id, 'out_of_service', l.at, l.e
      FROM (
        SELECT unit_id, status, at,
               coalesce(lead(at) OVER (PARTITION BY unit_id ORDER BY at, id), ${end}::timestamptz) AS e
        FROM unit_status_log
      ) l
      WHERE l.status = 'out_of_service'
    )
    SELECT u.id, u.call_sign, u.department_code,
           extract(epoch FROM u.we - u.ws)::double precision AS window_s,
           ${seconds('assigned')} AS assigned_s,
           ${seconds('en_route')} AS en_route_s,
           ${seconds('on_scene')} AS on_scene_s,
           ${seconds('out_of_service')} AS out_of_service_s
    FROM u
    LEFT JOIN x ON x.unit_id = u.id AND x.s < u.we AND x.e > u.ws
    WHERE u.ws < u.we
    GROUP BY u.id, u.call_sign, u.department_code, u.ws, u.we
    ORDER BY u.call_sign
  `.execute(deps.db);

  const byDepartment = query.by === 'department';
  const groups = new Map<string, { group: Record<string, string>; units: UnitSeconds[] }>();
  for (const r of result.rows) {
    const key = byDepartment ? r.department_code : r.id;
    const group: Record<string, string> = byDepartment
      ? { department: r.department_code }
      : { unit: r.id, department: r.department_code };
    const entry = groups.get(key) ?? { group, units: [] };
    entry.units.push(r);
    groups.set(key, entry);
  }
  const ordered = [...groups.values()];
  if (byDepartment) ordered.sort((a, b) => (a.group.department! < b.group.department! ? -1 : 1));
  const rows = ordered.map(({ group, units }) => {
    const sum = (k: keyof UnitSeconds) => units.reduce((s, u) => s + Number(u[k]), 0);
    const window = sum('window_s');
    const assigned = sum('assigned_s');
    const enRoute = sum('en_route_s');
    const onScene = sum('on_scene_s');
    const outOfService = sum('out_of_service_s');
    const available = Math.max(0, window - assigned - enRoute - onScene - outOfService);
    const share = (v: number) => (window > 0 ? round1((100 * v) / window) : null);
    return {
      group,
      callSign: byDepartment ? null : units[0]!.call_sign,
      units: units.length,
      windowSeconds: Math.round(window),
      assignedSeconds: Math.round(assigned),
      enRouteSeconds: Math.round(enRoute),
      onSceneSeconds: Math.round(onScene),
      availableSeconds: Math.round(available),
      outOfServiceSeconds: Math.round(outOfService),
      assignedPct: share(assigned),
      enRoutePct: share(enRoute),
      onScenePct: share(onScene),
      busyPct: share(assigned + enRoute + onScene),
      availablePct: share(available),
      outOfServicePct: share(outOfService),
    };
  });
  const labelled = await labelRows(deps.db, caller.locale, ['department'], rows);
  return {
    ...p.meta,
    groupBy: [byDepartment ? 'department' : 'unit'],
    rows: labelled.map(
      ({ callSign, ...r }): UtilisationRow => ({
        ...r,
        labels: byDepartment ? r.labels : { ...r.labels, unit: callSign },
      }),
    ),
  };
}
