import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { changePassword } from '../../auth/auth-api';
import { useI18n } from '../../i18n';
import { Alert, Button, TextField, useAction, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { AuthLayout } from './AuthLayout';
import './login.messages';

/** Required password change (mustChangePassword) or a voluntary one. */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction(async () => {
    await changePassword(current, next);
    return true;
  });
  usePageTitle(t('password.title'));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== confirm);
    if (next !== confirm) return;
    if (await action.run()) {
      auth.passwordChanged();
      toast.show(t('password.done'), 'success');
      navigate('/', { replace: true });
    }
  };

  const fieldErrors = action.error?.fieldErrors() ?? {};
  return (
    <AuthLayout>
      <form className="stack" onSubmit={submit} noValidate>
        <h1>{t('password.title')}</h1>
        {auth.me?.mustChangePassword ? <p>{t('password.intro')}</p> : null}
        {action.error ? <Alert tone="error">{action.error.message}</Alert> : null}
        <TextField
          label={t('password.current')}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          error={fieldErrors.currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <TextField
          label={t('password.new')}
          type="password"
          autoComplete="new-password"
          required
          value={next}
          error={fieldErrors.newPassword}
          onChange={(e) => setNext(e.target.value)}
        />
        <TextField
          label={t('password.confirm')}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          error={mismatch ? t('password.mismatch') : null}
          onChange={(e) => setConfirm(e.target.value)}
        />
        <Button type="submit" size="large" block busy={action.busy} disabled={!current || !next || !confirm}>
          {t('password.submit')}
        </Button>
        <Button
          variant="ghost"
          onClick={() => void auth.logout().then(() => navigate('/login', { replace: true }))}
        >
          {t('shell.logout')}
        </Button>
      </form>
    </AuthLayout>
  );
}
