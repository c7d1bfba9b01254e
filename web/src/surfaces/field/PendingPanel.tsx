import { formatTime, useI18n } from '../../i18n';
import { Button } from '../../ui';
import { useField } from './FieldContext';
import type { OutboxItem } from './outbox';

const ACTION_KEYS = {
  acknowledge: 'field.action.acknowledge',
  'en-route': 'field.action.enRoute',
  'on-scene': 'field.action.onScene',
  clear: 'field.action.clear',
} as const;

function useItemLabel() {
  const { t } = useI18n();
  return (item: OutboxItem): string => {
    const folio = item.meta.folio ?? '';
    switch (item.kind) {
      case 'status':
        return t('field.pending.status', {
          action: item.meta.action ? t(ACTION_KEYS[item.meta.action]) : '',
          folio,
        });
      case 'backup':
        return t('field.pending.backup', { folio });
      case 'report':
        return t('field.pending.report', { folio });
      case 'evidence':
        return t('field.pending.evidence', { folio });
      case 'positions':
        return t('field.pending.positions', { count: item.meta.positions ?? 0 });
    }
  };
}

/** The outbox on screen: how many writes wait, their state, refused ones with the server's reason. */
export function PendingPanel() {
  const { t } = useI18n();
  const { queue, outbox, online } = useField();
  const label = useItemLabel();
  const pending = queue.items.filter((i) => i.state === 'pending');
  const failed = queue.items.filter((i) => i.state === 'failed');
  const summary =
    queue.items.length === 0
      ? t('field.pending.none')
      : [
          pending.length > 0 ? t('field.pending.count', { count: pending.length }) : null,
          failed.length > 0 ? t('field.pending.failedCount', { count: failed.length }) : null,
        ]
          .filter(Boolean)
          .join(' · ');

  return (
    <section
      className="field-pending"
      aria-label={t('field.pending.title')}
      data-state={failed.length > 0 ? 'failed' : pending.length > 0 ? 'pending' : 'empty'}
    >
      <details>
        <summary>
          <span role="status" data-testid="pending-summary">
            {summary}
          </span>
        </summary>
        {queue.items.length === 0 ? (
          <p className="muted">{t('field.pending.explain')}</p>
        ) : (
          <ol className="field-pending__list">
            {queue.items.map((item) => {
              let state: string;
              if (item.state === 'failed')
                state = t('field.pending.refused', { message: item.lastError?.message ?? '' });
              else if (queue.sendingSeq === item.seq) state = t('field.pending.sending');
              else if (!online) state = t('field.pending.waitingNetwork');
              else if (item.lastError && queue.retryAt)
                state = t('field.pending.retryAt', { time: formatTime(queue.retryAt, undefined, true) });
              else state = t('field.pending.queued');
              return (
                <li key={item.seq} className={`field-pending__item is-${item.state}`}>
                  <div>
                    <strong>{label(item)}</strong>
                    <span className="muted"> · {formatTime(item.createdAt, undefined, true)}</span>
                  </div>
                  <div className={item.state === 'failed' ? 'field__error' : 'muted'}>{state}</div>
                  {item.state === 'failed' ? (
                    <Button variant="secondary" onClick={() => void outbox.discard(item.seq)}>
                      {t('field.pending.discard')}
                      <span className="visually-hidden"> {label(item)}</span>
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
        {pending.length > 0 ? (
          <Button variant="secondary" size="large" block disabled={!online} onClick={() => outbox.flushNow()}>
            {t('field.pending.sendNow')}
          </Button>
        ) : null}
      </details>
    </section>
  );
}
