import type { Locale, RequestContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/http/errors.js';
import { t } from '../../../platform/i18n/catalog.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { createIncidentInTx } from '../incidents/intake.js';
import { checkAndRecordSubmission, checkPublicText } from './abuse.js';
import { decodePhotos, insertAttachments, storeFiles } from './attachments.js';
import type { ReportCreate } from './citizen.schemas.js';
import { CITIZEN_TYPES, citizenType } from './citizen-types.js';
import { normalizeSvPhone } from './phone.js';
import { issueTracking } from './tracking-codes.js';

interface StoredQuestion {
  code: string;
  textEs: string;
  textEn: string;
}

/** The citizen subset of the catalogue, active types only, in plain language. */
export async function listReportTypes(deps: EmergenciesDeps, locale: Locale) {
  const rows = await deps.db
    .selectFrom('incident_types')
    .select(['code', 'family', 'questions', 'active', 'sort_order'])
    .where(
      'code',
      'in',
      CITIZEN_TYPES.map((c) => c.code),
    )
    .where('active', '=', true)
    .orderBy('sort_order')
    .execute();
  const families = await deps.db
    .selectFrom('incident_types')
    .select(['code', 'name_es', 'name_en'])
    .where('parent_code', 'is', null)
    .execute();
  const familyName = new Map(families.map((f) => [f.code, locale === 'en' ? f.name_en : f.name_es]));
  return {
    notice: t(locale, 'citizen.report_types.notice'),
    items: rows.map((row) => {
      const type = citizenType(row.code)!;
      return {
        code: row.code,
        name: locale === 'en' ? type.nameEn : type.nameEs,
        description: locale === 'en' ? type.descriptionEn : type.descriptionEs,
        group: { code: row.family, name: familyName.get(row.family) ?? row.family },
        questions: (row.questions as StoredQuestion[]).map((q) => ({
          code: q.code,
          text: locale === 'en' ? q.textEn : q.textEs,
        })),
      };
    }),
  };
}

export interface ReportReceipt {
  trackingCode: string;
  trackingSecret: string;
  folio: string;
  status: string;
  statusText: string;
}

/**
 * A report from the public web form. Anonymous reports store no contact at all, and their
 * transaction is attributed without the IP address (the audit log would otherwise tie the
 * denuncia to it). Photos are verified before, and written to disk once the report passed the
 * per-phone and repeated-text checks.
 */
export async function createCitizenReport(
  deps: EmergenciesDeps,
  requestCtx: RequestContext,
  input: ReportCreate,
): Promise<ReportReceipt> {
  const description = checkPublicText(input.description, { honeypot: input.website, field: 'description' });
  if (input.typeCode && !citizenType(input.typeCode)) {
    throw new AppError('CITIZEN_TYPE_NOT_ALLOWED', 400, { code: input.typeCode });
  }
  const contact = input.contact;
  const hasContact = !!(contact && (contact.name?.trim() || contact.phone?.trim() || contact.email?.trim()));
  if (input.anonymous && hasContact) throw new AppError('ANONYMOUS_WITH_CONTACT', 400);
  let phone: string | null = null;
  if (!input.anonymous && contact?.phone?.trim()) {
    phone = normalizeSvPhone(contact.phone);
    if (!phone) throw new AppError('INVALID_PHONE', 400);
  }
  const email = !input.anonymous ? contact?.email?.trim() || null : null;
  const name = !input.anonymous ? contact?.name?.trim() || null : null;
  const photos = decodePhotos(input.photos);

  const ctx: RequestContext = input.anonymous ? { ...requestCtx, ip: null } : requestCtx;
  const receipt = await deps.tx(ctx, async (uow) => {
    await checkAndRecordSubmission(deps, uow, {
      channel: 'citizen',
      ip: requestCtx.ip,
      phone,
      text: description,
    });
    // Files are written only for a report that passed every check (before commit: a rollback
    // leaves at most an unreferenced, content-addressed file).
    await storeFiles(deps.config.dataDir, photos);
    const tracking = await issueTracking(uow.db);
    const incident = await createIncidentInTx(deps, uow, {
      channel: 'citizen',
      typeCode: input.typeCode ?? null,
      answers: input.typeCode ? input.answers : undefined,
      narrative: description,
      location: input.location,
      caller: input.anonymous
        ? { anonymous: true }
        : hasContact
          ? {
              ...(name ? { name } : {}),
              ...(phone ? { phone } : {}),
              ...(email ? { email } : {}),
              anonymous: false,
            }
          : undefined,
      tracking: { code: tracking.code, secretHash: tracking.secretHash },
    });
    const notify = !input.anonymous && contact?.notify !== false;
    await uow.db
      .insertInto('citizen_followups')
      .values({
        incident_id: incident.id,
        locale: requestCtx.locale,
        notify_channel: notify ? (phone ? 'sms' : email ? 'email' : null) : null,
        created_at: uow.now,
      })
      .execute();
    const attachments = await insertAttachments(uow, incident.id, photos, {
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
    return { tracking, incident };
  });
  const status = await deps.db
    .selectFrom('incident_statuses')
    .select(['public_es', 'public_en'])
    .where('code', '=', receipt.incident.status)
    .executeTakeFirstOrThrow();
  return {
    trackingCode: receipt.tracking.code,
    trackingSecret: receipt.tracking.secret,
    folio: receipt.incident.folio,
    status: receipt.incident.status,
    statusText: requestCtx.locale === 'en' ? status.public_en : status.public_es,
  };
}
