import type { RequestContext } from '../../../platform/context.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { parsePlateUpdate } from './frigate-payload.js';
import { ingestFrigateEvent, ingestFrigatePlate, ingestFrigateReview } from './ingest.service.js';

/** Frigate's default MQTT topic prefix (`mqtt.topic_prefix` in its config). */
export const FRIGATE_TOPIC_PREFIX = 'frigate';

const frigateContext = (): RequestContext => ({
  actor: { type: 'system', id: null, name: 'frigate (MQTT)' },
  requestId: null,
  ip: null,
  locale: 'es',
});

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Subscribes to Frigate's change feeds on the shared MQTT connection (when MQTT_URL is set):
 * `frigate/events`, `frigate/reviews` and the `lpr` updates of `frigate/tracked_object_update`.
 * A message that cannot be used is logged and dropped; it never stops the subscription.
 */
export async function startFrigateMqttIntake(deps: EmergenciesDeps): Promise<boolean> {
  const mqtt = deps.mqtt;
  if (!mqtt) return false;
  const handle =
    (kind: string, ingest: (payload: unknown) => Promise<unknown>) =>
    async (topic: string, payload: Buffer) => {
      const body = parseJson(payload);
      if (body === undefined) {
        deps.logger.warn({ topic, kind }, 'frigate mqtt: payload is not JSON, dropped');
        return;
      }
      try {
        await ingest(body);
      } catch (error) {
        deps.logger.warn({ err: error, topic, kind }, 'frigate mqtt: message not ingested');
      }
    };
  await mqtt.subscribe(
    `${FRIGATE_TOPIC_PREFIX}/events`,
    handle('event', (body) => ingestFrigateEvent(deps, frigateContext(), body)),
  );
  await mqtt.subscribe(
    `${FRIGATE_TOPIC_PREFIX}/reviews`,
    handle('review', (body) => ingestFrigateReview(deps, frigateContext(), body)),
  );
  await mqtt.subscribe(
    `${FRIGATE_TOPIC_PREFIX}/tracked_object_update`,
    handle('tracked_object_update', async (body) => {
      const update = parsePlateUpdate(body);
      if (update) await ingestFrigatePlate(deps, frigateContext(), update);
    }),
  );
  return true;
}
