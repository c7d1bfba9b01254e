import type { FastifyBaseLogger } from 'fastify';
import { type MqttClient, connect as mqttConnect } from 'mqtt';

export type MqttHandler = (topic: string, payload: Buffer) => Promise<void> | void;

/**
 * One MQTT connection per server process (when MQTT_URL is set), shared by the modules that ingest
 * from the broker (AVL positions, Frigate video events). Handlers run one message at a time per
 * subscription, and a failing handler is logged without dropping the connection.
 */
export interface MqttHub {
  subscribe(filter: string, handler: MqttHandler): Promise<void>;
  publish(topic: string, payload: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

/** MQTT topic filter matching with `+` (one level) and `#` (the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** How long `subscribe` waits for the broker's acknowledgement before letting startup go on. */
const SUBSCRIBE_WAIT_MS = 5_000;

export function createMqttHub(
  url: string,
  logger: FastifyBaseLogger,
  clientId = `centinela-${process.pid}-${Date.now()}`,
): MqttHub {
  let client: MqttClient | undefined;
  const subscriptions: { filter: string; handler: MqttHandler; queue: Promise<void> }[] = [];
  // `connect` (not connectAsync) returns at once and keeps retrying every reconnectPeriod, also when
  // the broker is down at startup. Every (re)connection subscribes all filters again (clean session:
  // the broker forgets them), so one mechanism covers a late broker and a lost connection.
  const connect = () => {
    if (client) return client;
    const c = mqttConnect(url, {
      clientId,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 5000,
      resubscribe: false,
    });
    c.on('message', (topic, payload) => {
      for (const sub of subscriptions) {
        if (!topicMatches(sub.filter, topic)) continue;
        sub.queue = sub.queue
          .then(() => sub.handler(topic, payload))
          .catch((error: unknown) => logger.warn({ err: error, topic }, 'mqtt handler failed'));
      }
    });
    c.on('connect', () => {
      logger.info('mqtt connected');
      for (const sub of subscriptions) {
        c.subscribe(sub.filter, { qos: 1 }, (error) => {
          if (error) logger.warn({ err: error, filter: sub.filter }, 'mqtt subscribe failed');
        });
      }
    });
    c.on('error', (error) => logger.warn({ err: error }, 'mqtt connection error'));
    c.on('offline', () => logger.warn('mqtt broker unreachable; retrying'));
    client = c;
    return c;
  };
  const connected = (c: MqttClient) =>
    c.connected
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            c.off('connect', onConnect);
            resolve(false);
          }, SUBSCRIBE_WAIT_MS);
          const onConnect = () => {
            clearTimeout(timer);
            resolve(true);
          };
          c.once('connect', onConnect);
        });
  return {
    async subscribe(filter, handler) {
      const c = connect();
      subscriptions.push({ filter, handler, queue: Promise.resolve() });
      // Wait a little for the broker so that messages published right after startup are not missed;
      // if it is down, startup goes on and the filter is subscribed when it comes up.
      if (!(await connected(c))) {
        logger.warn({ filter }, 'mqtt subscription pending until the broker is reachable');
        return;
      }
      await c.subscribeAsync(filter, { qos: 1 }).catch((error: unknown) => {
        logger.warn({ err: error, filter }, 'mqtt subscribe failed; retried at the next connection');
      });
    },
    async publish(topic, payload) {
      await connect().publishAsync(topic, payload, { qos: 1 });
    },
    async close() {
      if (!client) return;
      const c = client;
      client = undefined;
      await Promise.all(subscriptions.map((s) => s.queue));
      await c.endAsync(true);
    },
  };
}
