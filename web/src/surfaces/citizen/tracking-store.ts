/**
 * Hands the tracking code and secret from the receipt to the tracking page. In memory only: the
 * secret is never written to storage, the URL or the history state (a reload asks for it again).
 */
export interface TrackingCredentials {
  code: string;
  secret: string;
}

let current: TrackingCredentials | null = null;

export function rememberTracking(credentials: TrackingCredentials): void {
  current = credentials;
}

export function recalledTracking(): TrackingCredentials | null {
  return current;
}

export function forgetTracking(): void {
  current = null;
}
