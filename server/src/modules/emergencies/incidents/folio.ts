import type { Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';

const TIME_ZONE = 'America/El_Salvador';

/** The civil year in El Salvador for an instant (folios restart every 1 January, local time). */
export function localYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric' }).format(at));
}

export function formatFolio(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}

/** Next folio of the year; the counter row lock serialises concurrent intakes. */
export async function nextFolio(trx: Transaction<Database>, at: Date): Promise<string> {
  const year = localYear(at);
  const row = await trx
    .insertInto('incident_folio_counters')
    .values({ year, last: 1 })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({ last: eb('incident_folio_counters.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return formatFolio(year, row.last);
}
