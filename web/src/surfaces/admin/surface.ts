import { lazy } from 'react';
import type { Surface } from '../registry';
import './admin.messages';
import { ADMIN_PERMISSIONS } from './sections';

export const adminSurface: Surface = {
  id: 'admin',
  path: '/administracion',
  titleKey: 'adm.nav',
  descriptionKey: 'adm.description',
  // Administrators; supervisors see the sections their permissions allow (some read-only).
  permissions: ADMIN_PERMISSIONS,
  component: lazy(() => import('./AdminPage')),
};
