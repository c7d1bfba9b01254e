/** A domain event as the server's WebSocket hub sends it (server/src/platform/events/types.ts). */
export interface DomainEvent<P extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  seq: number;
  /** e.g. `incident.created` */
  type: string;
  /** e.g. `incident` (what clients subscribe to) */
  topic: string;
  entityType: string | null;
  entityId: string | null;
  payload: P;
  scope: { department?: string | null; municipality?: string | null; unit?: string | null };
  permission: string;
  actor: { type: string; id: string | null };
  occurredAt: string;
  /** Strictly increasing publication order; the client resumes from the last one after a reconnect. */
  publishSeq: number;
}

/** Messages from the hub (see the protocol at the top of server/src/platform/realtime/hub.ts). */
export type ServerMessage =
  | { type: 'authenticated'; principal: { id: string; name: string; kind: string } }
  | { type: 'subscribed'; topics: string[]; replayed: number; lastPublishSeq: number }
  | { type: 'event'; event: DomainEvent }
  | { type: 'resync'; lastPublishSeq: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

export type LiveState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface LiveListener {
  topics: ReadonlySet<string>;
  onEvent: (event: DomainEvent) => void;
  /**
   * Reload the state over HTTP: `missed` when more events were missed than the server replays;
   * `subscribed` once the tab's first subscription is active (screens load over HTTP while the socket
   * opens, and what was committed between their load and the subscription is not replayed).
   */
  onResync?: (reason: ResyncReason) => void;
}

export type ResyncReason = 'missed' | 'subscribed';
