/** Views and the unit status log of migration 0006_kpi_views.sql. */

export interface KpiIncidentTimesView {
  id: string;
  folio: string;
  channel: string;
  type_code: string | null;
  family: string | null;
  priority: number | null;
  status: string;
  department_code: string | null;
  municipality_pcode: string | null;
  created_at: Date;
  closed_at: Date | null;
  citizen_trackable: boolean;
  answer_s: number | null;
  call_entry_s: number | null;
  dispatch_s: number | null;
  arrive_s: number | null;
  close_s: number | null;
}

export interface KpiAssignmentTimesView {
  id: string;
  unit_id: string;
  incident_id: string;
  channel: string;
  type_code: string | null;
  family: string | null;
  priority: number | null;
  status: string;
  department_code: string | null;
  municipality_pcode: string | null;
  created_at: Date;
  turnout_s: number | null;
  travel_s: number | null;
}

export interface UnitStatusLogTable {
  id: import('kysely').Generated<number>;
  unit_id: string;
  status: string;
  at: Date;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    kpi_incident_times: KpiIncidentTimesView;
    kpi_assignment_times: KpiAssignmentTimesView;
    unit_status_log: UnitStatusLogTable;
  }
}
