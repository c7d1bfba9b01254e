import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../../platform/http/errors.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `date` column read as `YYYY-MM-DD` text (the drivers would turn it into Dates at different zones). */
export function dateText(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

/** Checks a calendar date `YYYY-MM-DD` (a real day of a year between 1900 and 2100). */
export function assertDate(value: string, field: string): string {
  const m = DATE.exec(value);
  const fail = () => new AppError('DATE_INVALID', 400, { field }, [{ field, code: 'DATE_INVALID' }]);
  if (!m) throw fail();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw fail();
  return value;
}

/** Refuses `from` after `to` (both `YYYY-MM-DD`). */
export function assertDateOrder(from: string, to: string, fields: [string, string]): void {
  if (from > to) {
    throw new AppError('DATES_OUT_OF_ORDER', 400, { from: fields[0], to: fields[1] }, [
      { field: fields[1], code: 'DATES_OUT_OF_ORDER' },
    ]);
  }
}

/** Today in El Salvador (UTC−6, no daylight saving) as `YYYY-MM-DD`. */
export function todayInElSalvador(now: Date): string {
  return new Date(now.getTime() - 6 * 3_600_000).toISOString().slice(0, 10);
}

/** `date` + `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
