import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { auditPersonalDataRead } from '../../../platform/audit/personal-data.js';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { OPEN_STATUSES } from '../catalog.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { createIncidentInTx } from '../incidents/intake.js';
import { attachAlertToIncident, raiseAlert } from '../video/alerts.service.js';
import { toLocalIso } from '../video/local-time.js';
import { isUniqueViolation, jsonObject, toJsonb } from '../video/territory.js';
import type { CameraRow } from '../video/video.tables.js';
import type {
  PlateReadBody,
  PlateReadQuery,
  WatchlistCreate,
  WatchlistQuery,
  WatchlistUpdate,
} from './alpr.schemas.js';
import type {
  AlprReadRow,
  ReadOutcome,
  WatchlistPriority,
  WatchlistReason,
  WatchlistRow,
} from './alpr.tables.js';
import { normalizePlate } from './plates.js';

/** A watchlist match raises an alert only when the reader is at least this confident. */
export const ALPR_MIN_CONFIDENCE = 0.8;
/** Readers' clocks may run a little ahead; further in the future is refused. */
const READ_CLOCK_SKEW_MS = 5 * 60_000;

const REASONS_ES: Record<WatchlistReason, string> = {
  stolen: 'robado',
  alert: 'alerta',
  wanted: 'requerido',
};
const PRIORITIES_ES: Record<WatchlistPriority, string> = { high: 'alta', medium: 'media', low: 'baja' };
const ALERT_PRIORITY: Record<WatchlistPriority, number> = { high: 1, medium: 2, low: 3 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

function plateOrThrow(raw: string): string {
  const plate = normalizePlate(raw);
  if (!plate) throw new AppError('PLATE_INVALID', 400, { plate: raw.slice(0, 20) });
  return plate;
}

function requireChangeReason(reason: string | undefined, action: string): string {
  const trimmed = reason?.trim();
  if (!trimmed || trimmed.length < 3) throw new AppError('REASON_REQUIRED', 400, { action });
  return trimmed;
}

// ---------------------------------------------------------------------------------------------------
// Watchlist

function statusOf(row: WatchlistRow, now: Date): 'active' | 'expired' | 'inactive' {
  if (!row.active) return 'inactive';
  if (row.expires_at && row.expires_at <= now) return 'expired';
  return 'active';
}

export function toWatchlistEntry(row: WatchlistRow, now: Date) {
  return {
    id: row.id,
    plate: row.plate,
    plateDisplay: row.plate_display,
    reason: row.reason,
    priority: row.priority,
    source: row.source,
    notes: row.notes,
    active: row.active,
    status: statusOf(row, now),
    addedBy: row.added_by,
    addedAt: row.added_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** What the audit log keeps of an entry (no free-text notes). */
function auditView(row: WatchlistRow) {
  return {
    plate: row.plate,
    reason: row.reason,
    priority: row.priority,
    source: row.source,
    active: row.active,
    expiresAt: row.expires_at?.toISOString() ?? null,
    notesProvided: !!row.notes,
  };
}

export async function listWatchlist(deps: EmergenciesDeps, query: WatchlistQuery) {
  let q = deps.db.selectFrom('alpr_watchlist').selectAll();
  if (query.plate) q = q.where('plate', '=', normalizePlate(query.plate) ?? query.plate.toUpperCase());
  if (!query.includeInactive) q = q.where('active', '=', true);
  const total = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .orderBy('added_at', 'desc')
    .orderBy('id')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  const now = deps.clock.now();
  return { items: rows.map((r) => toWatchlistEntry(r, now)), total: total?.n ?? 0 };
}

export async function addToWatchlist(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  input: WatchlistCreate,
) {
  const changeReason = requireChangeReason(input.changeReason, 'alpr.watchlist.add');
  const plate = plateOrThrow(input.plate);
  const now = deps.clock.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= now) throw new AppError('WATCHLIST_EXPIRY_IN_PAST', 400);
  try {
    const row = await deps.tx(ctx, async (uow) => {
      const inserted = await uow.db
        .insertInto('alpr_watchlist')
        .values({
          id: randomUUID(),
          plate,
          plate_display: input.plate.trim().toUpperCase(),
          reason: input.reason,
          priority: input.priority,
          source: input.source.trim(),
          notes: input.notes?.trim() || null,
          active: true,
          added_by: principal.id,
          added_at: uow.now,
          expires_at: expiresAt,
          updated_at: uow.now,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      uow.audit({
        action: 'alpr.watchlist.added',
        entityType: 'alpr_watchlist',
        entityId: inserted.id,
        after: auditView(inserted),
        reason: changeReason,
      });
      return inserted;
    });
    return toWatchlistEntry(row, now);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('WATCHLIST_PLATE_ACTIVE', 409, { plate });
    throw error;
  }
}

export async function updateWatchlistEntry(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  id: string,
  input: WatchlistUpdate,
) {
  const changeReason = requireChangeReason(input.changeReason, 'alpr.watchlist.update');
  const now = deps.clock.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : input.expiresAt;
  if (expiresAt && expiresAt <= now) throw new AppError('WATCHLIST_EXPIRY_IN_PAST', 400);
  try {
    const row = await deps.tx(ctx, async (uow) => {
      const current = await uow.db
        .selectFrom('alpr_watchlist')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new AppError('WATCHLIST_ENTRY_NOT_FOUND', 404);
      const set: Record<string, unknown> = { updated_at: uow.now, version: current.version + 1 };
      if (input.reason !== undefined) set.reason = input.reason;
      if (input.priority !== undefined) set.priority = input.priority;
      if (input.source !== undefined) set.source = input.source.trim();
      if (input.notes !== undefined) set.notes = input.notes?.trim() || null;
      if (expiresAt !== undefined) set.expires_at = expiresAt;
      if (input.active !== undefined) set.active = input.active;
      const updated = await uow.db
        .updateTable('alpr_watchlist')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      uow.audit({
        action:
          input.active === false && current.active ? 'alpr.watchlist.removed' : 'alpr.watchlist.updated',
        entityType: 'alpr_watchlist',
        entityId: id,
        before: auditView(current),
        after: auditView(updated),
        reason: changeReason,
      });
      return updated;
    });
    return toWatchlistEntry(row, now);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('WATCHLIST_PLATE_ACTIVE', 409, {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Plate reads

export interface PlateReadInput {
  readId: string;
  plate: string;
  confidence: number;
  /** A registered camera already looked up (Frigate path) … */
  camera?: CameraRow | null;
  /** … or its id or name as the reader sent it. */
  cameraRef?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  readAt: Date;
  imageUrl?: string | null | undefined;
  source: 'webhook' | 'frigate';
}

interface ReadPlace {
  lon: number;
  lat: number;
  departmentCode: string | null;
  municipalityPcode: string | null;
  camera: CameraRow | null;
}

async function placeOf(deps: EmergenciesDeps, uow: UnitOfWork, input: PlateReadInput): Promise<ReadPlace> {
  if ((input.lon === undefined) !== (input.lat === undefined)) throw new AppError('LOCATION_INCOMPLETE', 400);
  let camera = input.camera ?? null;
  if (!camera && input.cameraRef) {
    const ref = input.cameraRef;
    camera =
      (await uow.db
        .selectFrom('video_cameras')
        .selectAll()
        .where(UUID.test(ref) ? 'id' : 'name', '=', ref)
        .executeTakeFirst()) ?? null;
    if (!camera) throw new AppError('CAMERA_NOT_FOUND', 404);
  }
  // A mobile reader (patrol car) sends where it was; a fixed one is where its camera is.
  if (input.lon !== undefined && input.lat !== undefined) {
    const found = deps.locator.locate(input.lon, input.lat);
    return {
      lon: input.lon,
      lat: input.lat,
      departmentCode: found.departmentCode,
      municipalityPcode: found.municipalityPcode,
      camera,
    };
  }
  if (camera) {
    return {
      lon: camera.lon,
      lat: camera.lat,
      departmentCode: camera.department_code,
      municipalityPcode: camera.municipality_pcode,
      camera,
    };
  }
  throw new AppError('ALPR_LOCATION_REQUIRED', 400);
}

async function openIncidentOfEntry(uow: UnitOfWork, watchlistId: string) {
  return uow.db
    .selectFrom('machine_alerts as m')
    .innerJoin('incidents as i', 'i.id', 'm.incident_id')
    .select(['i.id', 'i.folio', 'i.department_code', 'i.municipality_pcode'])
    .where('m.watchlist_id', '=', watchlistId)
    .where('i.status', 'in', OPEN_STATUSES)
    .orderBy('m.raised_at', 'desc')
    .executeTakeFirst();
}

/**
 * Stores a plate read (idempotent by readId) and matches it against the watchlist: a match at or above
 * ALPR_MIN_CONFIDENCE raises an alert; for a high-priority entry it also opens an incident (or adds the
 * read to the incident already open for that entry). Every read is kept, matched or not.
 */
export async function ingestPlateReadInTx(
  deps: EmergenciesDeps,
  uow: UnitOfWork,
  input: PlateReadInput,
): Promise<{ read: AlprReadRow; duplicate: boolean }> {
  const plate = plateOrThrow(input.plate);
  const existing = await uow.db
    .selectFrom('alpr_reads')
    .selectAll()
    .where('read_id', '=', input.readId)
    .executeTakeFirst();
  if (existing) {
    if (existing.plate !== plate) throw new AppError('ALPR_READ_ID_CONFLICT', 409, { readId: input.readId });
    return { read: existing, duplicate: true };
  }
  let readAt = input.readAt;
  if (readAt.getTime() > uow.now.getTime() + READ_CLOCK_SKEW_MS) {
    // Frigate's frame times come from the NVR's clock: a read is too valuable to drop for that.
    if (input.source !== 'frigate') throw new AppError('ALPR_READ_IN_FUTURE', 400);
    readAt = uow.now;
  }
  const place = await placeOf(deps, uow, input);
  const confidence = Math.min(1, Math.max(0, input.confidence));

  const entry = await uow.db
    .selectFrom('alpr_watchlist')
    .selectAll()
    .where('plate', '=', plate)
    .where('active', '=', true)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', uow.now)]))
    .executeTakeFirst();
  const open =
    entry && confidence >= ALPR_MIN_CONFIDENCE && entry.priority === 'high'
      ? await openIncidentOfEntry(uow, entry.id)
      : undefined;
  const outcome: ReadOutcome = !entry
    ? 'no_match'
    : confidence < ALPR_MIN_CONFIDENCE
      ? 'below_threshold'
      : entry.priority !== 'high'
        ? 'alert'
        : open
          ? 'attached'
          : 'incident_created';
  const where = place.camera
    ? `cámara ${place.camera.name}${place.camera.description ? ` (${place.camera.description})` : ''}`
    : `${place.lat.toFixed(5)}, ${place.lon.toFixed(5)}`;
  const match = entry
    ? {
        watchlistId: entry.id,
        plateDisplay: entry.plate_display,
        reason: entry.reason,
        priority: entry.priority,
        source: entry.source,
      }
    : null;
  const summary = !entry
    ? `Placa ${plate}: sin coincidencia en la lista`
    : confidence < ALPR_MIN_CONFIDENCE
      ? `Placa ${plate} en la lista (${REASONS_ES[entry.reason]}), pero la confianza ${pct(confidence)} es menor que el umbral ${pct(ALPR_MIN_CONFIDENCE)}: sin alerta`
      : `Placa ${plate} en la lista de placas buscadas: motivo ${REASONS_ES[entry.reason]}, prioridad ${PRIORITIES_ES[entry.priority]}, fuente ${entry.source}; confianza ${pct(confidence)} ≥ ${pct(ALPR_MIN_CONFIDENCE)}; ${where}, ${toLocalIso(readAt)}`;
  const explanation = { outcome, plate, confidence, threshold: ALPR_MIN_CONFIDENCE, match, summary };

  const inserted = await uow.db
    .insertInto('alpr_reads')
    .values({
      id: randomUUID(),
      read_id: input.readId,
      source: input.source,
      plate_raw: input.plate.slice(0, 40),
      plate,
      confidence,
      camera_id: place.camera?.id ?? null,
      lon: place.lon,
      lat: place.lat,
      department_code: place.departmentCode,
      municipality_pcode: place.municipalityPcode,
      read_at: readAt,
      received_at: uow.now,
      image_url: input.imageUrl ?? null,
      watchlist_id: entry?.id ?? null,
      outcome,
      explanation: toJsonb(explanation),
      actor_type: uow.ctx.actor.type,
      actor_id: uow.ctx.actor.id,
    })
    .onConflict((oc) => oc.column('read_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    // The same read arrived concurrently and the other request stored it first.
    const stored = await uow.db
      .selectFrom('alpr_reads')
      .selectAll()
      .where('read_id', '=', input.readId)
      .executeTakeFirstOrThrow();
    return { read: stored, duplicate: true };
  }
  if (!entry || outcome === 'no_match' || outcome === 'below_threshold')
    return { read: inserted, duplicate: false };

  let incident: { id: string; action: 'created' | 'attached'; folio: string } | null = null;
  if (outcome === 'attached' && open) {
    await attachAlertToIncident(uow, open, 'alpr_read_attached', {
      readId: input.readId,
      plate,
      confidence,
      readAt: readAt.toISOString(),
      lon: place.lon,
      lat: place.lat,
      cameraName: place.camera?.name ?? null,
      imageUrl: input.imageUrl ?? null,
    });
    incident = { id: open.id, action: 'attached', folio: open.folio };
  } else if (outcome === 'incident_created') {
    const created = await createIncidentInTx(deps, uow, {
      channel: 'alpr',
      typeCode: 'ALERTAS.PLACA',
      narrative: `${summary}.${input.imageUrl ? ` Imagen: ${input.imageUrl}` : ''}`,
      summary: `Placa buscada ${entry.plate_display} (${REASONS_ES[entry.reason]}) detectada en ${where}`,
      location: {
        lon: place.lon,
        lat: place.lat,
        text: place.camera?.description ?? (place.camera ? `Cámara ${place.camera.name}` : undefined),
      },
      external: { source: 'alpr', ref: input.readId },
    });
    incident = { id: created.id, action: 'created', folio: created.folio };
  }
  await raiseAlert(uow, {
    source: 'alpr',
    title: `Placa ${entry.plate_display} (${REASONS_ES[entry.reason]}, prioridad ${PRIORITIES_ES[entry.priority]}) en ${where}`,
    cameraId: place.camera?.id ?? null,
    cameraName: place.camera?.name ?? null,
    label: 'license_plate',
    score: confidence,
    priority: ALERT_PRIORITY[entry.priority],
    lon: place.lon,
    lat: place.lat,
    departmentCode: place.departmentCode,
    municipalityPcode: place.municipalityPcode,
    occurredAt: readAt,
    plate,
    watchlistId: entry.id,
    alprReadId: inserted.id,
    incidentId: incident?.id ?? null,
    incidentAction: incident?.action ?? null,
    explanation: { ...explanation, ...(incident ? { incident } : {}) },
    media: { thumbnailUrl: null, snapshotUrl: input.imageUrl ?? null, clipUrl: null },
  });
  return { read: inserted, duplicate: false };
}

/** The webhook: the reply says only that the read was stored, never whether it matched the watchlist. */
export async function receivePlateRead(deps: EmergenciesDeps, ctx: RequestContext, body: PlateReadBody) {
  const input: PlateReadInput = {
    readId: body.readId,
    plate: body.plate,
    confidence: body.confidence,
    cameraRef: body.cameraId,
    lon: body.lon,
    lat: body.lat,
    readAt: new Date(body.readAt),
    imageUrl: body.imageUrl,
    source: 'webhook',
  };
  const run = () => deps.tx(ctx, (uow) => ingestPlateReadInTx(deps, uow, input));
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run();
  } catch (error) {
    // Two deliveries of one read racing: the loser's transaction failed on the unique read id.
    if (!isUniqueViolation(error)) throw error;
    result = await run();
  }
  return {
    id: result.read.id,
    readId: result.read.read_id,
    duplicate: result.duplicate,
    receivedAt: result.read.received_at.toISOString(),
  };
}

export function toPlateRead(row: AlprReadRow) {
  return {
    id: row.id,
    readId: row.read_id,
    source: row.source,
    plate: row.plate,
    plateRaw: row.plate_raw,
    confidence: row.confidence,
    cameraId: row.camera_id,
    lon: row.lon,
    lat: row.lat,
    departmentCode: row.department_code,
    municipalityPcode: row.municipality_pcode,
    readAt: row.read_at.toISOString(),
    readAtLocal: toLocalIso(row.read_at),
    receivedAt: row.received_at.toISOString(),
    imageUrl: row.image_url,
    watchlistId: row.watchlist_id,
    outcome: row.outcome,
    explanation: jsonObject(row.explanation),
  };
}

/** Searching where vehicles went is a read of personal data: audited with its purpose, before the answer. */
export async function searchPlateReads(deps: EmergenciesDeps, ctx: RequestContext, query: PlateReadQuery) {
  const plate = query.plate ? plateOrThrow(query.plate) : null;
  let q = deps.db.selectFrom('alpr_reads').selectAll();
  if (plate) q = q.where('plate', '=', plate);
  if (query.from) q = q.where('read_at', '>=', new Date(query.from));
  if (query.to) q = q.where('read_at', '<', new Date(query.to));
  const total = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .orderBy('read_at', 'desc')
    .orderBy('id')
    .limit(query.limit ?? 200)
    .offset(query.offset ?? 0)
    .execute();
  await auditPersonalDataRead(deps, ctx, {
    entityType: 'alpr_reads',
    entityId: plate ?? '*',
    fields: ['plate', 'location', 'readAt', 'imageUrl'],
    purpose: query.purpose,
  });
  return { items: rows.map(toPlateRead), total: total?.n ?? 0 };
}
