import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api';
import { type Incident, normalize, PriorityBadge, StatusBadge } from '../../features/incidents';
import { formatDateTime, useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { ErrorState, Loading, Table, TextField, useAsync } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';

/** Recent incidents of the user's scope, to open one (the detail is usually reached by a folio link). */
export function IncidentIndex() {
  const { t } = useI18n();
  usePageTitle(t('incident.index.title'));
  const [filter, setFilter] = useState('');
  const list = useAsync(
    () => unwrap(api.GET('/api/v1/incidents', { params: { query: { limit: 100 } } })),
    [],
  );
  useLiveEvents(['incident'], () => list.reload(), {
    onResync: list.reload,
    enabled: list.data !== undefined,
  });

  const rows = useMemo(() => {
    const q = normalize(filter);
    const items = list.data?.items ?? [];
    if (!q) return items;
    return items.filter((i) =>
      normalize(`${i.folio} ${i.typeName ?? ''} ${i.summary} ${i.statusName}`).includes(q),
    );
  }, [list.data, filter]);

  return (
    <div className="stack">
      <h1>{t('incident.index.title')}</h1>
      <TextField
        label={t('incident.index.filter')}
        type="search"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <Table<Incident>
          caption={t('incident.index.caption')}
          rows={rows}
          rowKey={(i) => i.id}
          empty={t('incident.index.empty')}
          columns={[
            {
              key: 'folio',
              header: t('incident.col.folio'),
              render: (i) => (
                <Link to={`/incidentes/${i.id}`} className="mono">
                  {i.folio}
                </Link>
              ),
            },
            {
              key: 'priority',
              header: t('incident.col.priority'),
              render: (i) => <PriorityBadge priority={i.priority} />,
            },
            {
              key: 'type',
              header: t('incident.col.type'),
              render: (i) => i.typeName ?? t('incident.untyped'),
            },
            {
              key: 'status',
              header: t('incident.col.status'),
              render: (i) => <StatusBadge status={i.status} name={i.statusName} />,
            },
            {
              key: 'created',
              header: t('incident.col.created'),
              render: (i) => formatDateTime(i.times.createdAt),
            },
            { key: 'summary', header: t('incident.col.summary'), render: (i) => i.summary },
          ]}
        />
      ) : null}
    </div>
  );
}
