import { systemContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { registerMessages, t } from '../../../platform/i18n/catalog.js';
import { queueNotification } from '../../notifications/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';
import { addDays, dateText, daysBetween, todayInElSalvador } from '../shared/dates.js';
import { EXPIRY_WARNING_DAYS } from './red-flags.service.js';

/** Back-office role told of every expiry besides the NGO's own portal users. */
export const EXPIRY_ALERT_ROLES = ['ngo_legal_reviewer'];

registerMessages({
  es: {
    'notifications.grant_expiry_warning.subject': 'Vence pronto: {item} de {organisation}',
    'notifications.grant_expiry_warning.text':
      '{item} de {organisation} vence el {validUntil} (en {days} días). Cargue o registre la versión vigente en Centinela antes de esa fecha: una vez vencido, la organización tendrá una alerta (bandera roja) visible para las áreas revisoras.',
    'notifications.grant_expiry_expired.subject': 'Vencido: {item} de {organisation}',
    'notifications.grant_expiry_expired.text':
      '{item} de {organisation} venció el {validUntil}. Mientras no se registre la versión vigente, la organización tiene una alerta (bandera roja) en Centinela.',
    'grants.expiryItem.registry': 'La inscripción en el Registro de Asociaciones y Fundaciones',
    'grants.expiryItem.credential': 'La credencial del representante legal',
    'grants.expiryItem.board': 'El período de la Junta Directiva',
    'grants.expiryItem.document': 'El documento «{fileName}»',
  },
  en: {
    'notifications.grant_expiry_warning.subject': 'Expiring soon: {item} of {organisation}',
    'notifications.grant_expiry_warning.text':
      '{item} of {organisation} expires on {validUntil} (in {days} days). Upload or record the current version in Centinela before then: once expired, the organisation carries a red flag that the reviewing areas see.',
    'notifications.grant_expiry_expired.subject': 'Expired: {item} of {organisation}',
    'notifications.grant_expiry_expired.text':
      '{item} of {organisation} expired on {validUntil}. Until the current version is recorded, the organisation carries a red flag in Centinela.',
    'grants.expiryItem.registry': 'The registration in the Registry of Associations and Foundations',
    'grants.expiryItem.credential': "The legal representative's credential",
    'grants.expiryItem.board': "The board's term",
    'grants.expiryItem.document': 'The document “{fileName}”',
  },
});

type ExpiryKind = 'registry' | 'credential' | 'board' | 'document';

interface ExpiringItem {
  kind: ExpiryKind;
  /** The organisation for registry/credential/board, the document otherwise. */
  entityId: string;
  organisationId: string;
  organisationName: string;
  validUntil: string;
  fileName?: string;
}

/**
 * Alerts before (and when) registrations, credentials, board terms and documents of an NGO expire:
 * from EXPIRY_WARNING_DAYS days before the date, one e-mail per item, date and stage ("expiring",
 * then "expired") to each portal user of the organisation and each legal reviewer with an e-mail,
 * with an audit entry and a `grant.expiry_alert` event the first time. Idempotent through the
 * notifications' dedupe keys: a new date (a renewed document or credential) alerts again.
 */
export async function runExpiryAlerts(deps: AppDeps): Promise<{ alerted: number; notifications: number }> {
  const today = todayInElSalvador(deps.clock.now());
  const limit = addDays(today, EXPIRY_WARNING_DAYS);
  const orgs = await deps.db
    .selectFrom('ngo_organisations')
    .select([
      'id',
      'name',
      dateText('registry_valid_until').as('registry'),
      dateText('legal_rep_credential_valid_until').as('credential'),
      dateText('board_valid_until').as('board'),
    ])
    .where('status', '!=', 'dissolved')
    .execute();
  const items: ExpiringItem[] = [];
  for (const o of orgs) {
    for (const kind of ['registry', 'credential', 'board'] as const) {
      const date = o[kind];
      if (date && date <= limit) {
        items.push({
          kind,
          entityId: o.id,
          organisationId: o.id,
          organisationName: o.name,
          validUntil: date,
        });
      }
    }
  }
  const documents = await deps.db
    .selectFrom('ngo_documents as d')
    .innerJoin('ngo_organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id',
      'd.organisation_id',
      'd.file_name',
      'o.name',
      dateText('d.valid_until').as('valid_until'),
    ])
    .where('d.superseded_by', 'is', null)
    .where('d.valid_until', 'is not', null)
    .where('d.valid_until', '<=', limit)
    .where('o.status', '!=', 'dissolved')
    .execute();
  for (const d of documents) {
    items.push({
      kind: 'document',
      entityId: d.id,
      organisationId: d.organisation_id,
      organisationName: d.name,
      validUntil: d.valid_until,
      fileName: d.file_name,
    });
  }
  if (items.length === 0) return { alerted: 0, notifications: 0 };

  const reviewers = await deps.db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .select(['u.id', 'u.email'])
    .where('a.role_code', 'in', EXPIRY_ALERT_ROLES)
    .where('a.revoked_at', 'is', null)
    .where('u.active', '=', true)
    .where('u.email', 'is not', null)
    .execute();
  const portalUsers = await deps.db
    .selectFrom('ngo_users as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select(['n.organisation_id', 'u.id', 'u.email'])
    .where('n.unlinked_at', 'is', null)
    .where('u.active', '=', true)
    .where('u.email', 'is not', null)
    .execute();

  let alerted = 0;
  let notifications = 0;
  for (const item of items) {
    const expired = item.validUntil < today;
    const stage = expired ? 'expired' : 'warning';
    const recipients = new Map<string, string>();
    for (const u of [...portalUsers.filter((p) => p.organisation_id === item.organisationId), ...reviewers]) {
      if (u.email) recipients.set(u.id, u.email);
    }
    if (recipients.size === 0) continue;
    const label = t('es', `grants.expiryItem.${item.kind}`, { fileName: item.fileName ?? '' });
    const queued = await deps.tx(systemContext(), async (uow) => {
      let n = 0;
      for (const [userId, email] of recipients) {
        const id = await queueNotification(deps, uow, {
          channel: 'email',
          recipient: email,
          template: expired ? 'grant_expiry_expired' : 'grant_expiry_warning',
          locale: 'es',
          params: {
            item: label,
            organisation: item.organisationName,
            validUntil: item.validUntil,
            days: daysBetween(today, item.validUntil),
          },
          entityType: item.kind === 'document' ? 'ngo_document' : 'ngo_organisation',
          entityId: item.entityId,
          dedupeKey: `grants:expiry:${item.kind}:${item.entityId}:${item.validUntil}:${stage}:${userId}`,
        }).catch(() => null);
        if (id) n += 1;
      }
      if (n > 0) {
        uow.audit({
          action: 'grant.expiry_alert',
          entityType: item.kind === 'document' ? 'ngo_document' : 'ngo_organisation',
          entityId: item.entityId,
          after: { kind: item.kind, validUntil: item.validUntil, stage, recipients: n },
        });
        uow.emit({
          type: 'grant.expiry_alert',
          entityType: item.kind === 'document' ? 'ngo_document' : 'ngo_organisation',
          entityId: item.entityId,
          permission: P.redFlagsRead,
          payload: {
            organisationId: item.organisationId,
            kind: item.kind,
            validUntil: item.validUntil,
            stage,
          },
        });
      }
      return n;
    });
    if (queued > 0) alerted += 1;
    notifications += queued;
  }
  return { alerted, notifications };
}

const timers = new WeakMap<object, NodeJS.Timeout>();
/** Expiry dates are days: checking every hour is enough. */
export const EXPIRY_CHECK_INTERVAL_MS = 60 * 60_000;

export function startExpiryAlerts(deps: AppDeps, intervalMs = EXPIRY_CHECK_INTERVAL_MS): void {
  if (timers.has(deps)) return;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runExpiryAlerts(deps)
      .catch((err) => deps.logger.error({ err }, 'grants expiry alerts failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  timers.set(deps, timer);
}

export function stopExpiryAlerts(deps: AppDeps): void {
  const timer = timers.get(deps);
  if (timer) clearInterval(timer);
  timers.delete(deps);
}
