import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../config.js';
import type { NotificationChannel } from '../notifications.tables.js';
import { createLogTransport } from './log.js';
import { createSmtpTransport } from './smtp.js';
import type { NotificationTransport } from './transport.js';
import { createWebhookTransport } from './webhook.js';

export type TransportsByChannel = Record<NotificationChannel, NotificationTransport>;

/** The transport of each channel, as configured (NOTIFY_SMS_TRANSPORT, NOTIFY_EMAIL_TRANSPORT). */
export function transportsFromConfig(
  config: Pick<Config, 'notify'>,
  logger: Pick<FastifyBaseLogger, 'info'>,
): TransportsByChannel {
  const log = createLogTransport(logger);
  const { notify } = config;
  const sms =
    notify.smsTransport === 'webhook' && notify.smsWebhookUrl
      ? createWebhookTransport({ url: notify.smsWebhookUrl, token: notify.smsWebhookToken })
      : log;
  const email =
    notify.emailTransport === 'smtp' && notify.smtpUrl && notify.emailFrom
      ? createSmtpTransport({ url: notify.smtpUrl, from: notify.emailFrom })
      : log;
  return { sms, whatsapp: sms, email };
}
