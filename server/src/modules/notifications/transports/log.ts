import type { FastifyBaseLogger } from 'fastify';
import { maskRecipient } from '../mask.js';
import type { NotificationTransport } from './transport.js';

/**
 * Development transport: nothing leaves the system. The sender records the notification as sent
 * (provider id `log:<id>`) and this logs that it would have gone out, with the recipient masked and
 * without the text (it may carry a tracking secret).
 */
export function createLogTransport(logger: Pick<FastifyBaseLogger, 'info'>): NotificationTransport {
  return {
    name: 'log',
    async send(message) {
      logger.info(
        {
          notificationId: message.id,
          channel: message.channel,
          to: maskRecipient(message.channel, message.to),
          chars: message.text.length,
        },
        'notification delivered by the log transport (not sent)',
      );
      return { providerMessageId: `log:${message.id}` };
    },
  };
}
