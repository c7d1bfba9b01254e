import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ForbiddenPage } from '../surfaces/shell/StatusPages';
import { ErrorState, Loading } from '../ui';
import { useAuth } from './AuthProvider';

export const LOGIN_PATH = '/login';
export const CHANGE_PASSWORD_PATH = '/cambiar-contrasena';

/** Where the login page sends the user back to after signing in. */
export interface LoginLocationState {
  from?: string;
}

/**
 * Renders `children` only for a signed-in user holding one of `permissions` (any user when omitted);
 * otherwise sends them to the login page (remembering where they were going) or shows "forbidden".
 * A user who must change the password is sent to that page first.
 */
export function RequireAuth({
  permissions,
  children,
}: {
  permissions?: readonly string[];
  children: ReactNode;
}) {
  const auth = useAuth();
  const location = useLocation();
  if (auth.status === 'anonymous') {
    const state: LoginLocationState = { from: `${location.pathname}${location.search}` };
    return <Navigate to={LOGIN_PATH} replace state={state} />;
  }
  if (auth.status === 'loading') return <Loading />;
  if (auth.status === 'error' || !auth.me) return <ErrorState error={auth.error} onRetry={auth.reloadMe} />;
  if (auth.me.mustChangePassword && location.pathname !== CHANGE_PASSWORD_PATH) {
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  }
  if (permissions && permissions.length > 0 && !auth.canAny(permissions)) return <ForbiddenPage />;
  return <>{children}</>;
}
