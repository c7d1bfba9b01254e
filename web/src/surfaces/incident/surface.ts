import { lazy } from 'react';
import type { Surface } from '../registry';
import './incident.messages';

export const incidentSurface: Surface = {
  id: 'incident',
  path: '/incidentes',
  titleKey: 'incident.nav',
  descriptionKey: 'incident.description',
  permissions: ['incident.read'],
  // Reached from the call-taker, dispatch and other screens by folio link.
  hidden: true,
  component: lazy(() => import('./IncidentPage')),
};
