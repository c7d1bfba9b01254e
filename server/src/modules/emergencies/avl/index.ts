import type { AppDeps } from '../../../platform/deps.js';
import './avl.messages.js';
import { subscribeMqttPositions } from './avl.mqtt.js';
import { PositionBatcher } from './batcher.js';
import { ingestPositions } from './ingest.service.js';
import { type OsmAndServer, startOsmAndServer } from './osmand.server.js';
import { ensurePositionPartitions } from './partitions.js';

export { AVL_MQTT_FILTER } from './avl.mqtt.js';
export { avlRoutes } from './avl.routes.js';
export {
  type IngestOptions,
  type IngestOutcome,
  type IngestResult,
  ingestPositions,
  POSITIONS_EVENT,
  type PositionInput,
} from './ingest.service.js';
export { ensurePositionPartitions, listPositionPartitions } from './partitions.js';

const PARTITION_CHECK_MS = 24 * 3_600_000;

interface AvlRuntime {
  batcher: PositionBatcher;
  osmand: OsmAndServer | null;
  timer: NodeJS.Timeout;
  stopped: boolean;
}

/** One runtime per app (tests build several apps in one process). */
const runtimes = new WeakMap<AppDeps, AvlRuntime>();

async function maintainPartitions(deps: AppDeps): Promise<void> {
  try {
    const created = await ensurePositionPartitions(deps.db, deps.clock.now());
    if (created.length > 0) deps.logger.info({ created }, 'AVL: particiones de historial creadas');
  } catch (error) {
    // Not fatal: the default partition keeps receiving positions until the next attempt.
    deps.logger.error({ err: error }, 'AVL: no se pudieron crear las particiones del historial');
  }
}

/**
 * Starts AVL ingestion: history partitions (now and daily), the OsmAnd listener (unless
 * AVL_OSMAND_PORT is negative) and the MQTT subscription (when MQTT_URL is set).
 */
export async function startAvl(deps: AppDeps): Promise<void> {
  if (runtimes.has(deps)) return;
  await maintainPartitions(deps);
  const timer = setInterval(() => void maintainPartitions(deps), PARTITION_CHECK_MS);
  timer.unref();
  const batcher = new PositionBatcher((positions) => ingestPositions(deps, positions));
  const runtime: AvlRuntime = { batcher, osmand: null, timer, stopped: false };
  runtimes.set(deps, runtime);
  const submit = batcher.submit.bind(batcher);

  if (deps.config.avlOsmandPort >= 0) {
    runtime.osmand = await startOsmAndServer({
      host: deps.config.host,
      port: deps.config.avlOsmandPort,
      clock: deps.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      submit,
    });
  }

  if (deps.mqtt) {
    const malformed = deps.metrics.counter({
      name: 'centinela_avl_mqtt_malformed_total',
      help: 'Mensajes MQTT de posición descartados por estar mal formados',
    });
    try {
      await subscribeMqttPositions({
        hub: deps.mqtt,
        clock: deps.clock,
        logger: deps.logger,
        submit,
        onMalformed: () => malformed.inc(),
        isStopped: () => runtime.stopped,
      });
    } catch (error) {
      // The API and the OsmAnd port keep working without the broker.
      deps.logger.error({ err: error }, 'AVL: no se pudo suscribir a las posiciones MQTT');
    }
  }
}

/** Stops accepting fixes, writes those waiting, and closes the OsmAnd listener. */
export async function stopAvl(deps: AppDeps): Promise<void> {
  const runtime = runtimes.get(deps);
  if (!runtime) return;
  runtimes.delete(deps);
  runtime.stopped = true;
  clearInterval(runtime.timer);
  await runtime.osmand?.close();
  await runtime.batcher.close();
}

/** The port the OsmAnd listener is bound to (useful with AVL_OSMAND_PORT=0), or null. */
export function osmandPort(deps: AppDeps): number | null {
  return runtimes.get(deps)?.osmand?.port ?? null;
}
