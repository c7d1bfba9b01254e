/**
 * The signed-in session of this tab: tokens in memory, mirrored to sessionStorage so a reload keeps
 * the session (never localStorage: closing the tab ends it, and other tabs do not share it, so a
 * refresh-token rotation in one tab cannot invalidate another).
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  mustChangePassword: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
}

/** Why the last session ended; the login screen explains it. */
export type SessionEndReason = 'expired' | 'logout';

const STORAGE_KEY = 'centinela.session';
const listeners = new Set<() => void>();
let current: Session | null = load();
let endReason: SessionEndReason | null = null;

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      expiresAt: typeof parsed.expiresAt === 'number' ? parsed.expiresAt : 0,
      mustChangePassword: parsed.mustChangePassword === true,
    };
  } catch {
    return null;
  }
}

function persist(): void {
  try {
    if (current) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable: the session lives in memory only
  }
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  return current;
}

export function startSession(pair: TokenPair): void {
  current = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    mustChangePassword: pair.mustChangePassword,
  };
  endReason = null;
  persist();
  notify();
}

export function markPasswordChanged(): void {
  if (!current) return;
  current = { ...current, mustChangePassword: false };
  persist();
  notify();
}

export function endSession(reason: SessionEndReason): void {
  if (!current) return;
  current = null;
  endReason = reason;
  persist();
  notify();
}

/** The reason the last session ended, once (the login screen consumes it). */
export function takeEndReason(): SessionEndReason | null {
  const reason = endReason;
  endReason = null;
  return reason;
}

export function peekEndReason(): SessionEndReason | null {
  return endReason;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
