import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import type { EventSubscription } from '../../../platform/events/bus.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { messagingRoutes } from '../messaging/messaging.routes.js';
import '../messaging/messaging.policy.js';
import '../messaging/messaging.tables.js';
import '../open311/open311.messages.js';
import '../open311/open311.policy.js';
import '../open311/open311.tables.js';
import { startCitizenNotifications } from './citizen-notify.js';
import './citizen.messages.js';
import { citizenRoutes } from './citizen.routes.js';
import './citizen.tables.js';

export { CITIZEN_TYPES, type CitizenType } from './citizen-types.js';
export { normalizeSvPhone } from './phone.js';

/**
 * Citizen intake channels and follow-up: the public web report and tracking page (/public/…), the
 * messaging gateway webhook (/webhooks/messages) — under /api/v1 — and, as a separate module
 * mounted at /open311/v2, Open311 GeoReport v2 (../open311).
 */
export async function citizenChannelRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  await citizenRoutes(app, deps);
  await messagingRoutes(app, deps);
}

const subscriptions = new Map<AppDeps, EventSubscription>();

/** Starts the consumer that tells citizens about status changes (plain language, never anonymous). */
export async function startCitizenFollowup(appDeps: AppDeps, deps: EmergenciesDeps): Promise<void> {
  if (subscriptions.has(appDeps)) return;
  subscriptions.set(appDeps, await startCitizenNotifications(deps));
}

export async function stopCitizenFollowup(appDeps: AppDeps): Promise<void> {
  const subscription = subscriptions.get(appDeps);
  subscriptions.delete(appDeps);
  await subscription?.stop();
}
