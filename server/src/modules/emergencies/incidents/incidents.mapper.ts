import type { Locale } from '../../../platform/context.js';
import type { DuplicateCandidateRow, IncidentRow } from './incidents.repo.js';
import type { Incident } from './incidents.schemas.js';
import { allowedActions } from './lifecycle.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toIncident(
  row: IncidentRow,
  locale: Locale,
  duplicates: DuplicateCandidateRow[] = [],
): Incident {
  return {
    id: row.id,
    folio: row.folio,
    channel: row.channel,
    status: row.status,
    statusName: locale === 'en' ? row.status_name_en : row.status_name_es,
    typeCode: row.type_code,
    typeName: locale === 'en' ? row.type_name_en : row.type_name_es,
    family: row.family,
    priority: row.priority,
    suggestedPriority: row.suggested_priority,
    summary: row.summary,
    answers: (row.answers ?? {}) as unknown as Record<string, boolean>,
    location: {
      lon: row.lon,
      lat: row.lat,
      text: row.location_text,
      flag: row.location_flag,
      departmentCode: row.department_code,
      municipalityPcode: row.municipality_pcode,
      districtName: row.district_name,
    },
    times: {
      callReceivedAt: iso(row.call_received_at),
      callAnsweredAt: iso(row.call_answered_at),
      createdAt: iso(row.created_at)!,
      firstAssignedAt: iso(row.first_assigned_at),
      firstEnRouteAt: iso(row.first_en_route_at),
      firstOnSceneAt: iso(row.first_on_scene_at),
      clearedAt: iso(row.cleared_at),
      closedAt: iso(row.closed_at),
      cancelledAt: iso(row.cancelled_at),
    },
    closureCode: row.closure_code,
    closureSummary: row.closure_summary,
    duplicateOf: row.duplicate_of,
    possibleDuplicates: duplicates
      .filter((d) => d.incident_id === row.id)
      .map((d) => ({
        id: d.candidate_id,
        folio: d.folio,
        status: d.status,
        typeCode: d.type_code,
        distanceM: d.distance_m,
        minutesApart: d.minutes_apart,
      })),
    allowedActions: allowedActions(row.status),
    version: row.version,
    updatedAt: iso(row.updated_at)!,
  };
}
