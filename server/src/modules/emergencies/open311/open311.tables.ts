import type { Json } from '../../../platform/db/schema.js';

export interface Open311RequestsTable {
  incident_id: string;
  api_key_id: string;
  service_code: string;
  /** Every attribute[CODE] the client sent, known or not. */
  attributes: Json<Record<string, string | string[]>>;
  media_url: string | null;
  device_id: string | null;
  account_id: string | null;
  submitted_at: Date;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    open311_requests: Open311RequestsTable;
  }
}
