import type { Json } from '../db/schema.js';

/** Territorial/unit scope an event belongs to; realtime delivery filters on it. */
export interface EventScope {
  department?: string | null;
  municipality?: string | null;
  unit?: string | null;
}

/** What a service emits inside a transaction. */
export interface EventInput {
  /** e.g. `incident.created`; the topic defaults to the part before the first dot. */
  type: string;
  topic?: string;
  entityType?: string;
  entityId?: string;
  payload: Record<string, unknown>;
  scope?: EventScope;
  /** Permission a subscriber needs to receive this event (defaults to `<topic>.read`). */
  permission?: string;
  /** Defaults to the request's actor (a group commit writes events of several requests). */
  actor?: { type: string; id: string | null };
}

/** An event as published on the bus after its transaction committed. */
export interface DomainEvent {
  id: string;
  seq: number;
  type: string;
  topic: string;
  entityType: string | null;
  entityId: string | null;
  payload: Record<string, unknown>;
  scope: EventScope;
  permission: string;
  actor: { type: string; id: string | null };
  occurredAt: string;
  /**
   * Position in the publication order, assigned by the relay: strictly increasing across the whole
   * installation (unlike `seq`, which follows insertion, not commit order). WebSocket clients resume
   * from the last one they saw.
   */
  publishSeq: number;
}

/**
 * An event as this process committed it (runtime.ts `listenCommitted`): a DomainEvent before the
 * relay published it, so without `seq` and `publishSeq`.
 */
export type CommittedEvent = Omit<DomainEvent, 'seq' | 'publishSeq'>;

export interface OutboxTable {
  seq: import('kysely').Generated<number>;
  id: string;
  type: string;
  topic: string;
  entity_type: string | null;
  entity_id: string | null;
  payload: Json<Record<string, unknown>>;
  scope: Json<EventScope>;
  permission: string | null;
  actor_type: string;
  actor_id: string | null;
  occurred_at: Date;
  published_at: Date | null;
  publish_seq: number | null;
}

export interface ConsumedEventsTable {
  consumer: string;
  event_id: string;
  consumed_at: import('kysely').Generated<Date>;
}

declare module '../db/schema.js' {
  interface Database {
    outbox: OutboxTable;
    consumed_events: ConsumedEventsTable;
  }
}
