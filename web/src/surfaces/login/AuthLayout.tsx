import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { LanguageSwitch } from '../../ui/layout/LanguageSwitch';

/** Centered card with the brand and the language switch, for the sign-in screens. */
export function AuthLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <header className="auth-page__header">
        <span className="shell__brand">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          {t('app.name')}
        </span>
        <LanguageSwitch id="login-language" />
      </header>
      <main id="main" className="auth-page__main">
        <div className="card auth-page__card stack">{children}</div>
        <p className="muted auth-page__tagline">{t('app.tagline')}</p>
      </main>
    </div>
  );
}
