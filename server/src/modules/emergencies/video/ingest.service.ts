import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { ingestPlateReadInTx } from '../alpr/alpr.service.js';
import { normalizePlate } from '../alpr/plates.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { createIncidentInTx } from '../incidents/intake.js';
import {
  attachAlertToIncident,
  findAlertCovering,
  findNearbyOpenIncident,
  lockAlert,
  raiseAlert,
  updateAlert,
} from './alerts.service.js';
import { findCameraByName, rulesForCamera } from './config.service.js';
import {
  type FrigateEventMessage,
  type FrigateObject,
  type FrigatePlateUpdate,
  type FrigateReviewMessage,
  parseFrigateEvent,
  parseFrigateReview,
  zonesOf,
} from './frigate-payload.js';
import { toLocalIso } from './local-time.js';
import { eventMediaUrls, type MediaUrls } from './media.js';
import { type Evaluation, evaluateRules } from './rules.js';
import { jsonArray, jsonObject, territoryOf, toJsonb } from './territory.js';
import { VIDEO_PERMISSIONS } from './video.policy.js';
import type { VideoEventListQuery } from './video.schemas.js';
import type { CameraRow, EventDecision, VideoEventRow } from './video.tables.js';

/**
 * Frigate ingest (docs/standards/frigate-events.md §6): messages are keyed on `after.id` and upserted
 * with the last state; each message of an object not yet escalated to an incident is evaluated against
 * the camera's rules and the decision is recorded with its explanation. An object raises at most one
 * alert and one incident however many `update`/`end` messages follow; alerts from `frigate/reviews`
 * and from `frigate/events` deduplicate each other through the review's `data.detections`.
 */

/** Labels whose `recognized_license_plate` feeds the ALPR matcher. */
const VEHICLE_LABELS = new Set(['car', 'motorcycle', 'bus', 'truck', 'license_plate']);

const LABELS_ES: Record<string, string> = {
  person: 'persona',
  car: 'vehículo',
  motorcycle: 'motocicleta',
  bus: 'autobús',
  truck: 'camión',
  bicycle: 'bicicleta',
  dog: 'perro',
  cat: 'gato',
  license_plate: 'placa',
  face: 'rostro',
  package: 'paquete',
};
const labelEs = (label: string | null) => (label ? (LABELS_ES[label] ?? label) : 'objeto');

export interface EventResult {
  frigateId: string;
  type: string;
  decision: EventDecision;
  summary: string;
  alertId: string | null;
  incidentId: string | null;
  stale: boolean;
}

export interface ReviewResult {
  reviewId: string;
  type: string;
  decision: string;
  summary: string;
  alertId: string | null;
}

function invalid(problems: { field: string; message: string }[]): AppError {
  return new AppError('FRIGATE_PAYLOAD_INVALID', 400, {}, problems);
}

/** Ingests one `frigate/events` message (MQTT or webhook). Throws 400 FRIGATE_PAYLOAD_INVALID when unusable. */
export async function ingestFrigateEvent(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  payload: unknown,
): Promise<EventResult> {
  const parsed = parseFrigateEvent(payload);
  if (!parsed.ok) throw invalid(parsed.problems);
  return deps.tx(ctx, (uow) => ingestEventInTx(deps, uow, parsed.value));
}

/** Ingests one `frigate/reviews` message. */
export async function ingestFrigateReview(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  payload: unknown,
): Promise<ReviewResult> {
  const parsed = parseFrigateReview(payload);
  if (!parsed.ok) throw invalid(parsed.problems);
  return deps.tx(ctx, (uow) => ingestReviewInTx(uow, parsed.value));
}

/** A `tracked_object_update` of type `lpr`: the plate Frigate recognised on a tracked vehicle. */
export async function ingestFrigatePlate(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  update: FrigatePlateUpdate,
): Promise<void> {
  const camera = await findCameraByName(deps.db, update.camera);
  if (!camera?.active) return;
  const plate = normalizePlate(update.plate);
  if (!plate) return;
  await deps.tx(ctx, async (uow) => {
    await ingestPlateReadInTx(deps, uow, {
      readId: `frigate:${update.id}:${plate}`,
      plate: update.plate,
      confidence: update.score ?? 0,
      camera,
      readAt: update.timestamp ?? uow.now,
      imageUrl: eventMediaUrls(camera.frigate_base_url, update.id, { hasSnapshot: true, hasClip: false })
        .snapshotUrl,
      source: 'frigate',
    });
  });
}

function eventState(a: FrigateObject) {
  return {
    label: a.label,
    sub_label: a.subLabel?.name ?? null,
    top_score: a.topScore,
    score: a.score,
    zones: toJsonb(zonesOf(a)),
    false_positive: a.falsePositive,
    has_snapshot: a.hasSnapshot,
    has_clip: a.hasClip,
    start_time: a.startTime,
    end_time: a.endTime,
    frame_time: a.frameTime,
    state: toJsonb(a.raw),
  };
}

function ignoredExplanation(reason: string, summary: string): Record<string, unknown> {
  return { outcome: 'ignored', reason, summary };
}

function explanationOf(evaluation: Evaluation, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    outcome: evaluation.outcome,
    ruleId: evaluation.rule?.id ?? null,
    summary: evaluation.summary,
    checks: evaluation.checks,
    ...extra,
  };
}

function titleOf(a: FrigateObject, camera: CameraRow): string {
  const zones = zonesOf(a);
  const where = camera.description ? `${camera.name} (${camera.description})` : camera.name;
  return `Video: ${labelEs(a.label)} en ${where}${zones.length ? `, zonas ${zones.join(', ')}` : ''}`;
}

async function ingestEventInTx(
  deps: EmergenciesDeps,
  uow: UnitOfWork,
  msg: FrigateEventMessage,
): Promise<EventResult> {
  const a = msg.after;
  const camera = await findCameraByName(uow.db, a.camera);
  await uow.db
    .insertInto('video_events')
    .values({
      id: randomUUID(),
      frigate_id: a.id,
      camera_name: a.camera,
      camera_id: camera?.id ?? null,
      // The state proper is written below, after the checks that compare it with the stored one.
      ...eventState(a),
      end_time: null,
      frame_time: null,
      last_type: msg.type,
      messages: 0,
      recognized_plate: null,
      decision: 'pending',
      explanation: toJsonb({}),
      rule_id: null,
      alert_id: null,
      incident_id: null,
      first_seen_at: uow.now,
      last_seen_at: uow.now,
    })
    .onConflict((oc) => oc.column('frigate_id').doNothing())
    .execute();
  const row = await uow.db
    .selectFrom('video_events')
    .selectAll()
    .where('frigate_id', '=', a.id)
    .forUpdate()
    .executeTakeFirstOrThrow();

  const result = (r: VideoEventRow, stale = false): EventResult => ({
    frigateId: a.id,
    type: msg.type,
    decision: r.decision,
    summary: String(jsonObject(r.explanation).summary ?? ''),
    alertId: r.alert_id,
    incidentId: r.incident_id,
    stale,
  });

  // A message older than the state we hold (MQTT and webhook racing, redeliveries) must not roll it back.
  const ended = row.end_time !== null;
  const older = row.frame_time && a.frameTime && a.frameTime < row.frame_time;
  if ((ended && msg.type !== 'end') || older) {
    await uow.db
      .updateTable('video_events')
      .set({ messages: row.messages + 1, last_seen_at: uow.now })
      .where('id', '=', row.id)
      .execute();
    return result(row, true);
  }

  let decision = row.decision;
  let explanation = jsonObject(row.explanation);
  let ruleId = row.rule_id;
  let alertId = row.alert_id;
  let incidentId = row.incident_id;
  const media: MediaUrls = eventMediaUrls(camera?.frigate_base_url, a.id, a);
  const alerted = alertId !== null;

  if (!incidentId) {
    if (!camera) {
      if (!alerted) {
        decision = 'ignored';
        explanation = ignoredExplanation(
          'camera_not_registered',
          `Cámara «${a.camera}» no registrada: evento ignorado`,
        );
      }
    } else if (!camera.active) {
      if (!alerted) {
        decision = 'ignored';
        explanation = ignoredExplanation('camera_inactive', `Cámara «${a.camera}» inactiva: evento ignorado`);
      }
    } else if (a.falsePositive) {
      if (!alerted) {
        decision = 'ignored';
        explanation = ignoredExplanation('false_positive', 'Falso positivo según Frigate: evento ignorado');
      }
    } else {
      const rules = await rulesForCamera(uow.db, camera.id);
      const evaluation = evaluateRules(rules, {
        label: a.label,
        score: a.topScore ?? a.score,
        zones: zonesOf(a),
        at: a.frameTime ?? a.startTime ?? uow.now,
      });
      if (evaluation.outcome === 'ignored') {
        if (!alerted) {
          decision = 'ignored';
          explanation = explanationOf(evaluation);
        }
      } else if (!(alerted && evaluation.outcome === 'alert_only')) {
        const rule = evaluation.rule!;
        const existing = alertId ? await lockAlert(uow, alertId) : await findAlertCovering(uow, [a.id]);
        let incident: { id: string; action: 'created' | 'attached'; detail: Record<string, unknown> } | null =
          null;
        if (rule.action !== 'alert_only') {
          const nearby =
            rule.action === 'attach_nearby'
              ? await findNearbyOpenIncident(
                  uow,
                  camera.lon,
                  camera.lat,
                  rule.attachMeters,
                  rule.attachMinutes,
                )
              : null;
          if (nearby) {
            await attachAlertToIncident(uow, nearby.incident, 'video_alert_attached', {
              frigateId: a.id,
              camera: camera.name,
              label: a.label,
              score: a.topScore ?? a.score,
              ruleId: rule.id,
              distanceM: nearby.distanceM,
              ...media,
            });
            incident = {
              id: nearby.incident.id,
              action: 'attached',
              detail: {
                incidentId: nearby.incident.id,
                folio: nearby.incident.folio,
                distanceM: nearby.distanceM,
                summary: `Agregado al incidente abierto ${nearby.incident.folio} a ${nearby.distanceM} m`,
              },
            };
          } else {
            const created = await createIncidentInTx(deps, uow, {
              channel: 'video',
              typeCode: 'ALERTAS.VIDEO',
              priority: rule.priority,
              priorityReason: `Prioridad de la regla de video «${rule.name}»`,
              narrative: `${titleOf(a, camera)}. ${evaluation.summary}. Evento Frigate ${a.id}${
                a.startTime ? `, inicio ${toLocalIso(a.startTime)}` : ''
              }.`,
              summary: titleOf(a, camera),
              location: {
                lon: camera.lon,
                lat: camera.lat,
                text: camera.description ?? `Cámara ${camera.name}`,
              },
              external: { source: 'frigate', ref: a.id },
            });
            incident = {
              id: created.id,
              action: 'created',
              detail: {
                incidentId: created.id,
                folio: created.folio,
                summary:
                  rule.action === 'attach_nearby'
                    ? `Sin incidente abierto a ${rule.attachMeters} m en ${rule.attachMinutes} min: incidente ${created.folio} creado`
                    : `Incidente ${created.folio} creado`,
              },
            };
          }
        }
        explanation = explanationOf(evaluation, incident ? { incident: incident.detail } : {});
        decision = incident
          ? incident.action === 'created'
            ? 'incident_created'
            : 'attached'
          : 'alert_only';
        ruleId = rule.id;
        incidentId = incident?.id ?? null;
        const score = a.topScore ?? a.score;
        if (existing) {
          const updated = await updateAlert(
            uow,
            existing,
            {
              priority: rule.priority,
              ruleId: rule.id,
              label: a.label,
              score,
              addFrigateEventIds: [a.id],
              media,
              explanation: { frigateId: a.id, ...explanation },
              ...(incident ? { incidentId: incident.id, incidentAction: incident.action } : {}),
            },
            incident ? 'escalated' : 'event_linked',
          );
          alertId = updated.id;
        } else {
          const raised = await raiseAlert(uow, {
            source: 'frigate_event',
            title: titleOf(a, camera),
            cameraId: camera.id,
            cameraName: camera.name,
            label: a.label,
            score,
            priority: rule.priority,
            lon: camera.lon,
            lat: camera.lat,
            departmentCode: camera.department_code,
            municipalityPcode: camera.municipality_pcode,
            occurredAt: a.startTime ?? a.frameTime ?? uow.now,
            frigateEventIds: [a.id],
            ruleId: rule.id,
            incidentId: incident?.id ?? null,
            incidentAction: incident?.action ?? null,
            explanation,
            media,
          });
          alertId = raised.id;
        }
      }
    }
  }

  // The end of an object that raised something: close the alert and leave the media links on the case.
  if (msg.type === 'end' && row.end_time === null) {
    if (alertId) {
      const alert = await lockAlert(uow, alertId);
      if (alert && alert.source === 'frigate_event' && !alert.ended_at) {
        await updateAlert(uow, alert, { endedAt: a.endTime ?? uow.now, media }, 'ended');
      }
    }
    if (incidentId) {
      const incident = await uow.db
        .selectFrom('incidents')
        .select(['id', 'folio', 'department_code', 'municipality_pcode'])
        .where('id', '=', incidentId)
        .executeTakeFirst();
      if (incident) {
        await attachAlertToIncident(uow, incident, 'video_event_ended', {
          frigateId: a.id,
          camera: a.camera,
          endedAt: (a.endTime ?? uow.now).toISOString(),
          ...media,
        });
      }
    }
  }

  // Plates Frigate read on vehicles go to the ALPR matcher (idempotent per event and plate).
  const plate = a.recognizedPlate ? normalizePlate(a.recognizedPlate) : null;
  if (plate && camera?.active && a.label && VEHICLE_LABELS.has(a.label) && !a.falsePositive) {
    await ingestPlateReadInTx(deps, uow, {
      readId: `frigate:${a.id}:${plate}`,
      plate: a.recognizedPlate!,
      confidence: a.recognizedPlateScore ?? 0,
      camera,
      readAt: a.frameTime ?? uow.now,
      imageUrl: media.snapshotUrl ?? media.thumbnailUrl,
      source: 'frigate',
    });
  }

  const updated = await uow.db
    .updateTable('video_events')
    .set({
      camera_id: camera?.id ?? null,
      ...eventState(a),
      last_type: msg.type,
      messages: row.messages + 1,
      recognized_plate: plate ?? row.recognized_plate,
      decision,
      explanation: toJsonb(explanation),
      rule_id: ruleId,
      alert_id: alertId,
      incident_id: incidentId,
      last_seen_at: uow.now,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return result(updated);
}

async function ingestReviewInTx(uow: UnitOfWork, msg: FrigateReviewMessage): Promise<ReviewResult> {
  const r = msg.after;
  const camera = await findCameraByName(uow.db, r.camera);
  await uow.db
    .insertInto('video_reviews')
    .values({
      id: randomUUID(),
      review_id: r.id,
      camera_name: r.camera,
      camera_id: camera?.id ?? null,
      severity: r.severity,
      detections: toJsonb([]),
      objects: toJsonb(r.objects),
      zones: toJsonb(r.zones),
      start_time: r.startTime,
      end_time: null,
      last_type: msg.type,
      messages: 0,
      state: toJsonb(r.raw),
      decision: 'pending',
      explanation: toJsonb({}),
      alert_id: null,
      first_seen_at: uow.now,
      last_seen_at: uow.now,
    })
    .onConflict((oc) => oc.column('review_id').doNothing())
    .execute();
  const row = await uow.db
    .selectFrom('video_reviews')
    .selectAll()
    .where('review_id', '=', r.id)
    .forUpdate()
    .executeTakeFirstOrThrow();

  // Detections only accumulate (Frigate adds objects to a review as they join).
  const detections = jsonArray(row.detections);
  for (const d of r.detections) if (!detections.includes(d)) detections.push(d);
  let decision = row.decision;
  let explanation = jsonObject(row.explanation);
  let alertId = row.alert_id;
  const firstDetection = detections[0];
  const media = firstDetection
    ? { ...eventMediaUrls(camera?.frigate_base_url, firstDetection, { hasSnapshot: false, hasClip: false }) }
    : undefined;

  if (!alertId) {
    if (!camera) {
      decision = 'ignored';
      explanation = ignoredExplanation(
        'camera_not_registered',
        `Cámara «${r.camera}» no registrada: revisión ignorada`,
      );
    } else if (!camera.active) {
      decision = 'ignored';
      explanation = ignoredExplanation('camera_inactive', `Cámara «${r.camera}» inactiva: revisión ignorada`);
    } else if (r.severity !== 'alert') {
      decision = 'ignored';
      explanation = ignoredExplanation(
        'severity_detection',
        `Severidad «${r.severity ?? '(ninguna)'}»: solo las revisiones de severidad «alert» abren una alerta`,
      );
    } else {
      const existing = await findAlertCovering(uow, detections);
      if (existing) {
        const linked = await updateAlert(
          uow,
          existing,
          {
            addFrigateEventIds: detections,
            reviewId: r.id,
            explanation: { reviewId: r.id, summary: 'Revisión de Frigate vinculada' },
          },
          'review_linked',
        );
        alertId = linked.id;
        decision = 'deduplicated';
        explanation = {
          outcome: 'deduplicated',
          summary: `Revisión con severidad «alert»; sus detecciones ya tenían la alerta ${linked.id}`,
          alertId: linked.id,
        };
      } else {
        const objects = r.objects.map((o) => labelEs(o)).join(', ') || 'objetos';
        const where = camera.description ? `${camera.name} (${camera.description})` : camera.name;
        explanation = {
          outcome: 'alert_opened',
          summary: 'Revisión de Frigate con severidad «alert»: alerta abierta (recomendación de Frigate)',
          objects: r.objects,
          zones: r.zones,
          subLabels: r.subLabels,
          detections,
        };
        const raised = await raiseAlert(uow, {
          source: 'frigate_review',
          title: `Video: ${objects} en ${where}${r.zones.length ? `, zonas ${r.zones.join(', ')}` : ''}`,
          cameraId: camera.id,
          cameraName: camera.name,
          label: r.objects[0] ?? null,
          lon: camera.lon,
          lat: camera.lat,
          departmentCode: camera.department_code,
          municipalityPcode: camera.municipality_pcode,
          occurredAt: r.startTime ?? uow.now,
          frigateEventIds: detections,
          reviewId: r.id,
          explanation,
          ...(media ? { media } : {}),
        });
        alertId = raised.id;
        decision = 'alert_opened';
      }
    }
  } else {
    const alert = await lockAlert(uow, alertId);
    const added = detections.filter((d) => !jsonArray(alert?.frigate_event_ids).includes(d));
    const ending =
      msg.type === 'end' && row.end_time === null && alert?.review_id === r.id && !alert.ended_at;
    if (alert && (added.length > 0 || ending)) {
      await updateAlert(
        uow,
        alert,
        { addFrigateEventIds: added, ...(ending ? { endedAt: r.endTime ?? uow.now } : {}) },
        ending ? 'ended' : 'detections_added',
      );
    }
  }

  const updated = await uow.db
    .updateTable('video_reviews')
    .set({
      camera_id: camera?.id ?? null,
      severity: r.severity,
      detections: toJsonb(detections.slice(0, 500)),
      objects: toJsonb(r.objects),
      zones: toJsonb(r.zones),
      start_time: r.startTime,
      end_time: r.endTime,
      last_type: msg.type,
      messages: row.messages + 1,
      state: toJsonb(r.raw),
      decision,
      explanation: toJsonb(explanation),
      alert_id: alertId,
      last_seen_at: uow.now,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    reviewId: r.id,
    type: msg.type,
    decision: updated.decision,
    summary: String(explanation.summary ?? ''),
    alertId: updated.alert_id,
  };
}

export function toVideoEvent(row: VideoEventRow, baseUrl: string | null) {
  return {
    id: row.id,
    frigateId: row.frigate_id,
    cameraName: row.camera_name,
    cameraId: row.camera_id,
    label: row.label,
    subLabel: row.sub_label,
    topScore: row.top_score,
    score: row.score,
    zones: jsonArray(row.zones),
    falsePositive: row.false_positive,
    startTime: row.start_time?.toISOString() ?? null,
    startTimeLocal: row.start_time ? toLocalIso(row.start_time) : null,
    endTime: row.end_time?.toISOString() ?? null,
    lastType: row.last_type,
    messages: row.messages,
    decision: row.decision,
    explanation: jsonObject(row.explanation),
    ruleId: row.rule_id,
    alertId: row.alert_id,
    incidentId: row.incident_id,
    media: eventMediaUrls(baseUrl, row.frigate_id, { hasSnapshot: row.has_snapshot, hasClip: row.has_clip }),
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  };
}

/** Events received, newest first; outside national scope, only those of cameras in the caller's territory. */
export async function listVideoEvents(
  deps: EmergenciesDeps,
  principal: Principal,
  query: VideoEventListQuery,
) {
  const territory = territoryOf(principal, VIDEO_PERMISSIONS.alertRead);
  let q = deps.db
    .selectFrom('video_events')
    .leftJoin('video_cameras', 'video_cameras.id', 'video_events.camera_id')
    .selectAll('video_events')
    .select('video_cameras.frigate_base_url');
  if (!territory.national) {
    q = q.where((eb) => {
      const ors = [];
      if (territory.departments.length)
        ors.push(eb('video_cameras.department_code', 'in', territory.departments));
      if (territory.municipalities.length) {
        ors.push(eb('video_cameras.municipality_pcode', 'in', territory.municipalities));
      }
      return ors.length ? eb.or(ors) : eb.val(false);
    });
  }
  if (query.camera) q = q.where('video_events.camera_name', '=', query.camera);
  if (query.frigateId) q = q.where('video_events.frigate_id', '=', query.frigateId);
  if (query.decision) q = q.where('video_events.decision', '=', query.decision);
  const total = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .orderBy('video_events.last_seen_at', 'desc')
    .orderBy('video_events.id')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map((row) => toVideoEvent(row, row.frigate_base_url)), total: total?.n ?? 0 };
}
