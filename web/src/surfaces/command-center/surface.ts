import { lazy } from 'react';
import type { Surface } from '../registry';
import './command-center.messages';

export const commandCenterSurface: Surface = {
  id: 'command-center',
  path: '/centro-de-mando',
  titleKey: 'cc.nav',
  descriptionKey: 'cc.description',
  // Supervisors and dispatchers (escalations) and analysts (indicators).
  permissions: ['dispatch.escalations.read', 'kpi.read'],
  layout: 'bare',
  component: lazy(() => import('./CommandCenterPage')),
};
