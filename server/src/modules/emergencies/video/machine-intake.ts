import type { FastifyInstance } from 'fastify';
import { alprRoutes } from '../alpr/alpr.routes.js';
import { startPlateReadRetention, stopPlateReadRetention } from '../alpr/retention.js';
import { deviceRoutes } from '../devices/devices.routes.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { cameraConfigRoutes } from './camera-config.routes.js';
import { startFrigateMqttIntake } from './mqtt-intake.js';
import { videoRoutes } from './video.routes.js';

/**
 * Machine intake channels of the 911 module, wired into the module from one place: panic buttons and
 * other alert devices (devices/), video analytics from Frigate (video/) and ALPR plate reads (alpr/).
 */
export async function machineIntakeRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  await deviceRoutes(app, deps);
  await videoRoutes(app, deps);
  await cameraConfigRoutes(app, deps);
  await alprRoutes(app, deps);
}

/** MQTT subscriptions to Frigate (when MQTT_URL is set) and the plate-read retention purge. */
export async function startMachineIntake(deps: EmergenciesDeps): Promise<void> {
  await startFrigateMqttIntake(deps);
  startPlateReadRetention(deps);
}

export function stopMachineIntake(): void {
  stopPlateReadRetention();
}
