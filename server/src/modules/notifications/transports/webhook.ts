import { type NotificationTransport, TransportError } from './transport.js';

export interface WebhookTransportOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * SMS/WhatsApp through an HTTP gateway: `POST <url>` with JSON `{ id, channel, to, text }` and the
 * notification id as `Idempotency-Key` (a retry after a lost answer must not send twice). A 2xx
 * answer is accepted; its JSON `messageId` or `id`, if any, is kept as the provider id. 4xx answers
 * (except 408 and 429) are permanent refusals; 5xx, 408, 429 and network errors are retried.
 */
export function createWebhookTransport(options: WebhookTransportOptions): NotificationTransport {
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'webhook',
    async send(message) {
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.id,
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({
            id: message.id,
            channel: message.channel,
            to: message.to,
            text: message.text,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new TransportError(`gateway unreachable: ${(error as Error).message}`, false);
      }
      const body = await response.text().catch(() => '');
      if (!response.ok) {
        const permanent =
          response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
        throw new TransportError(`gateway answered HTTP ${response.status}`, permanent);
      }
      let providerMessageId: string | null = null;
      try {
        const parsed = JSON.parse(body) as { messageId?: unknown; id?: unknown };
        const id = parsed.messageId ?? parsed.id;
        if (typeof id === 'string' || typeof id === 'number') providerMessageId = String(id).slice(0, 200);
      } catch {
        // A 2xx without JSON is still an acceptance.
      }
      return { providerMessageId };
    },
  };
}
