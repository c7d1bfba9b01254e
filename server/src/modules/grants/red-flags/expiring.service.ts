import type { AppDeps } from '../../../platform/deps.js';
import { addDays, dateText, daysBetween, todayInElSalvador } from '../shared/dates.js';
import type { ExpiringDocumentList, ExpiringDocumentsQuery } from './red-flags.schemas.js';

/**
 * Expiry alerts: current (not superseded) documents of every organisation whose validity ends within
 * `days` days (and, unless excluded, those already expired), soonest first.
 */
export async function listExpiringDocuments(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  query: ExpiringDocumentsQuery,
): Promise<ExpiringDocumentList> {
  const today = todayInElSalvador(deps.clock.now());
  const limit = addDays(today, query.days ?? 30);
  let q = deps.db
    .selectFrom('ngo_documents as d')
    .innerJoin('ngo_organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id',
      'd.organisation_id',
      'o.name',
      'd.kind',
      'd.file_name',
      dateText('d.valid_until').as('valid_until'),
    ])
    .where('d.superseded_by', 'is', null)
    .where('d.valid_until', 'is not', null)
    .where('d.valid_until', '<=', limit);
  if (query.includeExpired === false) q = q.where('d.valid_until', '>=', today);
  const rows = await q.orderBy('d.valid_until').orderBy('o.name').execute();
  return {
    evaluatedOn: today,
    items: rows.map((r) => {
      const daysLeft = daysBetween(today, r.valid_until);
      return {
        documentId: r.id,
        organisationId: r.organisation_id,
        organisationName: r.name,
        kind: r.kind,
        fileName: r.file_name,
        validUntil: r.valid_until,
        daysLeft,
        expired: daysLeft < 0,
      };
    }),
  };
}
