import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Locale, RequestContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/http/errors.js';
import { t } from '../../../platform/i18n/catalog.js';
import { OPEN_STATUSES } from '../catalog.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { insertNote } from '../incidents/incidents.service.js';
import type { IncidentRecord } from '../incidents/incidents.tables.js';
import { appendTimeline, incidentEventScope, lockIncidentOrThrow } from '../incidents/transitions.js';
import { checkPublicText } from './abuse.js';
import { decodePhotos, insertAttachments, storeFiles } from './attachments.js';
import type { InformationCreate, SurveyCreate, TrackingView } from './citizen.schemas.js';
import { citizenType } from './citizen-types.js';
import { normalizeTrackingCode, TRACKING_CODE_PATTERN, trackingSecretMatches } from './tracking-codes.js';

/** Failed look-ups of one code (existing or not) allowed per window before it is locked. */
export const TRACKING_ATTEMPTS = { max: 5, windowMinutes: 15 };

/** Timeline kinds a citizen sees besides status changes, with their plain-language text. */
const CITIZEN_KINDS: Record<string, string> = {
  citizen_information: 'citizen.history.information',
  citizen_message: 'citizen.history.message',
  citizen_survey: 'citizen.history.survey',
};

/**
 * Finds the incident of a tracking code whose secret matches. A wrong secret and an unknown code are
 * the same 404 (existence is not revealed), and both count against the code: after
 * TRACKING_ATTEMPTS.max failures in the window every look-up of that code is refused for a while,
 * even with the right secret, so secrets cannot be guessed.
 */
export async function verifyTracking(
  deps: EmergenciesDeps,
  rawCode: string,
  secret: string | undefined,
): Promise<IncidentRecord> {
  if (!secret?.trim()) throw new AppError('TRACKING_SECRET_REQUIRED', 400);
  const code = normalizeTrackingCode(rawCode);
  if (!TRACKING_CODE_PATTERN.test(code)) throw new AppError('TRACKING_NOT_FOUND', 404);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - TRACKING_ATTEMPTS.windowMinutes * 60_000);
  const failures = await deps.db
    .selectFrom('citizen_tracking_failures')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tracking_code', '=', code)
    .where('at', '>=', since)
    .executeTakeFirst();
  if ((failures?.n ?? 0) >= TRACKING_ATTEMPTS.max) {
    throw new AppError('TRACKING_LOCKED', 429, { minutes: TRACKING_ATTEMPTS.windowMinutes });
  }
  const incident = await deps.db
    .selectFrom('incidents')
    .selectAll()
    .where('tracking_code', '=', code)
    .executeTakeFirst();
  if (!incident || !trackingSecretMatches(secret, incident.tracking_secret_hash)) {
    await deps.db
      .insertInto('citizen_tracking_failures')
      .values({ id: randomUUID(), tracking_code: code, at: now })
      .execute();
    await deps.db
      .deleteFrom('citizen_tracking_failures')
      .where('at', '<', new Date(now.getTime() - 24 * 3_600_000))
      .execute();
    throw new AppError('TRACKING_NOT_FOUND', 404);
  }
  return incident;
}

async function publicStatusTexts(deps: EmergenciesDeps, locale: Locale): Promise<Map<string, string>> {
  const rows = await deps.db
    .selectFrom('incident_statuses')
    .select(['code', 'public_es', 'public_en'])
    .execute();
  return new Map(rows.map((r) => [r.code, locale === 'en' ? r.public_en : r.public_es]));
}

/**
 * What the citizen sees: the status history in plain language, built only from status changes and
 * the citizen's own contributions. Nothing else of the timeline is read out: no actors (officer or
 * dispatcher names), no reasons or notes, no unit call signs, no caller data.
 */
export async function trackingView(
  deps: EmergenciesDeps,
  incident: IncidentRecord,
  locale: Locale,
): Promise<TrackingView> {
  const texts = await publicStatusTexts(deps, locale);
  const timeline = await deps.db
    .selectFrom('incident_timeline')
    .select(['at', 'kind', 'to_status'])
    .where('incident_id', '=', incident.id)
    .where((eb) =>
      eb.or([eb('kind', 'in', ['created', 'status']), eb('kind', 'in', Object.keys(CITIZEN_KINDS))]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
  const history = timeline.flatMap((entry): TrackingView['history'] => {
    if ((entry.kind === 'created' || entry.kind === 'status') && entry.to_status) {
      return [
        { at: entry.at.toISOString(), status: entry.to_status, text: texts.get(entry.to_status) ?? '' },
      ];
    }
    const key = CITIZEN_KINDS[entry.kind];
    return key ? [{ at: entry.at.toISOString(), status: null, text: t(locale, key) }] : [];
  });
  const survey = await deps.db
    .selectFrom('citizen_surveys')
    .select(['rating', 'submitted_at'])
    .where('incident_id', '=', incident.id)
    .executeTakeFirst();
  let type: string | null = null;
  if (incident.type_code) {
    const plain = citizenType(incident.type_code);
    if (plain) type = locale === 'en' ? plain.nameEn : plain.nameEs;
    else {
      const row = await deps.db
        .selectFrom('incident_types')
        .select(['name_es', 'name_en'])
        .where('code', '=', incident.type_code)
        .executeTakeFirst();
      type = row ? (locale === 'en' ? row.name_en : row.name_es) : null;
    }
  }
  const open = OPEN_STATUSES.includes(incident.status);
  return {
    trackingCode: incident.tracking_code!,
    folio: incident.folio,
    status: incident.status,
    statusText: texts.get(incident.status) ?? '',
    open,
    type,
    createdAt: incident.created_at.toISOString(),
    updatedAt: incident.updated_at.toISOString(),
    history,
    canAddInformation: open,
    canRate: incident.status === 'closed' && !survey,
    survey: survey ? { rating: survey.rating, submittedAt: survey.submitted_at.toISOString() } : null,
  };
}

export async function getTracking(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  code: string,
  secret: string | undefined,
): Promise<TrackingView> {
  const incident = await verifyTracking(deps, code, secret);
  return trackingView(deps, incident, ctx.locale);
}

/**
 * The citizen acting on the tracking page: anonymous actor named "Ciudadano", and no IP address
 * when the report was anonymous.
 */
async function citizenContext(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  incidentId: string,
): Promise<RequestContext> {
  const anonymous = await deps.db
    .selectFrom('incident_callers')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('anonymous', '=', true)
    .executeTakeFirst();
  return {
    ...ctx,
    actor: { type: 'anonymous', id: null, name: t('es', 'citizen.anonymous_actor') },
    ip: anonymous ? null : ctx.ip,
  };
}

/** More information from the citizen: a `citizen` note, photos, a timeline entry and an event for dispatch. */
export async function addCitizenInformation(
  deps: EmergenciesDeps,
  requestCtx: RequestContext,
  code: string,
  secret: string | undefined,
  input: InformationCreate,
): Promise<{ received: true; at: string; photos: number }> {
  const found = await verifyTracking(deps, code, secret);
  const text = checkPublicText(input.text, { honeypot: input.website, field: 'text', minChars: 3 });
  const photos = decodePhotos(input.photos);
  if (!OPEN_STATUSES.includes(found.status)) throw new AppError('TRACKING_CASE_CLOSED', 409);
  await storeFiles(deps.config.dataDir, photos);
  const ctx = await citizenContext(deps, requestCtx, found.id);
  return deps.tx(ctx, async (uow) => {
    const incident = await lockIncidentOrThrow(uow, found.id);
    if (!OPEN_STATUSES.includes(incident.status)) throw new AppError('TRACKING_CASE_CLOSED', 409);
    const noteId = await insertNote(uow, incident.id, 'citizen', text);
    const attachments = await insertAttachments(uow, incident.id, photos, {
      source: 'citizen',
      lon: incident.lon,
      lat: incident.lat,
    });
    await appendTimeline(uow, incident.id, {
      kind: 'citizen_information',
      data: { noteId, attachments: attachments.map((a) => a.id) },
    });
    uow.audit({
      action: 'incident.citizen_information_added',
      entityType: 'incident',
      entityId: incident.id,
      after: { noteId, files: attachments },
    });
    uow.emit({
      type: 'incident.citizen_information',
      entityType: 'incident',
      entityId: incident.id,
      scope: incidentEventScope(incident),
      payload: { id: incident.id, folio: incident.folio, noteId, attachments: attachments.length },
    });
    return { received: true as const, at: uow.now.toISOString(), photos: attachments.length };
  });
}

/** Satisfaction survey: once, and only after the case was closed. */
export async function submitSurvey(
  deps: EmergenciesDeps,
  requestCtx: RequestContext,
  code: string,
  secret: string | undefined,
  input: SurveyCreate,
): Promise<{ rating: number; submittedAt: string }> {
  const found = await verifyTracking(deps, code, secret);
  const comment = input.comment?.trim() || null;
  if (comment) checkPublicText(comment, { field: 'comment', minChars: 1 });
  const ctx = await citizenContext(deps, requestCtx, found.id);
  return deps.tx(ctx, async (uow) => {
    const incident = await lockIncidentOrThrow(uow, found.id);
    if (incident.status !== 'closed') throw new AppError('SURVEY_NOT_AVAILABLE', 409);
    const inserted = await uow.db
      .insertInto('citizen_surveys')
      .values({ incident_id: incident.id, rating: input.rating, comment, submitted_at: uow.now })
      .onConflict((oc) => oc.column('incident_id').doNothing())
      .returning('incident_id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('SURVEY_ALREADY_SUBMITTED', 409);
    await appendTimeline(uow, incident.id, { kind: 'citizen_survey', data: { rating: input.rating } });
    uow.audit({
      action: 'incident.citizen_survey',
      entityType: 'incident',
      entityId: incident.id,
      after: { rating: input.rating, comment: comment !== null },
    });
    uow.emit({
      type: 'incident.citizen_survey',
      entityType: 'incident',
      entityId: incident.id,
      scope: incidentEventScope(incident),
      payload: { id: incident.id, folio: incident.folio, rating: input.rating },
    });
    return { rating: input.rating, submittedAt: uow.now.toISOString() };
  });
}
