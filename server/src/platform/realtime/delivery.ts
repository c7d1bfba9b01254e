import type { DomainEvent, EventScope } from '../events/types.js';
import { canInScope, hasPermission, type Principal } from '../http/principal.js';

function hasTerritory(scope: EventScope | undefined): boolean {
  return !!scope && !!(scope.department || scope.municipality || scope.unit);
}

/**
 * Whether a principal may receive an event over the WebSocket: it must hold the event's permission
 * in a scope that covers the event's scope (national covers everything; a department grant covers
 * events of that department; municipality and unit grants cover events naming that municipality or
 * unit). An event without a scope only needs the permission, in any scope.
 */
export function canReceive(
  principal: Principal | null | undefined,
  event: Pick<DomainEvent, 'permission' | 'scope'>,
): boolean {
  if (!principal || !event.permission) return false;
  if (!hasTerritory(event.scope)) return hasPermission(principal, event.permission);
  return canInScope(principal, event.permission, event.scope);
}

/** `*` subscribes to every topic (still filtered by permission). */
export function topicMatches(topics: ReadonlySet<string>, topic: string): boolean {
  return topics.has('*') || topics.has(topic);
}
