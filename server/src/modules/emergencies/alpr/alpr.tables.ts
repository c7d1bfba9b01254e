import type { Selectable } from 'kysely';
import type { Json } from '../../../platform/db/schema.js';

export type WatchlistReason = 'stolen' | 'alert' | 'wanted';
export type WatchlistPriority = 'high' | 'medium' | 'low';
export type ReadOutcome = 'no_match' | 'below_threshold' | 'alert' | 'incident_created' | 'attached';

export interface AlprWatchlistTable {
  id: string;
  plate: string;
  plate_display: string;
  reason: WatchlistReason;
  priority: WatchlistPriority;
  source: string;
  notes: string | null;
  active: boolean;
  added_by: string;
  added_at: Date;
  expires_at: Date | null;
  updated_at: Date;
  version: number;
}

export interface AlprReadsTable {
  id: string;
  read_id: string;
  source: 'webhook' | 'frigate';
  plate_raw: string;
  plate: string;
  confidence: number;
  camera_id: string | null;
  lon: number;
  lat: number;
  department_code: string | null;
  municipality_pcode: string | null;
  read_at: Date;
  received_at: Date;
  image_url: string | null;
  watchlist_id: string | null;
  outcome: ReadOutcome;
  explanation: Json<Record<string, unknown>>;
  actor_type: string;
  actor_id: string | null;
}

export type WatchlistRow = Selectable<AlprWatchlistTable>;
export type AlprReadRow = Selectable<AlprReadsTable>;

declare module '../../../platform/db/schema.js' {
  interface Database {
    alpr_watchlist: AlprWatchlistTable;
    alpr_reads: AlprReadsTable;
  }
}
