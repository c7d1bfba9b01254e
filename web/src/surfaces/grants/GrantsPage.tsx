import { lazy, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Empty, Loading } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { BASE } from './common';
import './grants.css';

const Portal = lazy(() => import('./Portal'));
const PlansList = lazy(() => import('./PlansList'));
const PlanPage = lazy(() => import('./PlanPage'));
const PlanForm = lazy(() => import('./PlanForm'));
const Inbox = lazy(() => import('./Inbox'));
const CasePage = lazy(() => import('./CasePage'));
const Finance = lazy(() => import('./Finance'));
const Agreements = lazy(() => import('./Agreements'));
const AgreementPage = lazy(() => import('./AgreementPage'));
const VisitForm = lazy(() => import('./VisitForm'));
const Dashboard = lazy(() => import('./Dashboard'));

interface Tab {
  path: string;
  titleKey: string;
  show: (can: (p: string) => boolean) => boolean;
}

/** Tabs shown to holders of the permissions each needs (NGO staff: portal, plans, agreements). */
const TABS: Tab[] = [
  {
    path: 'portal',
    titleKey: 'gr.tab.portal',
    show: (can) => can('grant.ngo.submit') || can('grant.documents.upload'),
  },
  { path: 'bandeja', titleKey: 'gr.tab.inbox', show: (can) => can('grant.read.all') },
  { path: 'planes', titleKey: 'gr.tab.plans', show: (can) => can('grant.read') },
  { path: 'convenios', titleKey: 'gr.tab.agreements', show: (can) => can('grant.read') },
  { path: 'tablero', titleKey: 'gr.tab.dashboard', show: (can) => can('grant.read.all') },
  {
    path: 'desembolsos',
    titleKey: 'gr.tab.finance',
    show: (can) => can('grant.finance.disburse') || can('grant.finance.pay'),
  },
];

/** NGO funds: portal, review inbox and screens, finance, agreements with liquidation and visits. */
export default function GrantsPage() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle(t('gr.title'));
  const tabs = TABS.filter((tab) => tab.show(auth.can));
  const first = auth.can('grant.read.all') ? 'bandeja' : (tabs[0]?.path ?? 'planes');
  return (
    <div className="gr">
      <h1>{t('gr.title')}</h1>
      <nav className="gr-tabs" aria-label={t('gr.sections')}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`${BASE}/${tab.path}`}>{t(tab.titleKey)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route index element={<Navigate to={`${BASE}/${first}`} replace />} />
          <Route path="portal" element={<Portal />} />
          <Route path="bandeja" element={<Inbox />} />
          <Route path="expedientes/:id" element={<CasePage />} />
          <Route path="planes" element={<PlansList />} />
          <Route path="planes/nuevo" element={<PlanForm />} />
          <Route path="planes/:id" element={<PlanPage />} />
          <Route path="planes/:id/editar" element={<PlanForm />} />
          <Route path="convenios" element={<Agreements />} />
          <Route path="convenios/:id" element={<AgreementPage />} />
          <Route path="convenios/:id/visita" element={<VisitForm />} />
          <Route path="desembolsos" element={<Finance />} />
          <Route path="tablero" element={<Dashboard />} />
          <Route path="*" element={<Empty>{t('gr.notFound')}</Empty>} />
        </Routes>
      </Suspense>
    </div>
  );
}
