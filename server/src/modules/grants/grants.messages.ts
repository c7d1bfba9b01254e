import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {},
  en: {},
});
