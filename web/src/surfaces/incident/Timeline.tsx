import type { TimelineEntry } from '../../features/incidents';
import { formatDateTime, useI18n } from '../../i18n';
import { hasMessage } from '../../i18n/catalog';
import { Empty } from '../../ui';

type T = (key: string, params?: Record<string, string | number>) => string;

function kindLabel(t: T, kind: string): string {
  const key = `incident.kind.${kind}`;
  return hasMessage(key) ? t(key) : kind;
}

function statusLabel(t: T, status: string | null): string {
  if (!status) return '—';
  const key = `incidents.status.${status}`;
  return hasMessage(key) ? t(key) : status;
}

export function actorName(t: T, actor: { type: string; name: string | null }): string {
  if (actor.type === 'system') return t('incident.timeline.system');
  if (actor.type === 'anonymous') return t('incident.timeline.citizen');
  return actor.name ?? actor.type;
}

const str = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : null;

/** The facts worth reading in an entry's data (priority change, unit, closure code…). */
function details(t: T, entry: TimelineEntry): string[] {
  const d = entry.data;
  const out: string[] = [];
  if (entry.kind === 'created' && d.priority != null) {
    out.push(
      t('incident.detail.suggested', {
        priority: String(d.priority),
        suggested: String(d.suggestedPriority ?? '—'),
      }),
    );
  }
  if (entry.kind === 'priority') {
    out.push(t('incident.detail.priority', { from: str(d.from) ?? '—', to: str(d.to) ?? '—' }));
  }
  if (entry.kind === 'reclassified') {
    out.push(t('incident.detail.type', { from: str(d.from) ?? '—', to: str(d.to) ?? '—' }));
  }
  if (str(d.callSign)) out.push(t('incident.detail.unit', { callSign: str(d.callSign)! }));
  if (str(d.closureCode)) out.push(t('incident.detail.closure', { code: str(d.closureCode)! }));
  if (Array.isArray(d.candidates)) out.push(t('incident.detail.candidates', { count: d.candidates.length }));
  if (str(d.intoFolio)) out.push(t('incident.detail.into', { folio: str(d.intoFolio)! }));
  if (str(d.fromFolio)) out.push(t('incident.detail.from', { folio: str(d.fromFolio)! }));
  if (str(d.rating)) out.push(t('incident.detail.rating', { rating: str(d.rating)! }));
  if (str(d.note)) out.push(`«${str(d.note)}»`);
  return out;
}

/** Every step of the incident, oldest first, with who did it and why. */
export function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  const { t } = useI18n();
  if (entries.length === 0) return <Empty>{t('incident.timeline.empty')}</Empty>;
  return (
    <ol className="inc-timeline" data-testid="timeline">
      {entries.map((entry) => {
        const facts = details(t, entry);
        return (
          <li key={entry.id} className="inc-timeline__item" data-kind={entry.kind}>
            <time dateTime={entry.at} className="inc-timeline__time mono">
              {formatDateTime(entry.at)}
            </time>
            <div>
              <strong>{kindLabel(t, entry.kind)}</strong>
              {entry.toStatus ? (
                <span>
                  {' '}
                  {entry.fromStatus ? `${statusLabel(t, entry.fromStatus)} → ` : '→ '}
                  {statusLabel(t, entry.toStatus)}
                </span>
              ) : null}{' '}
              <span className="muted">{t('incident.timeline.by', { actor: actorName(t, entry.actor) })}</span>
              {facts.length > 0 ? <div>{facts.join(' · ')}</div> : null}
              {entry.reason ? (
                <div className="inc-timeline__reason">
                  {t('incident.timeline.reason', { reason: entry.reason })}
                </div>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
