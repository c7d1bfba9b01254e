import { type FormEvent, useState } from 'react';
import { type LoginStep, loginWithPassword } from '../../auth/auth-api';
import { useI18n } from '../../i18n';
import { Alert, Button, TextField, useAction } from '../../ui';

export function PasswordStep({ onStep }: { onStep: (step: LoginStep) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(loginWithPassword);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const step = await action.run(username.trim(), password);
    if (step) onStep(step);
    else setPassword('');
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h1>{t('login.title')}</h1>
      {action.error ? <Alert tone="error">{action.error.message}</Alert> : null}
      <TextField
        label={t('login.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        label={t('login.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" size="large" block busy={action.busy} disabled={!username || !password}>
        {t('login.submit')}
      </Button>
    </form>
  );
}
