const TIME_ZONE = 'America/El_Salvador';

/** The civil year in El Salvador for an instant (folios restart every 1 January, local time). */
export function localYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric' }).format(at));
}

export function formatFolio(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}
