import { sql } from 'kysely';
import type { AppDeps } from '../../platform/deps.js';
import { maskRecipient } from './mask.js';
import { renderNotification } from './notifications.service.js';
import type { NotificationRow } from './notifications.tables.js';
import type { TransportsByChannel } from './transports/index.js';
import { TransportError } from './transports/transport.js';

export interface SenderOptions {
  /** Notifications claimed per round. */
  batchSize?: number;
  /** How often the loop looks for due notifications. */
  pollIntervalMs?: number;
  /** A claimed notification not finished within this time (crashed sender) is claimed again. */
  leaseMs?: number;
  /** First retry delay; doubles on every failed attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface RoundResult {
  sent: number;
  retried: number;
  failed: number;
}

export interface NotificationSender {
  /** Claims the due notifications and tries each once. */
  runOnce(): Promise<RoundResult>;
  start(): void;
  stop(): Promise<void>;
}

export function retryDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Drains the notifications outbox. Each round claims due rows with `FOR UPDATE SKIP LOCKED` (several
 * server instances share the work), marks them `sending` with a lease and one more attempt, then
 * sends each through its channel's transport outside any transaction. Success → `sent` with the
 * provider's id; a permanent refusal or the last attempt → `failed`; anything else → back to
 * `queued` with exponential back-off. Sealed parameters are erased once the outcome is final.
 */
export function createNotificationSender(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config' | 'metrics'>,
  transports: TransportsByChannel,
  options: SenderOptions = {},
): NotificationSender {
  const batchSize = options.batchSize ?? 20;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const retryBaseMs = options.retryBaseMs ?? 30_000;
  const retryMaxMs = options.retryMaxMs ?? 3_600_000;
  const logger = deps.logger.child({ component: 'notifications' });
  const outcomes = deps.metrics.counter({
    name: 'centinela_notifications_total',
    help: 'Intentos de envío de notificaciones por canal y resultado (sent, retried, failed)',
    labelNames: ['channel', 'outcome'],
  });

  async function claim(): Promise<NotificationRow[]> {
    const now = deps.clock.now();
    return deps.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('notifications')
        .selectAll()
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('notifications')
        .set({
          status: 'sending',
          attempts: sql<number>`attempts + 1`,
          next_attempt_at: new Date(now.getTime() + leaseMs),
          updated_at: now,
        })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  async function deliver(row: NotificationRow): Promise<keyof RoundResult> {
    const transport = transports[row.channel];
    const to = maskRecipient(row.channel, row.recipient);
    try {
      const { subject, text } = renderNotification(deps, row);
      const result = await transport.send({
        id: row.id,
        channel: row.channel,
        to: row.recipient,
        subject,
        text,
      });
      const now = deps.clock.now();
      await deps.db
        .updateTable('notifications')
        .set({
          status: 'sent',
          sent_at: now,
          updated_at: now,
          transport: transport.name,
          provider_message_id: result.providerMessageId,
          last_error: null,
          sealed_params: null,
        })
        .where('id', '=', row.id)
        .execute();
      logger.info(
        {
          notificationId: row.id,
          channel: row.channel,
          to,
          template: row.template,
          transport: transport.name,
        },
        'notification sent',
      );
      return 'sent';
    } catch (error) {
      const permanent = error instanceof TransportError ? error.permanent : false;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const final = permanent || row.attempts >= row.max_attempts;
      const now = deps.clock.now();
      await deps.db
        .updateTable('notifications')
        .set({
          status: final ? 'failed' : 'queued',
          next_attempt_at: final
            ? now
            : new Date(now.getTime() + retryDelay(row.attempts, retryBaseMs, retryMaxMs)),
          last_error: message,
          transport: transport.name,
          updated_at: now,
          ...(final ? { sealed_params: null } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      const log = { notificationId: row.id, channel: row.channel, to, attempt: row.attempts, error: message };
      if (final) logger.error(log, 'notification failed; giving up');
      else logger.warn(log, 'notification not sent; will retry');
      return final ? 'failed' : 'retried';
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  async function runOnce(): Promise<RoundResult> {
    const result: RoundResult = { sent: 0, retried: 0, failed: 0 };
    const rows = await claim();
    for (const row of rows) {
      const outcome = await deliver(row);
      result[outcome] += 1;
      outcomes.inc({ channel: row.channel, outcome });
    }
    return result;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = (async () => {
        try {
          // Keep going while full batches come back (a backlog), then wait for the next poll.
          for (;;) {
            const r = await runOnce();
            if (stopped || r.sent + r.retried + r.failed < batchSize) break;
          }
        } catch (error) {
          logger.error({ err: error }, 'notification sender round failed');
        }
      })().finally(() => {
        running = null;
        schedule();
      });
    }, pollIntervalMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
