import { api, endSession, getSession, type Me, type MfaEnrollment, startSession, unwrap } from '../api';

/** Outcome of the password step: signed in, or an MFA step with its short-lived token. */
export type LoginStep =
  | { kind: 'signed-in' }
  | { kind: 'mfa'; mfaToken: string }
  | { kind: 'enroll'; mfaToken: string };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function loginWithPassword(username: string, password: string): Promise<LoginStep> {
  const answer = await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }));
  if (answer.status === 'ok') {
    startSession(answer);
    return { kind: 'signed-in' };
  }
  return answer.status === 'mfa_enrollment_required'
    ? { kind: 'enroll', mfaToken: answer.mfaToken }
    : { kind: 'mfa', mfaToken: answer.mfaToken };
}

export function enrollMfa(mfaToken: string): Promise<MfaEnrollment> {
  return unwrap(api.POST('/api/v1/auth/mfa/enroll', { headers: bearer(mfaToken) }));
}

export async function verifyMfa(mfaToken: string, code: string): Promise<void> {
  const pair = await unwrap(
    api.POST('/api/v1/auth/mfa/verify', { headers: bearer(mfaToken), body: { code } }),
  );
  startSession(pair);
}

export function fetchMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/auth/me'));
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));
}

/** Ends the session on the server (best effort) and in this tab. */
export async function logout(): Promise<void> {
  if (getSession()) {
    try {
      await unwrap(api.POST('/api/v1/auth/logout'));
    } catch {
      // the server session may already be gone; the local one ends anyway
    }
  }
  endSession('logout');
}
