import type { NotificationChannel } from '../notifications.tables.js';

/** One rendered message ready to leave the system. */
export interface OutgoingMessage {
  /** The notification id: providers that support it use it as an idempotency key. */
  id: string;
  channel: NotificationChannel;
  to: string;
  /** E-mail only. */
  subject: string | null;
  text: string;
}

export interface SendResult {
  /** The provider's id of the accepted message (SMTP queue id, gateway message id), if it gave one. */
  providerMessageId: string | null;
}

/** Carries messages of one or more channels to a provider. */
export interface NotificationTransport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/**
 * A failed delivery. `permanent` failures (the provider refused this message: bad number, rejected
 * address) are not retried; the others (network, timeouts, 5xx, throttling) are, with back-off.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
