import { systemContext } from '../context.js';
import type { UnitOfWork } from '../db/transaction.js';
import type { AppDeps } from '../deps.js';
import type { EventSubscription, SubscribeOptions } from './bus.js';
import type { DomainEvent } from './types.js';

export type ConsumerHandler = (event: DomainEvent, uow: UnitOfWork) => Promise<void>;

/**
 * Subscribes an idempotent, durable consumer. For every event the handler runs inside one
 * transaction (`deps.tx`, as the system actor) that first records `(consumerName, event.id)` in
 * `consumed_events`:
 * - if the row already exists the event was handled before (a redelivery) and the handler is skipped;
 * - otherwise the handler runs, and its writes through `uow.db`, its `uow.audit` entries and its
 *   `uow.emit` events commit together with that row. If the handler throws, all of it rolls back and
 *   the bus delivers the event again later.
 * So database effects happen exactly once. Effects outside the database (an SMS, an HTTP call) cannot
 * join the transaction: they happen at least once; pass `event.id` to the other side as an
 * idempotency key, or write a request row in the transaction and send it from another consumer.
 *
 * Call it from a module's `start()` and stop the returned subscription in `stop()`; all subscriptions
 * also stop when the app closes. Consumer names are stable identifiers (they are JetStream durable
 * names): letters, digits, `_` and `-`, e.g. `notifications-incident-alerts`.
 */
export function consume(
  deps: Pick<AppDeps, 'tx' | 'events'>,
  consumerName: string,
  handler: ConsumerHandler,
  options: SubscribeOptions = {},
): Promise<EventSubscription> {
  return deps.events.subscribe(
    consumerName,
    async (event) => {
      await deps.tx(systemContext(`event:${event.id}`), async (uow) => {
        const claimed = await uow.db
          .insertInto('consumed_events')
          .values({ consumer: consumerName, event_id: event.id })
          .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
          .returning('event_id')
          .executeTakeFirst();
        if (!claimed) return;
        await handler(event, uow);
      });
    },
    options,
  );
}
