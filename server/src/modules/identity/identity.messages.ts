import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.INVALID_CREDENTIALS': 'Usuario o contraseña incorrectos.',
  },
  en: {
    'errors.INVALID_CREDENTIALS': 'Wrong username or password.',
  },
});
