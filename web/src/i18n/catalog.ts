/**
 * Message catalogue of the web app. Spanish (es) is the default and the reference; English (en) is
 * switchable. Each surface or feature registers its own messages next to its code:
 *
 *   registerMessages({ es: { 'dispatch.title': 'Despacho' }, en: { 'dispatch.title': 'Dispatch' } });
 *
 * Keys are dotted, prefixed by the surface/feature. Parameters are written `{name}`.
 */
export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];
export type Messages = Record<string, string>;
export type MessageParams = Record<string, string | number>;

const catalogues: Record<Locale, Messages> = { es: {}, en: {} };

export function registerMessages(messages: Record<Locale, Messages>): void {
  for (const locale of LOCALES) Object.assign(catalogues[locale], messages[locale]);
}

function interpolate(template: string, params: MessageParams | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** The message for `key` in `locale`, falling back to Spanish, then to the key itself. */
export function translate(locale: Locale, key: string, params?: MessageParams): string {
  const template = catalogues[locale][key] ?? catalogues.es[key];
  if (template === undefined) {
    if (import.meta.env.DEV) console.warn(`i18n: missing message ${key}`);
    return key;
  }
  return interpolate(template, params);
}

export function hasMessage(key: string): boolean {
  return key in catalogues.es;
}
