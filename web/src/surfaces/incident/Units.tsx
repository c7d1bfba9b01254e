import { api, unwrap } from '../../api';
import type { Assignment } from '../../features/incidents';
import { formatTime, useI18n } from '../../i18n';
import { ErrorState, Loading, Table, useAsync } from '../../ui';

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
  return (
    <Table<Row>
      caption={t('incident.units.caption')}
      captionHidden
      rows={rows.data}
      rowKey={(r) => r.id}
      empty={t('incident.units.empty')}
      columns={[
        { key: 'unit', header: t('incident.units.unit'), render: (r) => <strong>{r.callSign}</strong> },
        { key: 'assigned', header: t('incident.units.assigned'), render: (r) => time(r.assignedAt) },
        { key: 'enRoute', header: t('incident.units.enRoute'), render: (r) => time(r.enRouteAt) },
        { key: 'onScene', header: t('incident.units.onScene'), render: (r) => time(r.onSceneAt) },
        { key: 'cleared', header: t('incident.units.cleared'), render: (r) => time(r.clearedAt) },
        {
          key: 'released',
          header: t('incident.units.released'),
          render: (r) =>
            r.releasedAt ? `${time(r.releasedAt)}${r.releaseReason ? ` · ${r.releaseReason}` : ''}` : '—',
        },
      ]}
    />
  );
}
