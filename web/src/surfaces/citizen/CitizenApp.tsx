import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useI18n } from '../../i18n';
import { LanguageSwitch } from '../../ui/layout/LanguageSwitch';
import { ReportPage } from './ReportPage';
import { TrackingPage } from './TrackingPage';
import './citizen.css';
import './citizen.messages';

/** Public citizen portal: no account, Spanish by default with an English switch, phone-first. */
export default function CitizenApp() {
  const { t } = useI18n();
  return (
    <div className="citizen-app">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="citizen-header">
        <div className="citizen-header__row">
          <span className="citizen-header__brand">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t('citizen.brand')}</span>
          </span>
          <LanguageSwitch id="citizen-language" />
        </div>
        <nav aria-label={t('citizen.nav')} className="citizen-nav">
          <NavLink to="/reportar" end>
            {t('citizen.nav.report')}
          </NavLink>
          <NavLink to="/reportar/seguimiento">{t('citizen.nav.tracking')}</NavLink>
        </nav>
      </header>
      <div className="citizen-emergency" role="note">
        {t('citizen.emergency')}{' '}
        <a href="tel:911" className="citizen-emergency__call">
          {t('citizen.call911')}
        </a>
      </div>
      <main id="main" className="citizen-main" tabIndex={-1}>
        <Routes>
          <Route index element={<ReportPage />} />
          <Route path="seguimiento" element={<TrackingPage />} />
          <Route path="*" element={<Navigate to="/reportar" replace />} />
        </Routes>
      </main>
      <footer className="citizen-footer muted">{t('citizen.footer')}</footer>
    </div>
  );
}
