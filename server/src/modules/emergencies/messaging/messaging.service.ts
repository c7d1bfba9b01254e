import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { t } from '../../../platform/i18n/catalog.js';
import { queueNotification } from '../../notifications/index.js';
import { OPEN_STATUSES } from '../catalog.js';
import { decodePhotos, insertAttachments, storeFiles, type VerifiedFile } from '../citizen/attachments.js';
import { normalizeSvPhone } from '../citizen/phone.js';
import { issueTracking } from '../citizen/tracking-codes.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { insertNote } from '../incidents/incidents.service.js';
import { createIncidentInTx } from '../incidents/intake.js';
import { appendTimeline, incidentEventScope, lockIncidentOrThrow } from '../incidents/transitions.js';
import { downloadMedia } from './media.js';
import type { IncomingMessage, MessageOutcome } from './messaging.schemas.js';

const CLOCK_SKEW_MS = 60_000;

async function outcomeOf(
  uow: UnitOfWork,
  incidentId: string,
): Promise<{ folio: string; trackingCode: string }> {
  const row = await uow.db
    .selectFrom('incidents')
    .select(['folio', 'tracking_code'])
    .where('id', '=', incidentId)
    .executeTakeFirstOrThrow();
  return { folio: row.folio, trackingCode: row.tracking_code ?? '' };
}

/** Inline (base64) media are the gateway's data: bad ones are refused. Linked media are fetched. */
async function collectMedia(
  input: IncomingMessage,
): Promise<{ files: VerifiedFile[]; unavailable: string[] }> {
  const media = input.media ?? [];
  for (const m of media) {
    if ((m.url === undefined) === (m.base64 === undefined)) throw new AppError('MEDIA_SOURCE_REQUIRED', 400);
  }
  const inline = decodePhotos(
    media.flatMap((m) => (m.base64 !== undefined ? [{ data: m.base64, mime: m.mime }] : [])),
  );
  const files = [...inline];
  const unavailable: string[] = [];
  let index = inline.length;
  for (const m of media) {
    if (m.url === undefined) continue;
    index += 1;
    const file = await downloadMedia(m.url, m.mime, index);
    if (file) files.push(file);
    else unavailable.push(m.url);
  }
  return { files, unavailable };
}

/**
 * One message from the SMS/WhatsApp gateway. Idempotent by (gateway key, messageId). Messages of a
 * sender within MESSAGING_THREAD_WINDOW_MINUTES of their previous message, while that incident is
 * still open, are appended to it as citizen notes; otherwise a new incident is opened (channel
 * `messaging`, status `received`) and the reply with its tracking code and secret is queued in the
 * notifications outbox, in the same transaction.
 */
export async function receiveMessage(
  deps: EmergenciesDeps,
  requestCtx: RequestContext,
  principal: Principal,
  input: IncomingMessage,
): Promise<MessageOutcome> {
  const sender = normalizeSvPhone(input.sender);
  if (!sender) throw new AppError('INVALID_PHONE', 400);
  const provider = `${principal.kind}:${principal.id}`;
  const now = deps.clock.now();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new AppError('MESSAGE_TIME_IN_FUTURE', 400);
  const text = input.text?.trim() ?? '';
  if (!text && !input.location && !(input.media?.length ?? 0)) throw new AppError('MESSAGE_EMPTY', 400);

  const earlier = await deps.db
    .selectFrom('messaging_messages')
    .select('incident_id')
    .where('provider', '=', provider)
    .where('message_id', '=', input.messageId)
    .executeTakeFirst();
  if (earlier) {
    return deps.tx(requestCtx, async (uow) => ({
      outcome: 'duplicate',
      ...(await outcomeOf(uow, earlier.incident_id)),
    }));
  }
  const { files, unavailable } = await collectMedia(input);
  await storeFiles(deps.config.dataDir, files);
  const notes = unavailable.map((url) => t('es', 'citizen.messaging.media_unavailable', { url }));
  const body = [text || t('es', 'citizen.messaging.no_text'), ...notes].join('\n');
  const windowMs = deps.config.messagingThreadWindowMinutes * 60_000;

  return deps.tx(requestCtx, async (uow) => {
    // One sender at a time: two messages arriving together must not open two incidents.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`messaging:${sender}`}))`.execute(uow.db);
    const again = await uow.db
      .selectFrom('messaging_messages')
      .select('incident_id')
      .where('provider', '=', provider)
      .where('message_id', '=', input.messageId)
      .executeTakeFirst();
    if (again) return { outcome: 'duplicate' as const, ...(await outcomeOf(uow, again.incident_id)) };

    const thread = await uow.db
      .selectFrom('messaging_messages as m')
      .innerJoin('incidents as i', 'i.id', 'm.incident_id')
      .select(['m.incident_id'])
      .where('m.sender', '=', sender)
      .where('m.received_at', '>=', new Date(receivedAt.getTime() - windowMs))
      .where('m.received_at', '<=', receivedAt)
      .where('i.status', 'in', OPEN_STATUSES)
      .orderBy('m.received_at', 'desc')
      .limit(1)
      .executeTakeFirst();

    let incidentId: string;
    let outcome: 'created' | 'threaded';
    if (thread) {
      const incident = await lockIncidentOrThrow(uow, thread.incident_id);
      incidentId = incident.id;
      outcome = 'threaded';
      const noteId = await insertNote(uow, incident.id, 'citizen', body);
      const attachments = await insertAttachments(uow, incident.id, files, {
        source: 'citizen',
        lon: input.location?.lon ?? null,
        lat: input.location?.lat ?? null,
      });
      await appendTimeline(uow, incident.id, {
        kind: 'citizen_message',
        data: {
          noteId,
          attachments: attachments.map((a) => a.id),
          ...(input.location ? { location: { lon: input.location.lon, lat: input.location.lat } } : {}),
        },
      });
      uow.audit({
        action: 'incident.citizen_message_added',
        entityType: 'incident',
        entityId: incident.id,
        after: { noteId, messageId: input.messageId, files: attachments },
      });
      uow.emit({
        type: 'incident.citizen_message',
        entityType: 'incident',
        entityId: incident.id,
        scope: incidentEventScope(incident),
        payload: { id: incident.id, folio: incident.folio, noteId, attachments: attachments.length },
      });
    } else {
      const tracking = await issueTracking(uow.db);
      const channel = input.channel ?? 'sms';
      const incident = await createIncidentInTx(deps, uow, {
        channel: 'messaging',
        typeCode: null,
        narrative: body,
        location: input.location
          ? { lon: input.location.lon, lat: input.location.lat }
          : { text: t('es', 'citizen.messaging.no_location') },
        caller: { phone: sender, anonymous: false },
        callReceivedAt: receivedAt.toISOString(),
        external: { source: `messaging:${provider}`, ref: input.messageId },
        tracking: { code: tracking.code, secretHash: tracking.secretHash },
      });
      incidentId = incident.id;
      outcome = 'created';
      await uow.db
        .insertInto('citizen_followups')
        .values({ incident_id: incident.id, locale: 'es', notify_channel: channel, created_at: uow.now })
        .execute();
      const attachments = await insertAttachments(uow, incident.id, files, {
        source: 'citizen',
        lon: incident.lon,
        lat: incident.lat,
      });
      if (attachments.length > 0) {
        uow.audit({
          action: 'incident.attachments_added',
          entityType: 'incident',
          entityId: incident.id,
          after: { source: 'citizen', files: attachments },
        });
      }
      await queueNotification(deps, uow, {
        channel,
        recipient: sender,
        template: 'citizen.report_received',
        locale: 'es',
        params: { trackingCode: tracking.code, folio: incident.folio },
        sealedParams: { trackingSecret: tracking.secret },
        entityType: 'incident',
        entityId: incident.id,
        dedupeKey: `messaging:${provider}:${input.messageId}`,
      });
    }
    await uow.db
      .insertInto('messaging_messages')
      .values({
        id: randomUUID(),
        provider,
        message_id: input.messageId,
        sender,
        incident_id: incidentId,
        outcome,
        received_at: receivedAt,
        processed_at: uow.now,
      })
      .execute();
    return { outcome, ...(await outcomeOf(uow, incidentId)) };
  });
}
