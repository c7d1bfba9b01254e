import { lazy } from 'react';
import type { Surface } from '../registry';
import './analytics.messages';

export const analyticsSurface: Surface = {
  id: 'analytics',
  path: '/indicadores',
  titleKey: 'an.nav',
  descriptionKey: 'an.description',
  // Supervisors, analysts and auditors hold kpi.read.
  permissions: ['kpi.read'],
  component: lazy(() => import('./AnalyticsPage')),
};
