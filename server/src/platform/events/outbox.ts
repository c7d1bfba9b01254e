import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { RequestContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { EventInput } from './types.js';

export function topicOf(event: EventInput): string {
  return event.topic ?? event.type.split('.')[0]!;
}

/** Writes events to the outbox inside the caller's transaction; the relay publishes them after commit. */
export async function insertOutboxEvents(
  trx: Transaction<Database>,
  ctx: RequestContext,
  events: EventInput[],
  now: Date,
): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      events.map((e) => {
        const topic = topicOf(e);
        return {
          id: randomUUID(),
          type: e.type,
          topic,
          entity_type: e.entityType ?? null,
          entity_id: e.entityId ?? null,
          payload: JSON.stringify(e.payload),
          scope: JSON.stringify(e.scope ?? {}),
          permission: e.permission ?? `${topic}.read`,
          actor_type: ctx.actor.type,
          actor_id: ctx.actor.id,
          occurred_at: now,
        };
      }),
    )
    .execute();
}
