import { Link } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Empty } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { surfacesFor } from '../registry';
import { RecentActivity } from './RecentActivity';

/** Landing page after sign-in: the workspaces this user may open. */
export function HomePage() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle(t('shell.home'));
  const surfaces = surfacesFor(auth.canAny).filter((s) => !s.hidden);
  return (
    <div className="stack">
      <h1>{t('shell.welcome', { name: auth.me?.displayName ?? '' })}</h1>
      <h2>{t('shell.surfaces')}</h2>
      {surfaces.length === 0 ? (
        <Empty>{t('shell.noSurfaces')}</Empty>
      ) : (
        <ul className="surface-grid">
          {surfaces.map((s) => (
            <li key={s.id}>
              <Link to={s.path}>
                <strong>{t(s.titleKey)}</strong>
                <span className="muted">{t(s.descriptionKey)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <RecentActivity />
    </div>
  );
}
