import QRCode from 'qrcode';
import { enrollMfa } from '../../auth/auth-api';
import { useI18n } from '../../i18n';
import { ErrorState, Loading, useAsync } from '../../ui';
import { CodeForm } from './CodeForm';

/** First MFA setup: QR code of the otpauth URI plus the secret as text, then a code to confirm. */
export function EnrollStep({ mfaToken, onVerified }: { mfaToken: string; onVerified: () => void }) {
  const { t } = useI18n();
  const enrollment = useAsync(async () => {
    const data = await enrollMfa(mfaToken);
    const qr = await QRCode.toDataURL(data.otpauthUri, { margin: 1, width: 224, errorCorrectionLevel: 'M' });
    return { ...data, qr };
  }, [mfaToken]);

  return (
    <div className="stack">
      <h1>{t('login.enroll.title')}</h1>
      <p>{t('login.enroll.intro')}</p>
      {enrollment.loading && !enrollment.data ? <Loading /> : null}
      {enrollment.error ? <ErrorState error={enrollment.error} onRetry={enrollment.reload} /> : null}
      {enrollment.data ? (
        <>
          <img
            className="mfa-qr"
            src={enrollment.data.qr}
            width={224}
            height={224}
            alt={t('login.enroll.qrAlt', { account: enrollment.data.account })}
          />
          <p>
            {t('login.enroll.secret')}
            <br />
            <code className="mono mfa-secret" data-testid="mfa-secret">
              {enrollment.data.secret.replace(/(.{4})/g, '$1 ').trim()}
            </code>
          </p>
          <p className="muted">
            {t('login.enroll.details', {
              account: enrollment.data.account,
              digits: enrollment.data.digits,
              period: enrollment.data.period,
            })}
          </p>
          <CodeForm mfaToken={mfaToken} onVerified={onVerified} />
        </>
      ) : null}
    </div>
  );
}
