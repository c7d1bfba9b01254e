import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { getSession, takeEndReason } from '../../api';
import type { LoginStep } from '../../auth/auth-api';
import type { LoginLocationState } from '../../auth/RequireAuth';
import { useI18n } from '../../i18n';
import { Alert, Button } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { AuthLayout } from './AuthLayout';
import { CodeForm } from './CodeForm';
import { EnrollStep } from './EnrollStep';
import { PasswordStep } from './PasswordStep';
import './login.messages';

type Step = { kind: 'password' } | Exclude<LoginStep, { kind: 'signed-in' }>;

/** Username/password, then MFA verification or first-time enrolment; back to where the user was going. */
export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [ended] = useState(() => takeEndReason());
  usePageTitle(t('login.title'));

  const target = (location.state as LoginLocationState | null)?.from ?? '/';
  const done = () => navigate(target.startsWith('/login') ? '/' : target, { replace: true });

  if (step.kind === 'password' && getSession()) return <Navigate to={target} replace />;

  const onStep = (next: LoginStep) => (next.kind === 'signed-in' ? done() : setStep(next));
  const back = (
    <Button variant="ghost" onClick={() => setStep({ kind: 'password' })}>
      {t('login.back')}
    </Button>
  );

  return (
    <AuthLayout>
      {ended === 'expired' && step.kind === 'password' ? (
        <Alert tone="warning">{t('login.expired')}</Alert>
      ) : null}
      {ended === 'logout' && step.kind === 'password' ? (
        <Alert tone="info">{t('login.loggedOut')}</Alert>
      ) : null}
      {step.kind === 'password' ? <PasswordStep onStep={onStep} /> : null}
      {step.kind === 'mfa' ? (
        <div className="stack">
          <h1>{t('login.mfa.title')}</h1>
          <p>{t('login.mfa.intro')}</p>
          <CodeForm mfaToken={step.mfaToken} onVerified={done} />
          {back}
        </div>
      ) : null}
      {step.kind === 'enroll' ? (
        <>
          <EnrollStep mfaToken={step.mfaToken} onVerified={done} />
          {back}
        </>
      ) : null}
    </AuthLayout>
  );
}
