import type { EventSubscription } from '../../../platform/events/bus.js';
import { consume } from '../../../platform/events/consume.js';
import { queueNotification } from '../../notifications/index.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';

export const CITIZEN_NOTIFY_CONSUMER = 'citizen-status-notifications';
/** Channels whose citizens get status updates from us (Open311 clients inform their own users). */
const NOTIFIED_CHANNELS = ['citizen', 'messaging'];

/**
 * Tells the citizen who reported, in plain language, when the incident changes status. Consumes
 * `incident.status_changed` idempotently (consume(): the notification row is queued in the same
 * transaction that records the event as handled, and deduplicated by event id). Never for anonymous
 * reports: they have no contact, and their follow-up row has no channel.
 */
export function startCitizenNotifications(deps: EmergenciesDeps): Promise<EventSubscription> {
  return consume(
    deps,
    CITIZEN_NOTIFY_CONSUMER,
    async (event, uow) => {
      if (event.type !== 'incident.status_changed') return;
      const incidentId = String(event.payload.id ?? event.entityId ?? '');
      const to = String(event.payload.to ?? '');
      if (!incidentId || !to) return;
      const incident = await uow.db
        .selectFrom('incidents')
        .innerJoin('citizen_followups', 'citizen_followups.incident_id', 'incidents.id')
        .select([
          'incidents.id',
          'incidents.channel',
          'incidents.tracking_code',
          'citizen_followups.locale',
          'citizen_followups.notify_channel',
        ])
        .where('incidents.id', '=', incidentId)
        .executeTakeFirst();
      if (!incident?.notify_channel || !incident.tracking_code) return;
      if (!NOTIFIED_CHANNELS.includes(incident.channel)) return;
      const caller = await uow.db
        .selectFrom('incident_callers')
        .select(['phone', 'email', 'anonymous'])
        .where('incident_id', '=', incidentId)
        .where('channel', '=', incident.channel)
        .orderBy('received_at')
        .executeTakeFirst();
      if (!caller || caller.anonymous) return;
      const recipient = incident.notify_channel === 'email' ? caller.email : caller.phone;
      if (!recipient) return;
      const status = await uow.db
        .selectFrom('incident_statuses')
        .select(['public_es', 'public_en'])
        .where('code', '=', to)
        .executeTakeFirst();
      if (!status) return;
      await queueNotification(deps, uow, {
        channel: incident.notify_channel,
        recipient,
        template: 'citizen.status_changed',
        locale: incident.locale,
        params: {
          trackingCode: incident.tracking_code,
          statusText: incident.locale === 'en' ? status.public_en : status.public_es,
        },
        entityType: 'incident',
        entityId: incidentId,
        dedupeKey: `${CITIZEN_NOTIFY_CONSUMER}:${event.id}`,
      });
    },
    { topics: ['incident'] },
  );
}
