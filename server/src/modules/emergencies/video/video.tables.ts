import type { Selectable } from 'kysely';
import type { Json } from '../../../platform/db/schema.js';

export type RuleAction = 'create_incident' | 'attach_nearby' | 'alert_only';
export type EventDecision = 'pending' | 'ignored' | 'alert_only' | 'incident_created' | 'attached';
export type ReviewDecision = 'pending' | 'ignored' | 'alert_opened' | 'deduplicated';
export type AlertSource = 'frigate_event' | 'frigate_review' | 'alpr';

/** Days are ISO weekdays (1 = Monday … 7 = Sunday); times HH:MM in America/El_Salvador. */
export interface RuleSchedule {
  days: number[];
  from: string;
  to: string;
}

export interface VideoCamerasTable {
  id: string;
  name: string;
  description: string | null;
  lon: number;
  lat: number;
  department_code: string | null;
  municipality_pcode: string | null;
  district_name: string | null;
  frigate_base_url: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface VideoRulesTable {
  id: string;
  camera_id: string | null;
  name: string;
  label: string;
  zones: Json<string[]>;
  min_score: number;
  schedule: Json<RuleSchedule | null> | null;
  action: RuleAction;
  attach_meters: number;
  attach_minutes: number;
  priority: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface MachineAlertsTable {
  id: string;
  source: AlertSource;
  title: string;
  camera_id: string | null;
  camera_name: string | null;
  label: string | null;
  score: number | null;
  priority: number | null;
  lon: number | null;
  lat: number | null;
  department_code: string | null;
  municipality_pcode: string | null;
  occurred_at: Date;
  raised_at: Date;
  ended_at: Date | null;
  frigate_event_ids: Json<string[]>;
  review_id: string | null;
  plate: string | null;
  watchlist_id: string | null;
  alpr_read_id: string | null;
  rule_id: string | null;
  incident_id: string | null;
  incident_action: 'created' | 'attached' | null;
  explanation: Json<Record<string, unknown>>;
  thumbnail_url: string | null;
  snapshot_url: string | null;
  clip_url: string | null;
  updated_at: Date;
}

export interface VideoEventsTable {
  id: string;
  frigate_id: string;
  camera_name: string;
  camera_id: string | null;
  label: string | null;
  sub_label: string | null;
  top_score: number | null;
  score: number | null;
  zones: Json<string[]>;
  false_positive: boolean;
  has_snapshot: boolean;
  has_clip: boolean;
  start_time: Date | null;
  end_time: Date | null;
  frame_time: Date | null;
  last_type: string;
  messages: number;
  recognized_plate: string | null;
  state: Json<Record<string, unknown>>;
  decision: EventDecision;
  explanation: Json<Record<string, unknown>>;
  rule_id: string | null;
  alert_id: string | null;
  incident_id: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface VideoReviewsTable {
  id: string;
  review_id: string;
  camera_name: string;
  camera_id: string | null;
  severity: string | null;
  detections: Json<string[]>;
  objects: Json<string[]>;
  zones: Json<string[]>;
  start_time: Date | null;
  end_time: Date | null;
  last_type: string;
  messages: number;
  state: Json<Record<string, unknown>>;
  decision: ReviewDecision;
  explanation: Json<Record<string, unknown>>;
  alert_id: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
}

export type CameraRow = Selectable<VideoCamerasTable>;
export type RuleRow = Selectable<VideoRulesTable>;
export type MachineAlertRow = Selectable<MachineAlertsTable>;
export type VideoEventRow = Selectable<VideoEventsTable>;
export type VideoReviewRow = Selectable<VideoReviewsTable>;

declare module '../../../platform/db/schema.js' {
  interface Database {
    video_cameras: VideoCamerasTable;
    video_rules: VideoRulesTable;
    machine_alerts: MachineAlertsTable;
    video_events: VideoEventsTable;
    video_reviews: VideoReviewsTable;
  }
}
