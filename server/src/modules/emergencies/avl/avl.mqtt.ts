import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../../platform/context.js';
import type { MqttHub } from '../../../platform/mqtt.js';
import { capAttributes } from './attributes.js';
import type { IngestOutcome, PositionInput } from './ingest.service.js';
import { epochNumberToDate, parseEpoch, parseIsoInstant } from './time-parse.js';

/** Devices publish to `centinela/avl/<device id>`; the broker's ACLs should let each publish only there. */
export const AVL_MQTT_FILTER = 'centinela/avl/+';
const MAX_PAYLOAD_BYTES = 16 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalNumber(value: unknown): number | null | false {
  if (value === undefined || value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) ? value : false;
}

/**
 * `{lat, lon, speedKmh?, heading?, accuracyM?, recordedAt?, attributes?}`; recordedAt is ISO-8601
 * with a zone or an epoch (seconds below 2^31−1, else milliseconds, as in OsmAnd); absent means now.
 * Returns null when the payload is malformed.
 */
export function decodeMqttPosition(topic: string, payload: Buffer, now: Date): PositionInput | null {
  const deviceId = topic.split('/')[2];
  if (!deviceId || payload.length > MAX_PAYLOAD_BYTES) return null;
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(body)) return null;
  const { lat, lon } = body;
  if (typeof lat !== 'number' || typeof lon !== 'number') return null;
  const speedKmh = optionalNumber(body.speedKmh);
  const heading = optionalNumber(body.heading);
  const accuracyM = optionalNumber(body.accuracyM);
  if (speedKmh === false || heading === false || accuracyM === false) return null;
  let recordedAt: Date | null = now;
  if (typeof body.recordedAt === 'string')
    recordedAt = parseIsoInstant(body.recordedAt) ?? parseEpoch(body.recordedAt) ?? null;
  else if (typeof body.recordedAt === 'number') recordedAt = epochNumberToDate(body.recordedAt);
  else if (body.recordedAt !== undefined && body.recordedAt !== null) return null;
  if (!recordedAt) return null;
  return {
    deviceId,
    lat,
    lon,
    speedKmh,
    heading,
    accuracyM,
    recordedAt,
    source: 'mqtt',
    attributes: isObject(body.attributes) ? capAttributes(body.attributes) : null,
  };
}

/**
 * Subscribes to AVL positions on the shared MQTT hub. The hub runs one handler call at a time, so
 * the handler hands each fix to the batcher without waiting for its transaction (QoS 1 messages are
 * acknowledged by the client library on receipt anyway). Every server instance subscribes and
 * receives every message: the history's unique (unit, time) index stores each fix once.
 */
export async function subscribeMqttPositions(options: {
  hub: MqttHub;
  clock: Clock;
  logger: FastifyBaseLogger;
  submit: (position: PositionInput) => Promise<IngestOutcome>;
  onMalformed: () => void;
  isStopped: () => boolean;
}): Promise<void> {
  const { hub, clock, logger, submit } = options;
  await hub.subscribe(AVL_MQTT_FILTER, (topic, payload) => {
    if (options.isStopped()) return;
    const position = decodeMqttPosition(topic, payload, clock.now());
    if (!position) {
      options.onMalformed();
      logger.debug({ topic }, 'avl mqtt: mensaje mal formado');
      return;
    }
    submit(position)
      .then((outcome) => {
        if (outcome.status === 'rejected')
          logger.debug({ topic, code: outcome.code }, 'avl mqtt: posición rechazada');
      })
      .catch((error: unknown) =>
        logger.warn({ err: error, topic }, 'avl mqtt: no se pudo guardar la posición'),
      );
  });
}
