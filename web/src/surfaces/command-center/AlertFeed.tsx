import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { PriorityBadge } from '../../features/dispatch/badges';
import type { MachineAlert } from '../../features/dispatch/types';
import { formatTime, useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { ErrorState, Loading, useAsync } from '../../ui';

const SHOWN = 25;
export const VIDEO_ALERT_READ = 'video.alert.read';

function isAlert(payload: Record<string, unknown>): payload is MachineAlert & Record<string, unknown> {
  return (
    typeof payload.id === 'string' && typeof payload.source === 'string' && typeof payload.title === 'string'
  );
}

/** Video-analytics and ALPR alerts, newest first: loaded once, then live (topic alerts). */
export function AlertFeed() {
  const { t } = useI18n();
  const auth = useAuth();
  const enabled = auth.can(VIDEO_ALERT_READ);
  const list = useAsync(
    () =>
      enabled
        ? unwrap(api.GET('/api/v1/video/alerts', { params: { query: { limit: SHOWN } } })).then(
            (r) => r.items,
          )
        : Promise.resolve<MachineAlert[]>([]),
    [enabled],
  );
  useLiveEvents(
    ['alerts'],
    (event) => {
      if (event.type !== 'alert.raised' && event.type !== 'alert.updated') return;
      if (!isAlert(event.payload)) return;
      const alert = event.payload as MachineAlert;
      list.setData((previous) => {
        const others = (previous ?? []).filter((a) => a.id !== alert.id);
        return event.type === 'alert.raised' || others.length === (previous ?? []).length
          ? [alert, ...others].slice(0, SHOWN)
          : (previous ?? []).map((a) => (a.id === alert.id ? alert : a));
      });
    },
    { enabled, onResync: list.reload },
  );
  if (!enabled) return null;
  const items = list.data ?? [];
  return (
    <section className="cc-panel cc-alerts" aria-labelledby="cc-alerts-title">
      <h2 id="cc-alerts-title">{t('cc.alerts.title')}</h2>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading && !list.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="cc-note">{t('cc.alerts.none')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container must be reachable by keyboard
        <ul className="cc-alerts__list" aria-live="polite" aria-label={t('cc.alerts.title')} tabIndex={0}>
          {items.map((a) => (
            <li key={a.id} className="cc-alerts__item">
              <div className="cc-alerts__head">
                <span className={`cc-source cc-source--${a.source === 'alpr' ? 'alpr' : 'video'}`}>
                  {t(a.source === 'alpr' ? 'cc.alerts.alpr' : 'cc.alerts.video')}
                </span>
                {a.priority !== null ? <PriorityBadge priority={a.priority} /> : null}
                <time dateTime={a.occurredAt}>{formatTime(a.occurredAt, undefined, true)}</time>
              </div>
              <div className="cc-alerts__title">{a.title}</div>
              <div className="cc-alerts__meta">
                {[
                  a.cameraName,
                  a.plate ? t('cc.alerts.plate', { plate: a.plate }) : null,
                  a.incidentId ? t('cc.alerts.withIncident') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
