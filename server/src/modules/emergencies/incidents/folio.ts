const TIME_ZONE = 'America/El_Salvador';

/** The civil year in El Salvador for an instant (folios restart every 1 January, local time). */
// Built once: a formatter with a time zone costs milliseconds to construct.
const YEAR_FORMAT = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric' });

export function localYear(at: Date): number {
  return Number(YEAR_FORMAT.format(at));
}

export function formatFolio(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}
