import type { Locale } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { todayInElSalvador } from '../shared/dates.js';
import type { RedFlagOverview, RedFlagOverviewQuery } from './red-flags.schemas.js';
import { computeRedFlags } from './red-flags.service.js';

/**
 * Red flags of every organisation (active ones unless asked otherwise) that has at least one flag
 * matching the filters, most high-severity flags first: the internal dashboard's list.
 */
export async function redFlagOverview(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  query: RedFlagOverviewQuery,
  locale: Locale,
): Promise<RedFlagOverview> {
  let q = deps.db.selectFrom('ngo_organisations').select('id').orderBy('name');
  if (!query.includeInactive) q = q.where('status', '=', 'active');
  const organisations = await q.execute();
  const items: RedFlagOverview['items'] = [];
  for (const { id } of organisations) {
    const report = await computeRedFlags(deps, id, locale);
    const flags = report.flags.filter(
      (f) => (!query.severity || f.severity === query.severity) && (!query.code || f.code === query.code),
    );
    if (flags.length === 0) continue;
    items.push({
      organisationId: id,
      organisationName: report.organisationName,
      high: flags.filter((f) => f.severity === 'high').length,
      medium: flags.filter((f) => f.severity === 'medium').length,
      low: flags.filter((f) => f.severity === 'low').length,
      flags,
    });
  }
  items.sort((a, b) => b.high - a.high || b.medium - a.medium || b.low - a.low);
  return { evaluatedOn: todayInElSalvador(deps.clock.now()), items };
}
