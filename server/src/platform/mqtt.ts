import type { FastifyBaseLogger } from 'fastify';
import { connectAsync, type MqttClient } from 'mqtt';

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

export function createMqttHub(
  url: string,
  logger: FastifyBaseLogger,
  clientId = `centinela-${process.pid}-${Date.now()}`,
): MqttHub {
  let client: Promise<MqttClient> | undefined;
  const subscriptions: { filter: string; handler: MqttHandler; queue: Promise<void> }[] = [];
  const connect = () => {
    client ??= connectAsync(url, { clientId, clean: true, reconnectPeriod: 2000, connectTimeout: 5000 }).then(
      (c) => {
        c.on('message', (topic, payload) => {
          for (const sub of subscriptions) {
            if (!topicMatches(sub.filter, topic)) continue;
            sub.queue = sub.queue
              .then(() => sub.handler(topic, payload))
              .catch((error: unknown) => logger.warn({ err: error, topic }, 'mqtt handler failed'));
          }
        });
        c.on('error', (error) => logger.warn({ err: error }, 'mqtt connection error'));
        return c;
      },
    );
    return client;
  };
  return {
    async subscribe(filter, handler) {
      const c = await connect();
      subscriptions.push({ filter, handler, queue: Promise.resolve() });
      await c.subscribeAsync(filter, { qos: 1 });
    },
    async publish(topic, payload) {
      const c = await connect();
      await c.publishAsync(topic, payload, { qos: 1 });
    },
    async close() {
      if (!client) return;
      const c = await client.catch(() => undefined);
      await Promise.all(subscriptions.map((s) => s.queue));
      await c?.endAsync();
      client = undefined;
    },
  };
}
