import type { Locale } from '../context.js';

type Messages = Record<string, string>;

const catalogues: Record<Locale, Messages> = { es: {}, en: {} };

/** Modules add their user-facing strings here; Spanish is the reference language. */
export function registerMessages(messages: { es: Messages; en: Messages }): void {
  for (const key of Object.keys(messages.es)) {
    if (!(key in messages.en)) throw new Error(`i18n: falta la traducción al inglés de "${key}"`);
  }
  Object.assign(catalogues.es, messages.es);
  Object.assign(catalogues.en, messages.en);
}

export function hasMessage(key: string): boolean {
  return key in catalogues.es;
}

/** Translates `key`, replacing `{name}` placeholders; falls back to Spanish, then to the key. */
export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const template = catalogues[locale][key] ?? catalogues.es[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks the best supported locale from an Accept-Language header (Spanish by default). */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'es';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('es')) return 'es';
    if (tag.startsWith('en')) return 'en';
  }
  return 'es';
}
