import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api';
import type { AuditEntry } from '../../features/incidents';
import { formatDateTime, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, Table, useAction, useAsync } from '../../ui';
import { actorName } from './Timeline';

const PAGE = 50;

/** The audit log entries about this incident (roles with audit.read), newest first, paged. */
export function AuditTrail({ incidentId, generation }: { incidentId: string; generation: number }) {
  const { t } = useI18n();
  const first = useAsync(
    () =>
      unwrap(
        api.GET('/api/v1/audit/entries', {
          params: { query: { entityType: 'incident', entityId: incidentId, limit: PAGE } },
        }),
      ),
    [incidentId, generation],
  );
  const [more, setMore] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  useEffect(() => {
    setMore([]);
    setNext(first.data?.nextBefore ?? null);
  }, [first.data]);
  const loadMore = useAction(async () => {
    if (next === null) return;
    const page = await unwrap(
      api.GET('/api/v1/audit/entries', {
        params: { query: { entityType: 'incident', entityId: incidentId, limit: PAGE, before: next } },
      }),
    );
    setMore((previous) => [...previous, ...page.items]);
    setNext(page.nextBefore);
  });

  if (first.error) return <ErrorState error={first.error} onRetry={first.reload} />;
  if (!first.data) return <Loading />;
  const rows = [...first.data.items, ...more];
  return (
    <div className="stack" data-testid="audit-trail">
      <Table<AuditEntry>
        caption={t('incident.audit.caption')}
        captionHidden
        rows={rows}
        rowKey={(e) => e.id}
        empty={t('incident.audit.empty')}
        columns={[
          {
            key: 'when',
            header: t('incident.audit.when'),
            render: (e) => <span className="mono">{formatDateTime(e.occurredAt)}</span>,
          },
          { key: 'action', header: t('incident.audit.action'), render: (e) => <code>{e.action}</code> },
          { key: 'actor', header: t('incident.audit.actor'), render: (e) => actorName(t, e.actor) },
          { key: 'reason', header: t('incident.audit.reason'), render: (e) => e.reason ?? '—' },
        ]}
      />
      {next !== null ? (
        <div>
          <Button variant="secondary" busy={loadMore.busy} onClick={() => void loadMore.run()}>
            {t('incident.audit.more')}
          </Button>
        </div>
      ) : null}
      {loadMore.error ? <ErrorState error={loadMore.error} /> : null}
    </div>
  );
}
