import { useEffect, useRef, useSyncExternalStore } from 'react';
import { liveClient } from './live-client';
import type { DomainEvent, LiveState, ResyncReason } from './types';

export interface LiveOptions {
  /**
   * Reload the screen's data: called when the server could not replay everything missed (`missed`),
   * and once when the tab's first subscription becomes active (`subscribed`), for what was committed
   * between the screen's HTTP load and that subscription.
   */
  onResync?: (reason: ResyncReason) => void;
  /** Subscribe only while true (e.g. after the first HTTP load). Default true. */
  enabled?: boolean;
}

/**
 * Live domain events of `topics` (e.g. ['incident', 'unit'], or ['*']) over the tab's one WebSocket.
 * The handler may change between renders without re-subscribing. Events arrive once, in publication
 * order, including those missed during a reconnect.
 *
 *   useLiveEvents(['incident'], (e) => { if (e.type === 'incident.created') list.reload(); },
 *     { onResync: list.reload });
 */
export function useLiveEvents(
  topics: readonly string[],
  handler: (event: DomainEvent) => void,
  options: LiveOptions = {},
): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const resyncRef = useRef(options.onResync);
  resyncRef.current = options.onResync;
  const enabled = options.enabled ?? true;
  const key = [...topics].sort().join(',');

  useEffect(() => {
    if (!enabled || key === '') return;
    return liveClient().listen({
      topics: new Set(key.split(',')),
      onEvent: (event) => handlerRef.current(event),
      onResync: (reason) => resyncRef.current?.(reason),
    });
  }, [key, enabled]);
}

/** Connection state of the live stream, for a status badge. */
export function useLiveState(): LiveState {
  const client = liveClient();
  return useSyncExternalStore(client.subscribeState, client.getState, client.getState);
}
