export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous';

/** Who is acting. Every audit entry and event carries one. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string | null;
}

export type Locale = 'es' | 'en';

/** Facts about the current request that services need for attribution. */
export interface RequestContext {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
  locale: Locale;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'sistema' };

export function systemContext(requestId: string | null = null): RequestContext {
  return { actor: SYSTEM_ACTOR, requestId, ip: null, locale: 'es' };
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
