import net from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMqttHub } from '../src/platform/mqtt.js';

const mqttUrl = process.env.TEST_MQTT_URL ?? process.env.MQTT_URL;

/** A TCP port that refuses connections until `open()`, then forwards them to the real broker. */
async function lateBrokerProxy(target: URL) {
  const placeholder = net.createServer();
  await new Promise<void>((resolve) => placeholder.listen(0, '127.0.0.1', resolve));
  const port = (placeholder.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => placeholder.close(() => resolve()));
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 1883), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    open: () => new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve)),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe.skipIf(!mqttUrl)('MQTT hub', () => {
  it('keeps retrying when the broker is down at startup and delivers once it is up', async () => {
    const proxy = await lateBrokerProxy(new URL(mqttUrl!));
    const hub = createMqttHub(proxy.url, pino({ level: 'silent' }), `centinela-test-late-${Date.now()}`);
    const publisher = createMqttHub(mqttUrl!, pino({ level: 'silent' }), `centinela-test-pub-${Date.now()}`);
    const topic = `centinela/test/late/${Date.now()}`;
    const received: string[] = [];
    try {
      // The broker is unreachable: subscribing does not fail or hang startup for good.
      const started = Date.now();
      await hub.subscribe(topic, (_topic, payload) => {
        received.push(payload.toString());
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      await proxy.open();
      // Publish until the hub, reconnected and subscribed, receives (QoS 1 from a separate client).
      const deadline = Date.now() + 20_000;
      while (received.length === 0 && Date.now() < deadline) {
        await publisher.publish(topic, 'hola');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(received[0]).toBe('hola');
    } finally {
      await hub.close();
      await publisher.close();
      await proxy.close();
    }
  }, 40_000);
});
