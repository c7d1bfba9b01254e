import { useState } from 'react';
import { formatTime, hasMessage, useI18n } from '../../i18n';
import { type DomainEvent, useLiveEvents } from '../../realtime';
import { Alert, Empty } from '../../ui';
import './shell.messages';

const KEEP = 10;

function detail(event: DomainEvent): string | null {
  const { folio, summary, name, code } = event.payload;
  const parts = [folio, summary ?? name ?? code].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The latest live events this user may see (filtered by permission and scope on the server). */
export function RecentActivity() {
  const { t } = useI18n();
  const [events, setEvents] = useState<DomainEvent[]>([]);
  const [resynced, setResynced] = useState(false);
  useLiveEvents(['*'], (event) => setEvents((list) => [event, ...list].slice(0, KEEP)), {
    // This list only shows events as they arrive (no HTTP load): the first subscription misses nothing.
    onResync: (reason) => {
      if (reason !== 'missed') return;
      setEvents([]);
      setResynced(true);
    },
  });
  const label = (type: string) => (hasMessage(`events.${type}`) ? t(`events.${type}`) : type);

  return (
    <section className="card stack" aria-labelledby="recent-activity-title">
      <div>
        <h2 id="recent-activity-title" style={{ marginBottom: '0.25rem' }}>
          {t('activity.title')}
        </h2>
        <p className="muted" style={{ margin: 0 }}>
          {t('activity.intro')}
        </p>
      </div>
      {resynced ? <Alert tone="warning">{t('activity.resync')}</Alert> : null}
      {events.length === 0 ? (
        <Empty>{t('activity.empty')}</Empty>
      ) : (
        <ol className="activity" aria-live="polite" data-testid="activity">
          {events.map((event) => (
            <li key={event.id} data-event-type={event.type}>
              <time dateTime={event.occurredAt} className="mono">
                {formatTime(event.occurredAt, undefined, true)}
              </time>
              <strong>{label(event.type)}</strong>
              {detail(event) ? <span className="muted">{detail(event)}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
