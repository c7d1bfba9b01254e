import { lazy } from 'react';
import { registerMessages } from '../../i18n';
import type { Surface } from '../registry';

// Navigation labels are needed before the surface loads; the rest of its messages load with it.
registerMessages({
  es: {
    'field.surface.title': 'Campo',
    'field.surface.description':
      'Aplicación del agente: asignación activa, estados, informes y fotos, también sin conexión.',
  },
  en: {
    'field.surface.title': 'Field',
    'field.surface.description':
      "Officer's app: active assignment, status, reports and photos, also offline.",
  },
});

/** Field officers' phone app, installable (PWA) and usable offline, under /campo/. */
export const fieldSurface: Surface = {
  id: 'field',
  path: '/campo',
  titleKey: 'field.surface.title',
  descriptionKey: 'field.surface.description',
  permissions: ['field.operate'],
  layout: 'bare',
  component: lazy(() => import('./FieldApp')),
};
