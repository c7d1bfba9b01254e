import type { Selectable, Updateable } from 'kysely';
import type { Json } from '../../../platform/db/schema.js';

export interface IncidentTypesTable {
  code: string;
  parent_code: string | null;
  family: string;
  name_es: string;
  name_en: string;
  default_priority: number;
  referral: 'fire' | 'medical' | null;
  questions: Json<unknown[]>;
  keywords: string;
  active: boolean;
  sort_order: number;
  /** Set when an administrator changed the type through the API; the seed then leaves it alone. */
  updated_at: Date | null;
  updated_by: string | null;
}

export interface IncidentStatusesTable {
  code: string;
  name_es: string;
  name_en: string;
  is_open: boolean;
  public_es: string;
  public_en: string;
}

export interface IncidentTransitionsTable {
  action: string;
  from_status: string;
  to_status: string;
  requires_reason: boolean;
}

export interface ClosureCodesTable {
  code: string;
  name_es: string;
  name_en: string;
  active: boolean;
}

export interface IncidentFolioCountersTable {
  year: number;
  last: number;
}

export type LocationFlag = 'outside_country' | 'approximate' | 'unlocated';

export interface IncidentsTable {
  id: string;
  folio: string;
  channel: string;
  type_code: string | null;
  family: string | null;
  priority: number | null;
  suggested_priority: number | null;
  status: string;
  summary: string;
  answers: Json<Record<string, boolean>>;
  lon: number | null;
  lat: number | null;
  location_text: string | null;
  location_flag: LocationFlag | null;
  department_code: string | null;
  municipality_pcode: string | null;
  district_name: string | null;
  call_received_at: Date | null;
  call_answered_at: Date | null;
  created_at: Date;
  first_assigned_at: Date | null;
  first_en_route_at: Date | null;
  first_on_scene_at: Date | null;
  cleared_at: Date | null;
  closed_at: Date | null;
  cancelled_at: Date | null;
  closure_code: string | null;
  closure_summary: string | null;
  duplicate_of: string | null;
  external_source: string | null;
  external_ref: string | null;
  tracking_code: string | null;
  tracking_secret_hash: string | null;
  created_by_type: string;
  created_by: string | null;
  updated_at: Date;
  version: number;
}

/** An incident row as read from the database. */
export type IncidentRecord = Selectable<IncidentsTable>;
export type IncidentUpdate = Updateable<IncidentsTable>;

export interface IncidentCallersTable {
  id: string;
  incident_id: string;
  phone: string | null;
  name: string | null;
  email: string | null;
  anonymous: boolean;
  channel: string;
  received_at: Date;
}

export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  at: Date;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
}

export interface IncidentNotesTable {
  id: string;
  incident_id: string;
  at: Date;
  author_type: string;
  author_id: string | null;
  author_name: string | null;
  kind: 'narrative' | 'note' | 'correction' | 'citizen' | 'field';
  text: string;
  corrects: string | null;
}

export interface IncidentDuplicateCandidatesTable {
  incident_id: string;
  candidate_id: string;
  distance_m: number;
  minutes_apart: number;
  flagged_at: Date;
}

export interface IncidentLinksTable {
  incident_id: string;
  linked_id: string;
  kind: 'duplicate_of' | 'related';
  at: Date;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    incident_types: IncidentTypesTable;
    incident_statuses: IncidentStatusesTable;
    incident_transitions: IncidentTransitionsTable;
    closure_codes: ClosureCodesTable;
    incident_folio_counters: IncidentFolioCountersTable;
    incidents: IncidentsTable;
    incident_callers: IncidentCallersTable;
    incident_timeline: IncidentTimelineTable;
    incident_notes: IncidentNotesTable;
    incident_duplicate_candidates: IncidentDuplicateCandidatesTable;
    incident_links: IncidentLinksTable;
  }
}
