import { type FormEvent, useState } from 'react';
import { verifyMfa } from '../../auth/auth-api';
import { useI18n } from '../../i18n';
import { Alert, Button, TextField, useAction } from '../../ui';

/** The 6-digit TOTP form: verifies the code with the MFA token, which starts the session. */
export function CodeForm({ mfaToken, onVerified }: { mfaToken: string; onVerified: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  const action = useAction(async (value: string) => {
    await verifyMfa(mfaToken, value);
    return true;
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^[0-9]{6}$/.test(code)) {
      setFormatError(t('login.mfa.invalidFormat'));
      return;
    }
    setFormatError(null);
    if (await action.run(code)) onVerified();
    else setCode('');
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {action.error ? <Alert tone="error">{action.error.message}</Alert> : null}
      <TextField
        label={t('login.mfa.code')}
        hint={t('login.mfa.codeHint')}
        error={formatError}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        className="mfa-code"
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
      />
      <Button type="submit" size="large" block busy={action.busy}>
        {t('login.mfa.submit')}
      </Button>
    </form>
  );
}
