import { lazy } from 'react';
import { registerMessages } from '../../i18n';
import type { Surface } from '../registry';

registerMessages({
  es: {
    'citizen.surface.title': 'Reportar a la PNC',
    'citizen.surface.description':
      'Portal ciudadano: reportar un hecho sin cuenta (también anónimo) y consultar su seguimiento.',
  },
  en: {
    'citizen.surface.title': 'Report to the police',
    'citizen.surface.description':
      'Citizen portal: report an incident without an account (also anonymously) and track it.',
  },
});

/** Public citizen portal (no sign-in): report form and tracking page, under /reportar. */
export const citizenSurface: Surface = {
  id: 'citizen',
  path: '/reportar',
  titleKey: 'citizen.surface.title',
  descriptionKey: 'citizen.surface.description',
  permissions: [],
  public: true,
  component: lazy(() => import('./CitizenApp')),
};
