import { AppError } from '../../../platform/http/errors.js';

/**
 * Reporting periods in El Salvador's civil time. Figures and bucket starts are returned as UTC
 * instants (ISO-8601 `Z`); a date without a time (`2026-01-31`) means that whole local day, and
 * hour/day/week/month buckets follow local midnights (UTC-6 today; computed through Intl and the
 * database's time zone rules, so a future change of offset is handled).
 */
export const KPI_TIME_ZONE = 'America/El_Salvador';
export const MAX_PERIOD_DAYS = 366;
const DEFAULT_PERIOD_DAYS = 30;
const DAY_MS = 86_400_000;

export type Bucket = 'hour' | 'day' | 'week' | 'month';
export const BUCKETS: readonly Bucket[] = ['hour', 'day', 'week', 'month'];

export interface Period {
  from: Date;
  to: Date;
}

const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: KPI_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(at: Date): LocalParts {
  const p = Object.fromEntries(partsFormatter.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** Offset of local time from UTC at `at`, in milliseconds (−6 h for El Salvador). */
function offsetMs(at: Date): number {
  const p = localParts(at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (at.getTime() - at.getUTCMilliseconds());
}

/** The UTC instant of a local wall-clock time (fields may overflow: month 13, day 32… normalise). */
export function fromLocal(year: number, month: number, day: number, hour = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - offsetMs(new Date(wall));
  // A second pass settles the rare case of an offset change between the two instants.
  guess = wall - offsetMs(new Date(guess));
  return new Date(guess);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A period boundary: a local date (its midnight, or the next one for `to`) or an ISO date-time with zone. */
export function parseBoundary(value: string, side: 'from' | 'to', field: string): Date {
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new AppError('KPI_DATE_INVALID', 400, { field, value });
    }
    return fromLocal(year, month, side === 'to' ? day + 1 : day);
  }
  if (DATE_TIME.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new AppError('KPI_DATE_INVALID', 400, { field, value });
}

/**
 * The period of a KPI request: [from, to). Defaults: `to` now, `from` the local midnight 30 days
 * before. Refuses an empty or inverted period and one longer than 366 days.
 */
export function resolvePeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Period {
  const to = query.to ? parseBoundary(query.to, 'to', 'to') : now;
  let from: Date;
  if (query.from) from = parseBoundary(query.from, 'from', 'from');
  else {
    const p = localParts(new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS));
    from = fromLocal(p.year, p.month, p.day);
  }
  if (from.getTime() >= to.getTime()) {
    throw new AppError('KPI_RANGE_INVALID', 400, { from: from.toISOString(), to: to.toISOString() });
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new AppError('KPI_RANGE_TOO_LONG', 400, { max: MAX_PERIOD_DAYS });
  }
  return { from, to };
}

/** Start of the local bucket containing `at`. Weeks start on Monday (ISO), as date_trunc('week'). */
export function bucketStart(at: Date, bucket: Bucket): Date {
  const p = localParts(at);
  switch (bucket) {
    case 'hour':
      return fromLocal(p.year, p.month, p.day, p.hour);
    case 'day':
      return fromLocal(p.year, p.month, p.day);
    case 'week': {
      const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7; // Monday = 0
      return fromLocal(p.year, p.month, p.day - weekday);
    }
    case 'month':
      return fromLocal(p.year, p.month, 1);
  }
}

function nextBucket(start: Date, bucket: Bucket): Date {
  const p = localParts(start);
  switch (bucket) {
    case 'hour':
      return fromLocal(p.year, p.month, p.day, p.hour + 1);
    case 'day':
      return fromLocal(p.year, p.month, p.day + 1);
    case 'week':
      return fromLocal(p.year, p.month, p.day + 7);
    case 'month':
      return fromLocal(p.year, p.month + 1, 1);
  }
}

/** Every bucket start that overlaps [from, to), in order. */
export function bucketsOf(period: Period, bucket: Bucket): Date[] {
  const out: Date[] = [];
  for (let at = bucketStart(period.from, bucket); at < period.to; at = nextBucket(at, bucket)) out.push(at);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 week of a calendar date: [week-year, week]. */
function isoWeek(year: number, month: number, day: number): [number, number] {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3); // Thursday of the same week
  const weekYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  const firstWeekday = (firstThursday.getUTCDay() + 6) % 7;
  firstThursday.setUTCDate(firstThursday.getUTCDate() - firstWeekday + 3);
  return [weekYear, 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * DAY_MS))];
}

/** Local label of a bucket: `2026-01-15 08:00`, `2026-01-15`, `2026-W03`, `2026-01`. */
export function bucketLabel(start: Date, bucket: Bucket): string {
  const p = localParts(start);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  switch (bucket) {
    case 'hour':
      return `${date} ${pad(p.hour)}:00`;
    case 'day':
      return date;
    case 'week': {
      const [weekYear, week] = isoWeek(p.year, p.month, p.day);
      return `${weekYear}-W${pad(week)}`;
    }
    case 'month':
      return `${p.year}-${pad(p.month)}`;
  }
}

/** `2026-01-15` local date of an instant (file names, headers). */
export function localDate(at: Date): string {
  const p = localParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
