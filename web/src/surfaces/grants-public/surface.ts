import { lazy } from 'react';
import { registerMessages } from '../../i18n';
import type { Surface } from '../registry';
import '../grants/grants.messages';

registerMessages({
  es: {
    'grp.surface.title': 'Transparencia de fondos a ONG',
    'grp.surface.description':
      'Organizaciones, convenios, montos e indicadores de los fondos públicos a ONG, sin iniciar sesión.',
  },
  en: {
    'grp.surface.title': 'NGO funds transparency',
    'grp.surface.description':
      'Organisations, agreements, amounts and indicators of public funds to NGOs, without signing in.',
  },
});

/** Public transparency page of NGO funds (no sign-in, no personal data), under /transparencia. */
export const grantsPublicSurface: Surface = {
  id: 'grants-public',
  path: '/transparencia',
  titleKey: 'grp.surface.title',
  descriptionKey: 'grp.surface.description',
  permissions: [],
  public: true,
  component: lazy(() => import('./TransparencyPage')),
};
