import { useState } from 'react';
import { api, unwrap } from '../../api';
import type { Caller } from '../../features/incidents';
import { formatDateTime, useI18n } from '../../i18n';
import { Button, ErrorState, Table, useAction } from '../../ui';

/**
 * Caller personal data, hidden until the user asks: each "show" is one audited read on the server
 * (GET /incidents/:id/callers), so it is never loaded automatically or refreshed by live events.
 */
export function Callers({ incidentId }: { incidentId: string }) {
  const { t } = useI18n();
  const [callers, setCallers] = useState<Caller[] | null>(null);
  const read = useAction(() =>
    unwrap(api.GET('/api/v1/incidents/{id}/callers', { params: { path: { id: incidentId } } })),
  );

  const show = async () => {
    const answer = await read.run();
    if (answer) setCallers(answer.items);
  };

  return (
    <div className="stack">
      <p className="alert alert--info inc-small">{t('incident.callers.notice')}</p>
      {callers === null ? (
        <div>
          <Button variant="secondary" busy={read.busy} onClick={show}>
            {t('incident.callers.show')}
          </Button>
        </div>
      ) : (
        <>
          <p className="muted inc-small" role="status">
            {t('incident.callers.audited')}
          </p>
          <Table<Caller>
            caption={t('incident.callers.caption')}
            captionHidden
            rows={callers}
            rowKey={(c) => c.id}
            empty={t('incident.callers.empty')}
            columns={[
              {
                key: 'phone',
                header: t('incident.callers.phone'),
                render: (c) => (c.anonymous ? t('incident.callers.anonymous') : (c.phone ?? '—')),
              },
              { key: 'name', header: t('incident.callers.name'), render: (c) => c.name ?? '—' },
              { key: 'email', header: t('incident.callers.email'), render: (c) => c.email ?? '—' },
              { key: 'channel', header: t('incident.callers.channel'), render: (c) => c.channel },
              {
                key: 'received',
                header: t('incident.callers.received'),
                render: (c) => formatDateTime(c.receivedAt),
              },
            ]}
          />
          <div>
            <Button variant="ghost" onClick={() => setCallers(null)}>
              {t('incident.callers.hide')}
            </Button>
          </div>
        </>
      )}
      {read.error ? <ErrorState error={read.error} /> : null}
    </div>
  );
}
