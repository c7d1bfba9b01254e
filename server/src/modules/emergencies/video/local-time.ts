/** Times in America/El_Salvador (UTC-6 all year today; computed through Intl so history stays right). */
export const LOCAL_TIME_ZONE = 'America/El_Salvador';

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: LOCAL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** `-06:00` */
  offset: string;
}

function localParts(at: Date): LocalParts {
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  const gmt = parts.timeZoneName ?? 'GMT';
  const offset = gmt === 'GMT' ? '+00:00' : gmt.replace('GMT', '');
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
    isoWeekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    offset,
  };
}

/** ISO-8601 with the local offset, e.g. `2020-12-04T17:19:15.475-06:00` (for display). */
export function toLocalIso(at: Date): string {
  const p = localParts(at);
  const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}${p.offset}`;
}

/** Local weekday (ISO, 1 = Monday) and minutes since local midnight. */
export function localClock(at: Date): { isoWeekday: number; minutes: number } {
  const p = localParts(at);
  return { isoWeekday: p.isoWeekday, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

/** Frigate timestamps are float epoch seconds (UTC). Anything else yields null. */
export function fromEpochSeconds(value: unknown): Date | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  // Defensive: a value this large is already in milliseconds.
  const ms = n > 1e11 ? n : n * 1000;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}
