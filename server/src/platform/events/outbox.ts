import { randomUUID } from 'node:crypto';
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { RequestContext } from '../context.js';
import type { Database } from '../db/schema.js';
import type { CommittedEvent, EventInput } from './types.js';

export function topicOf(event: EventInput): string {
  return event.topic ?? event.type.split('.')[0]!;
}

/**
 * Writes events to the outbox inside the caller's transaction; the relay publishes them after commit.
 * Returns them as written (without the sequence numbers the database and the relay assign), for the
 * in-process listeners that see this process's commits at once (runtime.ts `listenCommitted`).
 */
export async function insertOutboxEvents(
  trx: Transaction<Database>,
  ctx: RequestContext,
  events: EventInput[],
  now: Date,
  options: { alsoSelect?: RawBuilder<unknown> } = {},
): Promise<CommittedEvent[]> {
  if (events.length === 0) return [];
  const committed = events.map((e): CommittedEvent => {
    const topic = topicOf(e);
    return {
      id: randomUUID(),
      type: e.type,
      topic,
      entityType: e.entityType ?? null,
      entityId: e.entityId ?? null,
      payload: e.payload,
      scope: e.scope ?? {},
      permission: e.permission ?? `${topic}.read`,
      actor: e.actor ?? { type: ctx.actor.type, id: ctx.actor.id },
      occurredAt: now.toISOString(),
    };
  });
  const insert = trx.insertInto('outbox').values(
    committed.map((e) => ({
      id: e.id,
      type: e.type,
      topic: e.topic,
      entity_type: e.entityType,
      entity_id: e.entityId,
      payload: JSON.stringify(e.payload),
      scope: JSON.stringify(e.scope),
      permission: e.permission,
      actor_type: e.actor.type,
      actor_id: e.actor.id,
      occurred_at: now,
    })),
  );
  // `alsoSelect` (e.g. the audit append lock) runs in the same statement: one round trip fewer.
  if (options.alsoSelect) await sql`WITH written AS (${insert}) SELECT ${options.alsoSelect}`.execute(trx);
  else await insert.execute();
  return committed;
}
