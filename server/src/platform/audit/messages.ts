import { registerMessages } from '../i18n/catalog.js';

registerMessages({
  es: {
    'errors.PERSONAL_DATA_PURPOSE_REQUIRED':
      'Debe indicar el motivo por el que consulta datos personales; la consulta queda registrada en la auditoría.',
  },
  en: {
    'errors.PERSONAL_DATA_PURPOSE_REQUIRED':
      'State why you are reading personal data; the read is recorded in the audit log.',
  },
});
