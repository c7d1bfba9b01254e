import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../../platform/deps.js';
import type { ModuleDefinition } from '../../platform/module.js';
import './notifications.messages.js';
import './notifications.policy.js';
import { notificationRoutes } from './notifications.routes.js';
import './notifications.tables.js';
import { createNotificationSender, type NotificationSender, type SenderOptions } from './sender.js';
import { transportsFromConfig } from './transports/index.js';

export { maskRecipient } from './mask.js';
export { NOTIFICATION_PERMISSIONS } from './notifications.policy.js';
export {
  listNotifications,
  type NotificationRequest,
  queueNotification,
  renderNotification,
} from './notifications.service.js';
export type { NotificationChannel, NotificationStatus } from './notifications.tables.js';
export { createNotificationSender, type NotificationSender, type SenderOptions } from './sender.js';
export { transportsFromConfig } from './transports/index.js';
export { createLogTransport } from './transports/log.js';
export { createSmtpTransport } from './transports/smtp.js';
export type { NotificationTransport, OutgoingMessage, SendResult } from './transports/transport.js';
export { TransportError } from './transports/transport.js';
export { createWebhookTransport } from './transports/webhook.js';

const senders = new WeakMap<AppDeps, NotificationSender>();

/** The sender of an app, with the transports its configuration chooses. */
export function notificationSender(deps: AppDeps, options?: SenderOptions): NotificationSender {
  let sender = senders.get(deps);
  if (!sender) {
    sender = createNotificationSender(deps, transportsFromConfig(deps.config, deps.logger), options);
    senders.set(deps, sender);
  }
  return sender;
}

/** Sends what is due now, once (tests and the CLI; the server's loop does it on its own). */
export function sendDueNotifications(deps: AppDeps) {
  return notificationSender(deps).runOnce();
}

export const notificationsModule: ModuleDefinition = {
  name: 'notifications',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: (app, deps) => notificationRoutes(app, deps),
  start: async (deps) => {
    notificationSender(deps).start();
  },
  stop: async (deps) => {
    await senders.get(deps)?.stop();
    senders.delete(deps);
  },
};
