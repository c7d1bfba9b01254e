import { useSyncExternalStore } from 'react';
import { LOCALES, type Locale, type MessageParams, translate } from './catalog';

/** The chosen language, persisted across visits (not sensitive, so localStorage is fine). */
const STORAGE_KEY = 'centinela.locale';
const listeners = new Set<() => void>();

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // storage unavailable (private mode): default
  }
  return 'es';
}

let current: Locale = initialLocale();
applyToDocument(current);

function applyToDocument(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale === 'es' ? 'es-SV' : 'en';
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted; still switched for this page
  }
  applyToDocument(locale);
  for (const listener of listeners) listener();
}

export function subscribeLocale(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `t` outside React (API client, realtime): uses the current locale. */
export function t(key: string, params?: MessageParams): string {
  return translate(current, key, params);
}

/** Value for the Accept-Language header so the server answers errors in the same language. */
export function acceptLanguage(): string {
  return current === 'es' ? 'es-SV,es;q=0.9' : 'en;q=1,es;q=0.5';
}

export interface I18n {
  locale: Locale;
  t: (key: string, params?: MessageParams) => string;
  setLocale: (locale: Locale) => void;
}

/** Re-renders the component when the language changes. */
export function useI18n(): I18n {
  const locale = useSyncExternalStore(subscribeLocale, getLocale, getLocale);
  return { locale, t: (key, params) => translate(locale, key, params), setLocale };
}
