import type { Selectable } from 'kysely';

export type DeviceKind = 'panic_button' | 'alarm_panel' | 'app';
export type DeviceAlertKind = 'panic' | 'test' | 'cancel';
export type DeviceAlertOutcome =
  | 'incident_created'
  | 'attached'
  | 'test_logged'
  | 'cancel_noted'
  | 'cancel_without_incident';

export interface AlertDevicesTable {
  id: string;
  code: string;
  kind: DeviceKind;
  description: string | null;
  /** Personal data: shown only to permitted roles, every read audited. */
  owner_name: string | null;
  /** Personal data (phone or e-mail). */
  owner_contact: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  department_code: string | null;
  municipality_pcode: string | null;
  district_name: string | null;
  active: boolean;
  api_key_id: string | null;
  last_alert_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface DeviceAlertsTable {
  id: string;
  device_id: string;
  alert_id: string;
  kind: DeviceAlertKind;
  lon: number | null;
  lat: number | null;
  triggered_at: Date | null;
  received_at: Date;
  outcome: DeviceAlertOutcome;
  incident_id: string | null;
  actor_type: string;
  actor_id: string | null;
}

export type AlertDeviceRow = Selectable<AlertDevicesTable>;
export type DeviceAlertRow = Selectable<DeviceAlertsTable>;

declare module '../../../platform/db/schema.js' {
  interface Database {
    alert_devices: AlertDevicesTable;
    device_alerts: DeviceAlertsTable;
  }
}
