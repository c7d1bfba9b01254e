import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Locale } from '../../platform/context.js';
import type { UnitOfWork } from '../../platform/db/transaction.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { hasMessage, t } from '../../platform/i18n/catalog.js';
import { maskRecipient } from './mask.js';
import type { NotificationChannel, NotificationRow, NotificationStatus } from './notifications.tables.js';
import { openParams, sealParams } from './sealed.js';

/** What a module asks for: a template of the i18n catalogue, rendered when it is sent. */
export interface NotificationRequest {
  channel: NotificationChannel;
  /** E.164 phone (`+50377771234`) for sms/whatsapp, an address for email. */
  recipient: string;
  /**
   * Template key: the catalogue holds `notifications.<template>.text` (and `.subject` for e-mail)
   * in Spanish and English, with `{param}` placeholders.
   */
  template: string;
  locale: Locale;
  params?: Record<string, string | number>;
  /** Parameters stored encrypted and erased after delivery (e.g. a tracking secret). */
  sealedParams?: Record<string, string>;
  entityType?: string;
  entityId?: string;
  /** The same key queued twice makes one notification (e.g. `<event id>:<channel>`). */
  dedupeKey?: string;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 6;
const PHONE = /^\+[1-9]\d{7,14}$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function templateKey(template: string, part: 'text' | 'subject'): string {
  return `notifications.${template}.${part}`;
}

/**
 * Queues a notification inside the caller's transaction: it exists if and only if the change that
 * caused it commits. Returns its id, or null when `dedupeKey` was already queued.
 */
export async function queueNotification(
  deps: Pick<AppDeps, 'config'>,
  uow: UnitOfWork,
  request: NotificationRequest,
): Promise<string | null> {
  if (!hasMessage(templateKey(request.template, 'text'))) {
    throw new Error(`notification template "${request.template}" is not in the i18n catalogue`);
  }
  if (request.channel === 'email' && !hasMessage(templateKey(request.template, 'subject'))) {
    throw new Error(`notification template "${request.template}" has no e-mail subject`);
  }
  const recipient = request.recipient.trim();
  const valid = request.channel === 'email' ? EMAIL.test(recipient) : PHONE.test(recipient);
  if (!valid) throw new AppError('NOTIFICATION_RECIPIENT_INVALID', 400, { channel: request.channel });
  const id = randomUUID();
  const sealed =
    request.sealedParams && Object.keys(request.sealedParams).length > 0
      ? sealParams(deps.config.dataEncryptionKey, request.sealedParams, id)
      : null;
  const inserted = await uow.db
    .insertInto('notifications')
    .values({
      id,
      channel: request.channel,
      recipient,
      template: request.template,
      locale: request.locale,
      params: JSON.stringify(request.params ?? {}),
      sealed_params: sealed,
      status: 'queued',
      attempts: 0,
      max_attempts: request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      next_attempt_at: uow.now,
      last_error: null,
      transport: null,
      provider_message_id: null,
      dedupe_key: request.dedupeKey ?? null,
      entity_type: request.entityType ?? null,
      entity_id: request.entityId ?? null,
      created_at: uow.now,
      sent_at: null,
      updated_at: uow.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** The text (and e-mail subject) of a notification, in its locale. */
export function renderNotification(
  deps: Pick<AppDeps, 'config'>,
  row: Pick<NotificationRow, 'id' | 'channel' | 'template' | 'locale' | 'params' | 'sealed_params'>,
): { subject: string | null; text: string } {
  const params: Record<string, unknown> = {
    ...(row.params as Record<string, unknown>),
    ...(row.sealed_params ? openParams(deps.config.dataEncryptionKey, row.sealed_params, row.id) : {}),
  };
  return {
    subject: row.channel === 'email' ? t(row.locale, templateKey(row.template, 'subject'), params) : null,
    text: t(row.locale, templateKey(row.template, 'text'), params),
  };
}

export interface NotificationView {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  template: string;
  locale: Locale;
  status: NotificationStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  transport: string | null;
  providerMessageId: string | null;
  entityType: string | null;
  entityId: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A notification for listings: recipient masked, no parameters (they may carry personal data). */
export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    channel: row.channel,
    recipient: maskRecipient(row.channel, row.recipient),
    template: row.template,
    locale: row.locale,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt:
      row.status === 'queued' || row.status === 'sending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    transport: row.transport,
    providerMessageId: row.provider_message_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  };
}

export interface NotificationListQuery {
  status?: NotificationStatus | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export async function listNotifications(
  deps: Pick<AppDeps, 'db'>,
  query: NotificationListQuery,
): Promise<{ items: NotificationView[]; total: number }> {
  let q = deps.db.selectFrom('notifications');
  if (query.status) q = q.where('status', '=', query.status);
  if (query.entityType) q = q.where('entity_type', '=', query.entityType);
  if (query.entityId) q = q.where('entity_id', '=', query.entityId);
  const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map(toNotificationView), total: total?.n ?? 0 };
}
