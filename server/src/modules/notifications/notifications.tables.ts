import type { Selectable } from 'kysely';
import type { Json } from '../../platform/db/schema.js';

export type NotificationChannel = 'sms' | 'email' | 'whatsapp';
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface NotificationsTable {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  locale: 'es' | 'en';
  params: Json<Record<string, string | number>>;
  sealed_params: string | null;
  status: NotificationStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  transport: string | null;
  provider_message_id: string | null;
  dedupe_key: string | null;
  entity_type: string | null;
  entity_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}

export type NotificationRow = Selectable<NotificationsTable>;

declare module '../../platform/db/schema.js' {
  interface Database {
    notifications: NotificationsTable;
  }
}
