export { backoffDelay, LiveClient, liveClient } from './live-client';
export type { DomainEvent, LiveListener, LiveState, ResyncReason, ServerMessage } from './types';
export { type LiveOptions, useLiveEvents, useLiveState } from './useLiveEvents';
