import { useCallback, useState } from 'react';
import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDuration, formatTime, useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { Button, ErrorState, useAction, useAsync, useToast } from '../../ui';
import './dispatch-feature.css';
import './dispatch-feature.messages';
import { PriorityBadge } from './badges';
import type { Escalation } from './types';

export const ESCALATIONS_READ = 'dispatch.escalations.read';
export const ESCALATIONS_ACK = 'dispatch.escalations.acknowledge';

/**
 * Open escalations of the user's territory: loaded once, then new ones arrive live
 * ('dispatch.escalation' on topic alerts). Only for users who may read them.
 */
export function useEscalations() {
  const auth = useAuth();
  const enabled = auth.can(ESCALATIONS_READ);
  const list = useAsync(
    () => (enabled ? unwrap(api.GET('/api/v1/escalations')).then((r) => r.items) : Promise.resolve([])),
    [enabled],
  );
  const { setData, reload } = list;
  const [latest, setLatest] = useState<Escalation | null>(null);
  useLiveEvents(
    ['alerts'],
    (event) => {
      if (event.type !== 'dispatch.escalation') return;
      const p = event.payload as Record<string, unknown>;
      if (typeof p.escalationId !== 'string' || typeof p.incidentId !== 'string') return;
      const item: Escalation = {
        id: p.escalationId,
        incidentId: p.incidentId,
        folio: String(p.folio ?? ''),
        stage: String(p.stage ?? ''),
        raisedAt: event.occurredAt,
        lateBySeconds: Number(p.lateBySeconds ?? 0),
        priority: typeof p.priority === 'number' ? p.priority : null,
        departmentCode: typeof p.departmentCode === 'string' ? p.departmentCode : null,
        acknowledgedAt: null,
      };
      setData((previous) => [item, ...(previous ?? []).filter((e) => e.id !== item.id)]);
      setLatest(item);
    },
    { enabled, onResync: reload },
  );
  const remove = useCallback(
    (id: string) => setData((previous) => (previous ?? []).filter((e) => e.id !== id)),
    [setData],
  );
  return { enabled, list, latest, remove };
}

/**
 * Banner with the open escalations (newest first), each linking to its incident and, for those who
 * may, acknowledged in one click.
 */
export function EscalationAlerts({
  escalations,
  onOpenIncident,
  compact = false,
}: {
  escalations: ReturnType<typeof useEscalations>;
  onOpenIncident?: (incidentId: string) => void;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const canAck = auth.can(ESCALATIONS_ACK);
  const acknowledge = useAction(async (e: Escalation) => {
    await unwrap(api.POST('/api/v1/escalations/{id}/acknowledge', { params: { path: { id: e.id } } }));
    escalations.remove(e.id);
    toast.show(t('dispatchx.escalations.acknowledged', { folio: e.folio }), 'success');
  });
  if (!escalations.enabled) return null;
  const { list } = escalations;
  if (list.error)
    return <ErrorState error={list.error} onRetry={list.reload} title={t('dispatchx.escalations.title')} />;
  const items = list.data ?? [];
  const heading =
    items.length === 0
      ? t('dispatchx.escalations.none')
      : items.length === 1
        ? t('dispatchx.escalations.one')
        : t('dispatchx.escalations.count', { count: items.length });
  return (
    <section
      className={`dx-escalations${items.length > 0 ? ' dx-escalations--active' : ''}${compact ? ' dx-escalations--compact' : ''}`}
      aria-labelledby="dx-escalations-title"
    >
      <h2 id="dx-escalations-title" className="dx-escalations__title">
        {t('dispatchx.escalations.title')}: <span aria-live="polite">{heading}</span>
      </h2>
      {acknowledge.error ? <ErrorState error={acknowledge.error} /> : null}
      {items.length > 0 ? (
        <ul className="dx-escalations__list">
          {items.slice(0, compact ? 6 : 20).map((e) => {
            const stage = t(`dispatchx.escalations.stage.${e.stage}`);
            return (
              <li key={e.id} className="dx-escalations__item">
                <PriorityBadge priority={e.priority} />
                <span>
                  {t('dispatchx.escalations.item', {
                    folio: e.folio,
                    stage,
                    late: formatDuration(e.lateBySeconds),
                  })}{' '}
                  <span className="muted">
                    {t('dispatchx.escalations.raisedAt', { time: formatTime(e.raisedAt) })}
                  </span>
                </span>
                {onOpenIncident ? (
                  <Button variant="ghost" onClick={() => onOpenIncident(e.incidentId)}>
                    {t('dispatchx.escalations.open', { folio: e.folio })}
                  </Button>
                ) : null}
                {canAck ? (
                  <Button
                    variant="secondary"
                    busy={acknowledge.busy}
                    aria-label={t('dispatchx.escalations.acknowledgeFolio', { folio: e.folio })}
                    onClick={() => void acknowledge.run(e)}
                  >
                    {t('dispatchx.escalations.acknowledge')}
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
