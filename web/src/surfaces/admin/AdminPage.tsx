import { lazy, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Empty, Loading } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { SECTIONS } from './sections';
import './admin.css';

/** Mount path of the surface (links are absolute: relative ones would resolve below the splat). */
const BASE = '/administracion';

const COMPONENTS = {
  users: lazy(() => import('./UsersSection')),
  units: lazy(() => import('./UnitsSection')),
  types: lazy(() => import('./TypesSection')),
  targets: lazy(() => import('./TargetsSection')),
  video: lazy(() => import('./VideoSection')),
  keys: lazy(() => import('./ApiKeysSection')),
} as const;

/** Back office: users and roles, units and devices, incident types, response targets, video, API keys. */
export default function AdminPage() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle(t('adm.title'));
  const sections = SECTIONS.filter((s) => auth.canAny(s.permissions));
  return (
    <div className="adm">
      <h1>{t('adm.title')}</h1>
      <nav className="adm-tabs" aria-label={t('adm.sections')}>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <NavLink to={`${BASE}/${s.path}`}>{t(s.titleKey)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Loading />}>
        <Routes>
          {sections.map((s) => {
            const Component = COMPONENTS[s.id as keyof typeof COMPONENTS];
            return <Route key={s.id} path={`${s.path}/*`} element={<Component />} />;
          })}
          <Route
            index
            element={
              sections[0] ? (
                <Navigate to={`${BASE}/${sections[0].path}`} replace />
              ) : (
                <Empty>{t('adm.none')}</Empty>
              )
            }
          />
          <Route path="*" element={<Empty>{t('adm.sectionDenied')}</Empty>} />
        </Routes>
      </Suspense>
    </div>
  );
}
