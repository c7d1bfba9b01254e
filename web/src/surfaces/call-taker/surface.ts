import { lazy } from 'react';
import type { Surface } from '../registry';
import './call-taker.messages';

export const callTakerSurface: Surface = {
  id: 'call-taker',
  path: '/llamadas',
  titleKey: 'callTaker.nav',
  descriptionKey: 'callTaker.description',
  permissions: ['incident.create'],
  component: lazy(() => import('./CallTakerPage')),
};
