/** Traccar's threshold: an epoch value below 2^31−1 is seconds, anything else milliseconds. */
export const EPOCH_SECONDS_LIMIT = 2_147_483_647;

const LONG_MAX = 9_223_372_036_854_775_807n;
const LONG_MIN = -9_223_372_036_854_775_808n;

function validDate(ms: number): Date | null {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * An epoch number as Traccar reads it (`Long.parseLong`, then `timestamp < Integer.MAX_VALUE` →
 * seconds). Returns undefined when the text is not an integer a Java long can hold.
 */
export function parseEpoch(text: string): Date | null | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big > LONG_MAX || big < LONG_MIN) return undefined;
  const value = Number(big);
  return validDate(value < EPOCH_SECONDS_LIMIT ? value * 1000 : value);
}

/** Same rule for an epoch that arrives as a JSON number (MQTT). */
export function epochNumberToDate(value: number): Date | null {
  if (!Number.isFinite(value)) return null;
  return validDate(value < EPOCH_SECONDS_LIMIT ? value * 1000 : value);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * ISO-8601 instant with an explicit zone (`2016-01-27T18:55:47Z`, `…T18:55:47.862+00:00`).
 * Impossible dates (Feb 30, hour 25) are refused rather than rolled over.
 */
export function parseIsoInstant(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 18 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return validDate(utc - offsetMinutes * 60_000);
}

const LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/;

/**
 * `yyyy-MM-dd HH:mm:ss` in the server's local time zone, as Traccar's SimpleDateFormat reads it
 * (lenient: out-of-range fields roll over). Devices should prefer epoch or ISO-8601 with a zone.
 */
export function parseLocalDateTime(text: string): Date | null {
  const m = LOCAL.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return validDate(new Date(y, mo - 1, d, h, mi, s).getTime());
}
