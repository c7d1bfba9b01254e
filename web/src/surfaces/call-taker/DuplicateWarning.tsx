import { type NearbyIncident, PriorityBadge } from '../../features/incidents';
import { formatNumber, useI18n } from '../../i18n';
import { Button } from '../../ui';

/**
 * Open incidents of the same family near the marked point: the call-taker may add this call to one of
 * them instead of creating a duplicate.
 */
export function DuplicateWarning({
  items,
  checking,
  onAttach,
  attachingId,
}: {
  items: readonly NearbyIncident[];
  checking: boolean;
  onAttach: (incident: NearbyIncident) => void;
  attachingId: string | null;
}) {
  const { t, locale } = useI18n();
  if (items.length === 0) {
    return (
      <p className="ct-dup-status muted" role="status">
        {checking ? t('callTaker.dup.checking') : t('callTaker.dup.none')}
      </p>
    );
  }
  return (
    <section
      className="ct-dup alert alert--warning"
      aria-labelledby="ct-dup-title"
      data-testid="duplicate-warning"
    >
      <h2 id="ct-dup-title">{t('callTaker.dup.title')}</h2>
      <p>
        {items.length === 1 ? t('callTaker.dup.introOne') : t('callTaker.dup.intro', { count: items.length })}
      </p>
      <ul className="ct-dup__list" aria-label={t('callTaker.dup.caption')}>
        {items.map((incident) => (
          <li key={incident.id} className="ct-dup__item">
            <div>
              <strong className="mono">{incident.folio}</strong>{' '}
              <PriorityBadge priority={incident.priority} />{' '}
              <span>{incident.typeName ?? incident.typeCode}</span>
              <div className="muted">
                {t('callTaker.dup.meta', {
                  distance: t('incidents.distance', { meters: formatNumber(incident.distanceM, locale) }),
                  ago: t('incidents.minutesAgo', { minutes: incident.minutesAgo }),
                  status: incident.statusName,
                })}
              </div>
              <div>
                {incident.locationText ? `${incident.locationText} — ` : ''}
                {incident.summary}
              </div>
            </div>
            <Button
              variant="secondary"
              busy={attachingId === incident.id}
              disabled={attachingId !== null && attachingId !== incident.id}
              aria-label={t('callTaker.dup.attachLabel', { folio: incident.folio })}
              onClick={() => onAttach(incident)}
            >
              {t('callTaker.dup.attach')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
