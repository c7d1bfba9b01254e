import { lazy } from 'react';
import type { Surface } from '../registry';
import './dispatch.messages';

export const dispatchSurface: Surface = {
  id: 'dispatch',
  path: '/despacho',
  titleKey: 'dispatch.nav',
  descriptionKey: 'dispatch.description',
  // Dispatchers and supervisors act (dispatch.assign); other readers of incidents see it read-only.
  permissions: ['dispatch.assign', 'incident.read'],
  component: lazy(() => import('./DispatchPage')),
};
