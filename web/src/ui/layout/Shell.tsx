import { NavLink, Outlet, useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { surfacesFor } from '../../surfaces/registry';
import { Button } from '../Button';
import { LanguageSwitch } from './LanguageSwitch';
import { LiveBadge } from './LiveBadge';

/** Header with the surfaces the user may open, language, live status and logout; then the page. */
export function Shell() {
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  const surfaces = surfacesFor(auth.canAny).filter((s) => !s.hidden);

  const onLogout = async () => {
    await auth.logout();
    navigate('/login', { replace: true });
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="shell__header">
        <NavLink to="/" className="shell__brand" end>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {t('app.name')}
        </NavLink>
        <nav className="shell__nav" aria-label={t('shell.nav')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('shell.home')}
              </NavLink>
            </li>
            {surfaces.map((s) => (
              <li key={s.id}>
                <NavLink to={s.path}>{t(s.titleKey)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell__tools">
          <LiveBadge />
          <LanguageSwitch />
          <span data-testid="current-user">{auth.me?.displayName}</span>
          <Button variant="ghost" onClick={onLogout}>
            {t('shell.logout')}
          </Button>
        </div>
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
