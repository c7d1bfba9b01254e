import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import type { Principal } from '../../../platform/http/principal.js';
import { OPEN_STATUSES } from '../catalog.js';
import { boundingDeltas, distanceMeters } from '../geo-math.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import type { IncidentRecord } from '../incidents/incidents.tables.js';
import { appendTimeline, incidentEventScope } from '../incidents/transitions.js';
import { toLocalIso } from './local-time.js';
import type { MediaUrls } from './media.js';
import { jsonArray, jsonObject, territoryOf, toJsonb } from './territory.js';
import { VIDEO_PERMISSIONS } from './video.policy.js';
import type { AlertSource, MachineAlertRow } from './video.tables.js';

/**
 * The feed of machine alerts (video events, Frigate review items, ALPR matches). Each alert is a row
 * and an outbox event on the `alerts` topic, written in the same transaction, so the command centre
 * sees it live over the WebSocket (permission video.alert.read, filtered by territory).
 */
export const ALERTS_TOPIC = 'alerts';

export interface NewMachineAlert {
  source: AlertSource;
  title: string;
  cameraId?: string | null;
  cameraName?: string | null;
  label?: string | null;
  score?: number | null;
  priority?: number | null;
  lon?: number | null;
  lat?: number | null;
  departmentCode?: string | null;
  municipalityPcode?: string | null;
  occurredAt: Date;
  frigateEventIds?: string[];
  reviewId?: string | null;
  plate?: string | null;
  watchlistId?: string | null;
  alprReadId?: string | null;
  ruleId?: string | null;
  incidentId?: string | null;
  incidentAction?: 'created' | 'attached' | null;
  explanation: Record<string, unknown>;
  media?: MediaUrls;
}

export function toMachineAlert(row: MachineAlertRow) {
  return {
    id: row.id,
    source: row.source,
    title: row.title,
    cameraId: row.camera_id,
    cameraName: row.camera_name,
    label: row.label,
    score: row.score,
    priority: row.priority,
    location: {
      lon: row.lon,
      lat: row.lat,
      departmentCode: row.department_code,
      municipalityPcode: row.municipality_pcode,
    },
    occurredAt: row.occurred_at.toISOString(),
    occurredAtLocal: toLocalIso(row.occurred_at),
    raisedAt: row.raised_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    frigateEventIds: jsonArray(row.frigate_event_ids),
    reviewId: row.review_id,
    plate: row.plate,
    watchlistId: row.watchlist_id,
    incidentId: row.incident_id,
    incidentAction: row.incident_action,
    ruleId: row.rule_id,
    explanation: jsonObject(row.explanation),
    media: { thumbnailUrl: row.thumbnail_url, snapshotUrl: row.snapshot_url, clipUrl: row.clip_url },
  };
}
export type MachineAlert = ReturnType<typeof toMachineAlert>;

function alertEvent(type: string, row: MachineAlertRow, change?: string) {
  const alert = toMachineAlert(row);
  return {
    type,
    topic: ALERTS_TOPIC,
    entityType: 'machine_alert',
    entityId: row.id,
    permission: VIDEO_PERMISSIONS.alertRead,
    scope: { department: row.department_code, municipality: row.municipality_pcode },
    payload: { ...alert, ...(change ? { change } : {}) },
  };
}

export async function raiseAlert(uow: UnitOfWork, input: NewMachineAlert): Promise<MachineAlertRow> {
  const row = await uow.db
    .insertInto('machine_alerts')
    .values({
      id: randomUUID(),
      source: input.source,
      title: input.title.slice(0, 300),
      camera_id: input.cameraId ?? null,
      camera_name: input.cameraName ?? null,
      label: input.label ?? null,
      score: input.score ?? null,
      priority: input.priority ?? null,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      department_code: input.departmentCode ?? null,
      municipality_pcode: input.municipalityPcode ?? null,
      occurred_at: input.occurredAt,
      raised_at: uow.now,
      ended_at: null,
      frigate_event_ids: toJsonb(input.frigateEventIds ?? []),
      review_id: input.reviewId ?? null,
      plate: input.plate ?? null,
      watchlist_id: input.watchlistId ?? null,
      alpr_read_id: input.alprReadId ?? null,
      rule_id: input.ruleId ?? null,
      incident_id: input.incidentId ?? null,
      incident_action: input.incidentAction ?? null,
      explanation: toJsonb(input.explanation),
      thumbnail_url: input.media?.thumbnailUrl ?? null,
      snapshot_url: input.media?.snapshotUrl ?? null,
      clip_url: input.media?.clipUrl ?? null,
      updated_at: uow.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  uow.audit({
    action: 'machine_alert.raised',
    entityType: 'machine_alert',
    entityId: row.id,
    after: {
      source: row.source,
      cameraName: row.camera_name,
      label: row.label,
      priority: row.priority,
      ruleId: row.rule_id,
      incidentId: row.incident_id,
      incidentAction: row.incident_action,
      watchlistId: row.watchlist_id,
    },
  });
  uow.emit(alertEvent('alert.raised', row));
  return row;
}

export interface AlertPatch {
  priority?: number | null;
  ruleId?: string | null;
  label?: string | null;
  score?: number | null;
  incidentId?: string;
  incidentAction?: 'created' | 'attached';
  addFrigateEventIds?: string[];
  reviewId?: string;
  endedAt?: Date;
  media?: Partial<MediaUrls>;
  explanation?: Record<string, unknown>;
}

/** Changes an alert (escalation to an incident, new detections, end, media) and publishes the change. */
export async function updateAlert(
  uow: UnitOfWork,
  alert: MachineAlertRow,
  patch: AlertPatch,
  change: string,
): Promise<MachineAlertRow> {
  const ids = jsonArray(alert.frigate_event_ids);
  for (const id of patch.addFrigateEventIds ?? []) if (!ids.includes(id)) ids.push(id);
  const set: Record<string, unknown> = { updated_at: uow.now, frigate_event_ids: toJsonb(ids.slice(0, 500)) };
  if (patch.priority !== undefined && patch.priority !== null) {
    set.priority = alert.priority === null ? patch.priority : Math.min(alert.priority, patch.priority);
  }
  if (patch.ruleId && !alert.rule_id) set.rule_id = patch.ruleId;
  if (patch.label && !alert.label) set.label = patch.label;
  if (patch.score !== undefined && patch.score !== null) set.score = Math.max(alert.score ?? 0, patch.score);
  if (patch.incidentId && !alert.incident_id) {
    set.incident_id = patch.incidentId;
    set.incident_action = patch.incidentAction ?? 'created';
  }
  if (patch.reviewId && !alert.review_id) set.review_id = patch.reviewId;
  if (patch.endedAt && !alert.ended_at) set.ended_at = patch.endedAt;
  if (patch.media?.thumbnailUrl && !alert.thumbnail_url) set.thumbnail_url = patch.media.thumbnailUrl;
  if (patch.media?.snapshotUrl) set.snapshot_url = patch.media.snapshotUrl;
  if (patch.media?.clipUrl) set.clip_url = patch.media.clipUrl;
  if (patch.explanation) {
    const history = jsonObject(alert.explanation);
    const updates = Array.isArray(history.updates) ? history.updates : [];
    set.explanation = toJsonb({
      ...history,
      updates: [...updates, { at: uow.now.toISOString(), ...patch.explanation }].slice(-20),
    });
  }
  const row = await uow.db
    .updateTable('machine_alerts')
    .set(set)
    .where('id', '=', alert.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (patch.incidentId && !alert.incident_id) {
    uow.audit({
      action: 'machine_alert.escalated',
      entityType: 'machine_alert',
      entityId: alert.id,
      after: { incidentId: patch.incidentId, incidentAction: set.incident_action },
    });
  }
  uow.emit(alertEvent('alert.updated', row, change));
  return row;
}

export async function lockAlert(uow: UnitOfWork, id: string): Promise<MachineAlertRow | undefined> {
  return uow.db.selectFrom('machine_alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A Frigate alert (event or review) already covering one of these event ids, if any. */
export async function findAlertCovering(
  uow: UnitOfWork,
  eventIds: string[],
): Promise<MachineAlertRow | undefined> {
  const ids = eventIds.slice(0, 200);
  if (ids.length === 0) return undefined;
  return uow.db
    .selectFrom('machine_alerts')
    .selectAll()
    .where('source', 'in', ['frigate_event', 'frigate_review'])
    .where((eb) =>
      eb.or(ids.map((id) => eb(sql<string>`frigate_event_ids`, '@>', sql<string>`${toJsonb([id])}::jsonb`))),
    )
    .orderBy('raised_at')
    .forUpdate()
    .executeTakeFirst();
}

/** The nearest open incident within `meters` of a point, created in the last `minutes`. */
export async function findNearbyOpenIncident(
  uow: UnitOfWork,
  lon: number,
  lat: number,
  meters: number,
  minutes: number,
): Promise<{ incident: IncidentRecord; distanceM: number } | null> {
  const { dLat, dLon } = boundingDeltas(lat, meters);
  const since = new Date(uow.now.getTime() - minutes * 60_000);
  const rows = await uow.db
    .selectFrom('incidents')
    .selectAll()
    .where('status', 'in', OPEN_STATUSES)
    .where('created_at', '>=', since)
    .where('lat', '>=', lat - dLat)
    .where('lat', '<=', lat + dLat)
    .where('lon', '>=', lon - dLon)
    .where('lon', '<=', lon + dLon)
    .limit(100)
    .execute();
  let best: { incident: IncidentRecord; distanceM: number } | null = null;
  for (const row of rows) {
    const d = distanceMeters(lon, lat, row.lon!, row.lat!);
    if (d <= meters && (!best || d < best.distanceM)) best = { incident: row, distanceM: Math.round(d) };
  }
  return best;
}

/** Adds a machine alert to an open incident: timeline entry, audit entry and incident event. */
export async function attachAlertToIncident(
  uow: UnitOfWork,
  incident: Pick<IncidentRecord, 'id' | 'folio' | 'department_code' | 'municipality_pcode'>,
  kind: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendTimeline(uow, incident.id, { kind, data });
  uow.audit({
    action: 'incident.alert_attached',
    entityType: 'incident',
    entityId: incident.id,
    changes: { kind, ...data },
  });
  uow.emit({
    type: 'incident.alert_attached',
    entityType: 'incident',
    entityId: incident.id,
    scope: incidentEventScope(incident),
    payload: { id: incident.id, folio: incident.folio, kind, ...data },
  });
}

export interface AlertListQuery {
  source?: AlertSource | undefined;
  camera?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  withIncident?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The alerts feed, newest first, within the caller's territory for video.alert.read. */
export async function listAlerts(deps: EmergenciesDeps, principal: Principal, query: AlertListQuery) {
  const territory = territoryOf(principal, VIDEO_PERMISSIONS.alertRead);
  let q = deps.db.selectFrom('machine_alerts').selectAll();
  if (!territory.national) {
    q = q.where((eb) => {
      const ors = [];
      if (territory.departments.length) ors.push(eb('department_code', 'in', territory.departments));
      if (territory.municipalities.length) ors.push(eb('municipality_pcode', 'in', territory.municipalities));
      return ors.length ? eb.or(ors) : eb.val(false);
    });
  }
  if (query.source) q = q.where('source', '=', query.source);
  if (query.camera) q = q.where('camera_name', '=', query.camera);
  if (query.from) q = q.where('raised_at', '>=', new Date(query.from));
  if (query.to) q = q.where('raised_at', '<', new Date(query.to));
  if (query.withIncident !== undefined) {
    q = q.where('incident_id', query.withIncident ? 'is not' : 'is', null);
  }
  const total = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .orderBy('raised_at', 'desc')
    .orderBy('id')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map(toMachineAlert), total: total?.n ?? 0 };
}
