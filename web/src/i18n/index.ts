export { hasMessage, LOCALES, type Locale, type MessageParams, registerMessages, translate } from './catalog';
export {
  formatDate,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRelative,
  formatTime,
  formatUsd,
  TIME_ZONE,
} from './format';
export { acceptLanguage, getLocale, setLocale, subscribeLocale, t, useI18n } from './locale';

import './common.messages';
