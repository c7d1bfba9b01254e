import { lazy } from 'react';
import type { Surface } from '../registry';
import './grants.messages';

/**
 * Public funds for NGOs: the NGO portal (ngo_staff sees only its organisation) and the ministry's
 * back office (review inbox, review screens, finance, liquidation, monitoring visits), under /fondos.
 */
export const grantsSurface: Surface = {
  id: 'grants',
  path: '/fondos',
  titleKey: 'gr.nav',
  descriptionKey: 'gr.description',
  permissions: ['grant.read'],
  component: lazy(() => import('./GrantsPage')),
};
