import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.NOTIFICATION_RECIPIENT_INVALID':
      'El destinatario no es válido para el canal {channel} (teléfono en formato internacional o correo).',
  },
  en: {
    'errors.NOTIFICATION_RECIPIENT_INVALID':
      'The recipient is not valid for channel {channel} (international phone number or e-mail address).',
  },
});
