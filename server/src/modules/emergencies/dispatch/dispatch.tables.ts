import type { Json } from '../../../platform/db/schema.js';

export type UnitKind = 'patrol_car' | 'motorcycle' | 'foot' | 'specialised';
export type UnitStatus = 'available' | 'assigned' | 'en_route' | 'on_scene' | 'out_of_service';

export interface StationsTable {
  id: string;
  code: string;
  name: string;
  department_code: string;
  municipality_pcode: string | null;
  lon: number | null;
  lat: number | null;
}

export interface UnitsTable {
  id: string;
  call_sign: string;
  kind: UnitKind;
  capabilities: Json<string[]>;
  station_id: string | null;
  department_code: string;
  municipality_pcode: string | null;
  status: UnitStatus;
  status_changed_at: Date;
  device_id: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface UnitCrewTable {
  id: string;
  unit_id: string;
  user_id: string;
  role: string;
  from_at: Date;
  to_at: Date | null;
}

export interface UnitLatestPositionTable {
  unit_id: string;
  lon: number;
  lat: number;
  speed_kmh: number | null;
  heading: number | null;
  accuracy_m: number | null;
  recorded_at: Date;
  received_at: Date;
}

export interface UnitPositionsTable {
  unit_id: string;
  recorded_at: Date;
  received_at: Date;
  lon: number;
  lat: number;
  speed_kmh: number | null;
  heading: number | null;
  accuracy_m: number | null;
  source: string;
  attributes: Json<Record<string, unknown>> | null;
}

export interface IncidentAssignmentsTable {
  id: string;
  incident_id: string;
  unit_id: string;
  assigned_at: Date;
  assigned_by: string | null;
  reason: string | null;
  acknowledged_at: Date | null;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  cleared_at: Date | null;
  released_at: Date | null;
  release_reason: string | null;
  released_by: string | null;
}

export interface ResponseTargetsTable {
  priority: number;
  answer_seconds: number;
  dispatch_seconds: number;
  on_scene_seconds: number;
  updated_at: Date;
  updated_by: string | null;
}

export interface IncidentEscalationsTable {
  id: string;
  incident_id: string;
  stage: 'answer' | 'dispatch' | 'on_scene';
  raised_at: Date;
  late_by_s: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    stations: StationsTable;
    units: UnitsTable;
    unit_crew: UnitCrewTable;
    unit_latest_position: UnitLatestPositionTable;
    unit_positions: UnitPositionsTable;
    incident_assignments: IncidentAssignmentsTable;
    response_targets: ResponseTargetsTable;
    incident_escalations: IncidentEscalationsTable;
  }
}
