import { useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Button } from '../../ui';
import { LanguageSwitch } from '../../ui/layout/LanguageSwitch';
import { LiveBadge } from '../../ui/layout/LiveBadge';
import { AssignmentScreen } from './AssignmentScreen';
import { primeAudio } from './cue';
import { FieldProvider, useField } from './FieldContext';
import { PendingPanel } from './PendingPanel';
import { PhotoScreen } from './PhotoScreen';
import { linkManifest, registerFieldServiceWorker } from './pwa';
import { ReportScreen } from './ReportScreen';
import './field.css';
import './field.messages';

export const FIELD_BASE = '/campo/';

function ConnectionBadge() {
  const { t } = useI18n();
  const { online } = useField();
  return (
    <span className="field-conn" data-online={online} role="status">
      {online ? t('field.online') : t('field.offline')}
    </span>
  );
}

function FieldHeader() {
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  const { me } = useField();
  const callSign = me.data?.unit?.callSign;
  const onLogout = async () => {
    await auth.logout();
    navigate('/login', { replace: true });
  };
  return (
    <header className="field-header">
      <div className="field-header__row">
        <span className="field-header__brand">
          <img src="/campo/icons/icon.svg" alt="" width={32} height={32} />
          <span>
            {t('field.appName')}
            {callSign ? <span className="field-header__unit"> · {callSign}</span> : null}
          </span>
        </span>
        <span className="field-header__status">
          <ConnectionBadge />
          <LiveBadge />
        </span>
      </div>
      <div className="field-header__row field-header__tools">
        <span data-testid="current-user" className="field-header__user">
          {auth.me?.displayName}
        </span>
        <LanguageSwitch id="field-language" />
        <Button variant="ghost" onClick={onLogout}>
          {t('shell.logout')}
        </Button>
      </div>
    </header>
  );
}

/** The field officers' phone app (installable PWA under /campo/). */
export default function FieldApp() {
  const { t } = useI18n();
  const location = useLocation();

  useEffect(() => {
    const unlink = linkManifest();
    void registerFieldServiceWorker();
    // Sound needs a user gesture: the first tap anywhere enables the assignment beep.
    window.addEventListener('pointerdown', primeAudio, { once: true });
    window.addEventListener('keydown', primeAudio, { once: true });
    return () => {
      unlink();
      window.removeEventListener('pointerdown', primeAudio);
      window.removeEventListener('keydown', primeAudio);
    };
  }, []);

  // The service worker controls /campo/…: keep the trailing slash so a reload starts offline too.
  if (location.pathname === '/campo') return <Navigate to={`${FIELD_BASE}${location.search}`} replace />;

  return (
    <FieldProvider>
      <div className="field-app">
        <a className="skip-link" href="#main">
          {t('shell.skipToContent')}
        </a>
        <FieldHeader />
        <main id="main" className="field-main" tabIndex={-1}>
          <Routes>
            <Route index element={<AssignmentScreen />} />
            <Route path="informe" element={<ReportScreen />} />
            <Route path="foto" element={<PhotoScreen />} />
            <Route path="*" element={<Navigate to={FIELD_BASE} replace />} />
          </Routes>
        </main>
        <PendingPanel />
      </div>
    </FieldProvider>
  );
}
