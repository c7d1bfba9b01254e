import type { Locale, RequestContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, hasNationalPermission, type Principal } from '../../../platform/http/principal.js';
import { t } from '../../../platform/i18n/catalog.js';
import { OPEN_STATUSES } from '../catalog.js';
import { CITIZEN_TYPES, citizenType } from '../citizen/citizen-types.js';
import { normalizeSvPhone } from '../citizen/phone.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { createIncidentInTx } from '../incidents/intake.js';
import { OPEN311_PERMISSIONS } from './open311.policy.js';

/** GeoReport v2 limits. */
export const OPEN311_LIMITS = { descriptionChars: 4000, maxRangeDays: 90, maxResults: 1000 };
const DAY_MS = 86_400_000;
/** El Salvador: UTC-06:00 all year (no daylight saving time). */
const SV_OFFSET_MS = -6 * 3_600_000;

/** W3C datetime with the El Salvador offset, e.g. `2026-03-14T09:30:00-06:00`. */
export function w3cDateTime(date: Date): string {
  return `${new Date(date.getTime() + SV_OFFSET_MS).toISOString().slice(0, 19)}-06:00`;
}

const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function parseW3c(value: string, name: string): Date {
  const trimmed = value.trim();
  const date = W3C.test(trimmed) ? new Date(trimmed) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new AppError('OPEN311_INVALID_DATE', 400, { name });
  return date;
}

/** "Optional" in GeoReport v2: an empty parameter is the same as an absent one. */
function given(value: unknown): string | undefined {
  if (Array.isArray(value)) return given(value[value.length - 1]);
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function list(value: unknown): string[] {
  return (given(value) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

interface StoredQuestion {
  code: string;
  textEs: string;
  textEn: string;
}

interface ServiceRow {
  code: string;
  family: string;
  keywords: string;
  questions: StoredQuestion[];
}

async function activeServices(deps: EmergenciesDeps): Promise<ServiceRow[]> {
  const rows = await deps.db
    .selectFrom('incident_types')
    .select(['code', 'family', 'keywords', 'questions'])
    .where(
      'code',
      'in',
      CITIZEN_TYPES.map((c) => c.code),
    )
    .where('active', '=', true)
    .orderBy('sort_order')
    .execute();
  return rows.map((r) => ({ ...r, questions: r.questions as StoredQuestion[] }));
}

async function familyNames(deps: EmergenciesDeps, locale: Locale): Promise<Map<string, string>> {
  const rows = await deps.db
    .selectFrom('incident_types')
    .select(['code', 'name_es', 'name_en'])
    .where('parent_code', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.code, locale === 'en' ? r.name_en : r.name_es]));
}

function serviceName(code: string, locale: Locale): string {
  const type = citizenType(code);
  if (!type) return code;
  return locale === 'en' ? type.nameEn : type.nameEs;
}

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** GET services: the citizen subset of the catalogue; group = the type's family. */
export async function listServices(deps: EmergenciesDeps, locale: Locale): Promise<Open311Service[]> {
  const [rows, families] = await Promise.all([activeServices(deps), familyNames(deps, locale)]);
  return rows.map((row) => {
    const type = citizenType(row.code)!;
    return {
      service_code: row.code,
      service_name: locale === 'en' ? type.nameEn : type.nameEs,
      description: locale === 'en' ? type.descriptionEn : type.descriptionEs,
      metadata: row.questions.length > 0,
      type: 'realtime',
      keywords: row.keywords.split(/\s+/).filter(Boolean).join(','),
      group: families.get(row.family) ?? row.family,
    };
  });
}

async function findService(deps: EmergenciesDeps, code: string | undefined): Promise<ServiceRow> {
  if (!code) throw new AppError('OPEN311_PARAMETER_REQUIRED', 400, { name: 'service_code' });
  const row = (await activeServices(deps)).find((s) => s.code === code);
  if (!row) throw new AppError('OPEN311_SERVICE_NOT_FOUND', 404, { code });
  return row;
}

const YES_NO = ['yes', 'no'] as const;

/** GET service definition: the type's guided questions as yes/no single-value lists. */
export async function serviceDefinition(deps: EmergenciesDeps, locale: Locale, code: string) {
  const row = await findService(deps, code);
  const yes = t(locale, 'open311.yes');
  const no = t(locale, 'open311.no');
  return {
    service_code: row.code,
    attributes: row.questions.map((q, i) => ({
      variable: true,
      code: q.code,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: `${yes} | ${no}`,
      order: i + 1,
      description: locale === 'en' ? q.textEn : q.textEs,
      values: [
        { key: 'yes', name: yes },
        { key: 'no', name: no },
      ],
    })),
  };
}

/** The form of POST requests, as parsed (attribute[CODE] gathered under `attribute`). */
export type Open311Form = Record<string, unknown> & { attribute?: Record<string, string | string[]> };

export interface CreatedRequest {
  service_request_id: string;
  service_notice: string;
  account_id: string | null;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

function coordinate(value: string, name: 'lat' | 'long'): number {
  const number = /^-?\d{1,3}(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  const limit = name === 'lat' ? 90 : 180;
  if (!Number.isFinite(number) || Math.abs(number) > limit) {
    throw new AppError('OPEN311_INVALID_COORDINATE', 400, { name });
  }
  return number;
}

/**
 * POST requests: validates the form as the spec says (service_code, one location form, attribute
 * keys, description ≤ 4,000), creates the incident (channel `open311`, status `received`) and answers
 * with its folio as service_request_id (realtime). With `attribute[fixmystreet_id]` (FixMyStreet's
 * extension) a repeated submission returns the incident already created instead of a duplicate.
 */
export async function createServiceRequest(
  deps: EmergenciesDeps,
  requestCtx: RequestContext,
  principal: Principal,
  form: Open311Form,
): Promise<CreatedRequest> {
  const service = await findService(deps, given(form.service_code));
  const lat = given(form.lat);
  const long = given(form.long);
  if ((lat === undefined) !== (long === undefined)) throw new AppError('OPEN311_LAT_LONG_TOGETHER', 400);
  const address = given(form.address_string)?.slice(0, 500);
  const addressId = given(form.address_id);
  const located = lat !== undefined && long !== undefined;
  if (!located && !address && !addressId) throw new AppError('OPEN311_LOCATION_REQUIRED', 400);
  const description = given(form.description);
  if (description && description.length > OPEN311_LIMITS.descriptionChars) {
    throw new AppError('OPEN311_DESCRIPTION_TOO_LONG', 400, { max: OPEN311_LIMITS.descriptionChars });
  }
  const email = given(form.email);
  if (email && (!EMAIL.test(email) || email.length > 200)) throw new AppError('OPEN311_INVALID_EMAIL', 400);
  const rawPhone = given(form.phone);
  const phone = rawPhone ? normalizeSvPhone(rawPhone) : null;
  if (rawPhone && !phone) throw new AppError('INVALID_PHONE', 400);
  const mediaUrl = given(form.media_url);
  if (mediaUrl && (!/^https?:\/\/[^\s]+$/i.test(mediaUrl) || mediaUrl.length > 2000)) {
    throw new AppError('OPEN311_INVALID_MEDIA_URL', 400);
  }
  const attributes = form.attribute ?? {};
  const answers: Record<string, boolean> = {};
  const known = new Set(service.questions.map((q) => q.code));
  for (const [code, raw] of Object.entries(attributes)) {
    if (!known.has(code)) continue; // kept in open311_requests.attributes, not an answer
    if (Array.isArray(raw)) throw new AppError('OPEN311_ATTRIBUTE_NOT_A_LIST', 400, { code });
    const value = raw.trim().toLowerCase();
    if (value === '') continue;
    if (!(YES_NO as readonly string[]).includes(value)) {
      throw new AppError('OPEN311_ATTRIBUTE_VALUE_INVALID', 400, { code, value: raw.slice(0, 50) });
    }
    answers[code] = value === 'yes';
  }
  const name = [given(form.first_name), given(form.last_name)].filter(Boolean).join(' ').slice(0, 200);
  const fmsId = given(attributes.fixmystreet_id);
  const external = fmsId
    ? { source: `open311:${principal.id}`, ref: `fixmystreet:${fmsId.slice(0, 100)}` }
    : undefined;
  const ctx: RequestContext = {
    ...requestCtx,
    actor: { type: principal.kind === 'user' ? 'user' : 'api_key', id: principal.id, name: principal.name },
  };
  const folio = await deps.tx(ctx, async (uow) => {
    if (external) {
      const existing = await uow.db
        .selectFrom('incidents')
        .select('folio')
        .where('external_source', '=', external.source)
        .where('external_ref', '=', external.ref)
        .executeTakeFirst();
      if (existing) return existing.folio;
    }
    const locationText =
      address ?? (addressId ? t('es', 'open311.address_id', { id: addressId.slice(0, 200) }) : undefined);
    const incident = await createIncidentInTx(deps, uow, {
      channel: 'open311',
      typeCode: service.code,
      answers,
      narrative:
        description ?? t('es', 'open311.no_description', { service: serviceName(service.code, 'es') }),
      location: {
        ...(located ? { lat: coordinate(lat!, 'lat'), lon: coordinate(long!, 'long') } : {}),
        ...(locationText ? { text: locationText } : {}),
      },
      caller:
        name || phone || email
          ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(email ? { email } : {}) }
          : undefined,
      external,
    });
    const target = { department: incident.department_code, municipality: incident.municipality_pcode };
    if (
      !hasNationalPermission(principal, OPEN311_PERMISSIONS.createRequest) &&
      !canInScope(principal, OPEN311_PERMISSIONS.createRequest, target)
    ) {
      throw new AppError('OPEN311_OUT_OF_SCOPE', 403);
    }
    await uow.db
      .insertInto('open311_requests')
      .values({
        incident_id: incident.id,
        api_key_id: principal.id,
        service_code: service.code,
        attributes: JSON.stringify(attributes),
        media_url: mediaUrl ?? null,
        device_id: given(form.device_id)?.slice(0, 200) ?? null,
        account_id: given(form.account_id)?.slice(0, 200) ?? null,
        submitted_at: uow.now,
      })
      .execute();
    return incident.folio;
  });
  return {
    service_request_id: folio,
    service_notice: t(requestCtx.locale, 'open311.service_notice'),
    account_id: given(form.account_id) ?? null,
  };
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface RequestQuery {
  service_request_id?: unknown;
  service_code?: unknown;
  start_date?: unknown;
  end_date?: unknown;
  status?: unknown;
  page?: unknown;
  page_size?: unknown;
}

function positiveInteger(value: unknown, name: string, max: number): number | undefined {
  const text = given(value);
  if (text === undefined) return undefined;
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1)
    throw new AppError('OPEN311_INVALID_NUMBER', 400, { name });
  return Math.min(Number(text), max);
}

/**
 * GET requests. Only requests that came in through Open311 are listed (the rest of the 911 system is
 * not public). Sensitive types (family violence, extortion, threats, missing persons) and requests
 * reclassified outside the citizen catalogue are listed without description, address, coordinates
 * or media: the public feed must not point at a victim.
 */
export async function queryRequests(
  deps: EmergenciesDeps,
  locale: Locale,
  query: RequestQuery,
): Promise<Open311Request[]> {
  let q = deps.db
    .selectFrom('open311_requests as o')
    .innerJoin('incidents as i', 'i.id', 'o.incident_id')
    .select([
      'i.id',
      'i.folio',
      'i.status',
      'i.type_code',
      'i.created_at',
      'i.updated_at',
      'i.closed_at',
      'i.cancelled_at',
      'i.location_text',
      'i.lon',
      'i.lat',
      'o.service_code',
      'o.media_url',
    ]);
  const ids = list(query.service_request_id);
  if (ids.length > 0) {
    // service_request_id overrides every other filter.
    q = q.where('i.folio', 'in', ids.slice(0, OPEN311_LIMITS.maxResults));
  } else {
    const now = deps.clock.now();
    const startText = given(query.start_date);
    const endText = given(query.end_date);
    let start = startText ? parseW3c(startText, 'start_date') : null;
    let end = endText ? parseW3c(endText, 'end_date') : null;
    if (!start && !end) {
      end = now;
      start = new Date(now.getTime() - OPEN311_LIMITS.maxRangeDays * DAY_MS);
    } else if (!start) start = new Date(end!.getTime() - OPEN311_LIMITS.maxRangeDays * DAY_MS);
    else if (!end) end = new Date(start.getTime() + OPEN311_LIMITS.maxRangeDays * DAY_MS);
    if (end! < start!) throw new AppError('OPEN311_DATE_RANGE_INVERTED', 400);
    if (end!.getTime() - start!.getTime() > OPEN311_LIMITS.maxRangeDays * DAY_MS) {
      throw new AppError('OPEN311_DATE_RANGE_TOO_LONG', 400, { max: OPEN311_LIMITS.maxRangeDays });
    }
    q = q.where('i.created_at', '>=', start!).where('i.created_at', '<=', end!);
    const codes = list(query.service_code);
    if (codes.length > 0) q = q.where('o.service_code', 'in', codes);
    const statuses = list(query.status).map((s) => s.toLowerCase());
    if (statuses.some((s) => s !== 'open' && s !== 'closed'))
      throw new AppError('OPEN311_INVALID_STATUS', 400);
    if (statuses.length > 0 && !(statuses.includes('open') && statuses.includes('closed'))) {
      q = statuses.includes('open')
        ? q.where('i.status', 'in', OPEN_STATUSES)
        : q.where('i.status', 'not in', OPEN_STATUSES);
    }
  }
  const pageSize =
    positiveInteger(query.page_size, 'page_size', OPEN311_LIMITS.maxResults) ?? OPEN311_LIMITS.maxResults;
  const page = positiveInteger(query.page, 'page', 1_000_000) ?? 1;
  const rows = await q
    .orderBy('i.created_at', 'desc')
    .orderBy('i.folio', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  if (rows.length === 0) return [];
  const [statuses, narratives] = await Promise.all([
    deps.db.selectFrom('incident_statuses').select(['code', 'public_es', 'public_en']).execute(),
    deps.db
      .selectFrom('incident_notes')
      .select(['incident_id', 'text'])
      .where(
        'incident_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('kind', '=', 'narrative')
      .execute(),
  ]);
  const notes = new Map(statuses.map((s) => [s.code, locale === 'en' ? s.public_en : s.public_es]));
  const narrative = new Map(narratives.map((n) => [n.incident_id, n.text]));
  const agency = t(locale, 'open311.agency');
  return rows.map((row) => {
    const original = citizenType(row.service_code);
    const current = row.type_code ? citizenType(row.type_code) : original;
    const hidden = !original || original.sensitive || !current || current.sensitive;
    const open = OPEN_STATUSES.includes(row.status);
    const updated = open ? row.updated_at : (row.closed_at ?? row.cancelled_at ?? row.updated_at);
    return {
      service_request_id: row.folio,
      status: open ? 'open' : 'closed',
      status_notes: notes.get(row.status) ?? null,
      service_name: serviceName(row.service_code, locale),
      service_code: row.service_code,
      description: hidden ? null : (narrative.get(row.id) ?? null),
      agency_responsible: agency,
      service_notice: null,
      requested_datetime: w3cDateTime(row.created_at),
      updated_datetime: w3cDateTime(updated),
      expected_datetime: null,
      address: hidden ? null : row.location_text,
      address_id: null,
      zipcode: null,
      lat: hidden ? null : row.lat,
      long: hidden ? null : row.lon,
      media_url: hidden ? null : row.media_url,
    };
  });
}

export async function getRequest(
  deps: EmergenciesDeps,
  locale: Locale,
  id: string,
): Promise<Open311Request[]> {
  const found = await queryRequests(deps, locale, { service_request_id: id });
  if (found.length === 0) throw new AppError('OPEN311_REQUEST_NOT_FOUND', 404, { id });
  return found;
}

/** Service discovery (both formats required by the spec). */
export function discovery(deps: EmergenciesDeps, locale: Locale, baseUrl: string) {
  const changeset = '2026-01-01T00:00:00-06:00';
  return {
    changeset,
    contact: t(locale, 'open311.discovery.contact'),
    key_service: t(locale, 'open311.discovery.key_service'),
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: baseUrl,
        changeset,
        type: deps.config.env === 'production' ? 'production' : 'test',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}
