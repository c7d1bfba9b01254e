export interface IncidentAttachmentsTable {
  id: string;
  incident_id: string;
  sha256: string;
  mime: string;
  size_bytes: number;
  file_name: string;
  storage_key: string;
  /** Who supplied the file: `citizen` (web report, tracking page, messaging), later `field`, `evidence`… */
  source: string;
  uploaded_by_type: string;
  uploaded_by: string | null;
  uploaded_at: Date;
  lon: number | null;
  lat: number | null;
}

export interface CitizenFollowupsTable {
  incident_id: string;
  locale: 'es' | 'en';
  notify_channel: 'sms' | 'email' | 'whatsapp' | null;
  created_at: Date;
}

export interface CitizenSubmissionsTable {
  id: string;
  at: Date;
  channel: string;
  ip_hash: string | null;
  phone_hash: string | null;
  text_hash: string;
}

export interface CitizenTrackingFailuresTable {
  id: string;
  tracking_code: string;
  at: Date;
}

export interface CitizenSurveysTable {
  incident_id: string;
  rating: number;
  comment: string | null;
  submitted_at: Date;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    incident_attachments: IncidentAttachmentsTable;
    citizen_followups: CitizenFollowupsTable;
    citizen_submissions: CitizenSubmissionsTable;
    citizen_tracking_failures: CitizenTrackingFailuresTable;
    citizen_surveys: CitizenSurveysTable;
  }
}
