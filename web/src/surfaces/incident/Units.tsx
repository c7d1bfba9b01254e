import { api, unwrap } from '../../api';
import type { Assignment } from '../../features/incidents';
import { formatTime, useI18n } from '../../i18n';
import { Empty, ErrorState, Loading, useAsync } from '../../ui';

interface Row extends Assignment {
  callSign: string;
}

const time = (value: string | null) => (value ? formatTime(value, undefined, true) : '—');

/** Units assigned to the incident (history), with their call signs. */
export function Units({ incidentId, generation }: { incidentId: string; generation: number }) {
  const { t } = useI18n();
  const rows = useAsync(async (): Promise<Row[]> => {
    const answer = await unwrap(
      api.GET('/api/v1/incidents/{id}/assignments', { params: { path: { id: incidentId } } }),
    );
    const ids = [...new Set(answer.items.map((a) => a.unitId))];
    const units = await Promise.all(
      ids.map((id) =>
        unwrap(api.GET('/api/v1/units/{id}', { params: { path: { id } } })).then(
          (unit) => [id, unit.callSign] as const,
          () => [id, id.slice(0, 8)] as const,
        ),
      ),
    );
    const names = new Map(units);
    return answer.items.map((a) => ({ ...a, callSign: names.get(a.unitId) ?? a.unitId.slice(0, 8) }));
  }, [incidentId, generation]);

  if (rows.error) return <ErrorState error={rows.error} onRetry={rows.reload} />;
  if (!rows.data) return <Loading />;
  if (rows.data.length === 0) return <Empty>{t('incident.units.empty')}</Empty>;
  // A compact list rather than a wide table: it sits in the narrow column without scrolling sideways.
  return (
    <ul className="inc-units" aria-label={t('incident.units.caption')}>
      {rows.data.map((r) => (
        <li key={r.id} className={r.releasedAt ? 'inc-unit is-released' : 'inc-unit'}>
          <strong>{r.callSign}</strong>
          <dl>
            <div>
              <dt>{t('incident.units.assigned')}</dt>
              <dd>{time(r.assignedAt)}</dd>
            </div>
            <div>
              <dt>{t('incident.units.enRoute')}</dt>
              <dd>{time(r.enRouteAt)}</dd>
            </div>
            <div>
              <dt>{t('incident.units.onScene')}</dt>
              <dd>{time(r.onSceneAt)}</dd>
            </div>
            <div>
              <dt>{t('incident.units.cleared')}</dt>
              <dd>{time(r.clearedAt)}</dd>
            </div>
            {r.releasedAt ? (
              <div>
                <dt>{t('incident.units.released')}</dt>
                <dd>
                  {time(r.releasedAt)}
                  {r.releaseReason ? ` · ${r.releaseReason}` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
        </li>
      ))}
    </ul>
  );
}
