import type { Json } from '../../../platform/db/schema.js';

export interface FieldReportsTable {
  id: string;
  incident_id: string;
  assignment_id: string | null;
  unit_id: string | null;
  author_id: string;
  family: string | null;
  fields: Json<Record<string, unknown>>;
  narrative: string;
  content_hash: string;
  written_at: Date;
  received_at: Date;
}

export interface EvidenceItemsTable {
  attachment_id: string;
  incident_id: string;
  client_id: string;
  description: string;
  collected_by: string;
  collected_at: Date;
}

export type CustodyAction =
  | 'collected'
  | 'transferred'
  | 'received'
  | 'sealed'
  | 'analysed'
  | 'stored'
  | 'released';

export interface EvidenceCustodyTable {
  id: string;
  attachment_id: string;
  seq: number;
  action: CustodyAction;
  actor_id: string;
  holder_id: string | null;
  at: Date;
  lon: number | null;
  lat: number | null;
  location_text: string | null;
  note: string | null;
  prev_hash: string;
  entry_hash: string;
}

declare module '../../../platform/db/schema.js' {
  interface Database {
    field_reports: FieldReportsTable;
    evidence_items: EvidenceItemsTable;
    evidence_custody: EvidenceCustodyTable;
  }
}
