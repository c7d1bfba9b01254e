import type { Locale } from './catalog';
import { getLocale } from './locale';

/** All dates and times are shown in El Salvador time, whatever the device's zone. */
export const TIME_ZONE = 'America/El_Salvador';

const intlLocale = (locale: Locale) => (locale === 'es' ? 'es-SV' : 'en-US');
const cache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(locale), { timeZone: TIME_ZONE, ...options });
    cache.set(key, format);
  }
  return format;
}

type DateInput = string | number | Date;
const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

/** 14/03/2026 15:04 */
export function formatDateTime(value: DateInput, locale: Locale = getLocale()): string {
  return dateFormat(locale, { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(
    toDate(value),
  );
}

/** 14 mar 2026 */
export function formatDate(value: DateInput, locale: Locale = getLocale()): string {
  return dateFormat(locale, { dateStyle: 'medium' }).format(toDate(value));
}

/** 15:04:05 */
export function formatTime(value: DateInput, locale: Locale = getLocale(), seconds = false): string {
  return dateFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(toDate(value));
}

/** "hace 5 min" / "5 min ago" relative to `now`. */
export function formatRelative(
  value: DateInput,
  now: Date = new Date(),
  locale: Locale = getLocale(),
): string {
  const seconds = Math.round((toDate(value).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** Elapsed time as m:ss or h:mm:ss (timers on live boards). */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Money is integer cents on the wire; El Salvador uses USD. */
export function formatUsd(cents: number, locale: Locale = getLocale()): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'USD' }).format(
    cents / 100,
  );
}

export function formatNumber(value: number, locale: Locale = getLocale(), digits = 0): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

export function formatPercent(ratio: number, locale: Locale = getLocale(), digits = 0): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'percent',
    maximumFractionDigits: digits,
  }).format(ratio);
}
