import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { type ApiError, getSession, type Me, refreshSession, subscribeSession, toApiError } from '../api';
import { markPasswordChanged } from '../api/session';
import { fetchMe, logout as logoutRequest } from './auth-api';

export type AuthStatus = 'anonymous' | 'loading' | 'ready' | 'error';

export interface AuthState {
  status: AuthStatus;
  me: Me | null;
  error: ApiError | null;
  /** Whether the signed-in user holds `permission` (in any scope). */
  can: (permission: string) => boolean;
  /** Whether the user holds at least one of `permissions`. */
  canAny: (permissions: readonly string[]) => boolean;
  reloadMe: () => void;
  /** The user just changed the password: lift the must-change flag at once (the guard reads it). */
  passwordChanged: () => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** Refresh this long before the access token expires (the WebSocket re-authenticates with it too). */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The signed-in user, kept beside the session in sessionStorage so an offline start of the field app
 * (PWA shell from its service worker) still knows who is signed in; dropped when the session ends.
 */
const ME_KEY = 'centinela.me';

function rememberMe(me: Me | null): void {
  try {
    if (me) sessionStorage.setItem(ME_KEY, JSON.stringify(me));
    else sessionStorage.removeItem(ME_KEY);
  } catch {
    // storage unavailable: no offline start
  }
}

function rememberedMe(): Me | null {
  try {
    const raw = sessionStorage.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

function useSessionSnapshot() {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSessionSnapshot();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  const accessToken = session?.accessToken ?? null;
  const signedIn = session !== null;

  // Load /auth/me whenever a session starts (not on every token rotation).
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation forces a reload
  useEffect(() => {
    if (!signedIn) {
      setMe(null);
      setError(null);
      rememberMe(null);
      return;
    }
    let cancelled = false;
    setError(null);
    fetchMe().then(
      (value) => {
        if (cancelled) return;
        setMe(value);
        rememberMe(value);
      },
      (err: unknown) => {
        if (cancelled) return;
        const apiError = toApiError(err);
        // No network (offline start): the user of this same session, as last seen.
        const known = apiError.code === 'NETWORK' ? rememberedMe() : null;
        if (known) setMe(known);
        else setError(apiError);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [signedIn, generation]);

  // Rotate the tokens shortly before the access token expires: one timer per token, no polling.
  useEffect(() => {
    if (!session || !accessToken) return;
    const delay = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    const timer = window.setTimeout(() => void refreshSession(), delay);
    return () => window.clearTimeout(timer);
  }, [session, accessToken]);

  const reloadMe = useCallback(() => setGeneration((g) => g + 1), []);
  const passwordChanged = useCallback(() => {
    markPasswordChanged();
    setMe((current) => {
      const next = current ? { ...current, mustChangePassword: false } : current;
      rememberMe(next);
      return next;
    });
  }, []);
  const logout = useCallback(() => logoutRequest(), []);

  const value = useMemo<AuthState>(() => {
    const permissions = new Set(me?.permissions ?? []);
    const status: AuthStatus = !signedIn ? 'anonymous' : error ? 'error' : me ? 'ready' : 'loading';
    return {
      status,
      me: signedIn ? me : null,
      error,
      can: (permission) => permissions.has(permission),
      canAny: (list) => list.some((p) => permissions.has(p)),
      reloadMe,
      passwordChanged,
      logout,
    };
  }, [signedIn, me, error, reloadMe, passwordChanged, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}
