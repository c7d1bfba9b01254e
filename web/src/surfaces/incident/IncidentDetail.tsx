import { type ReactNode, useCallback, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import {
  type Incident,
  loadClosureCodes,
  loadIncidentTypes,
  PriorityBadge,
  StatusBadge,
  typePath,
  useTerritoryLabel,
} from '../../features/incidents';
import { formatDateTime, formatDuration, formatNumber, useI18n } from '../../i18n';
import { hasMessage } from '../../i18n/catalog';
import { useLiveEvents } from '../../realtime';
import { ErrorState, Loading, useAsync } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { ActionsBar } from './Actions';
import { AuditTrail } from './AuditTrail';
import { Callers } from './Callers';
import { Evidence } from './Evidence';
import { Notes } from './Notes';
import { Timeline } from './Timeline';
import { Units } from './Units';

const TITLE_ID = 'incident-title';

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <section className="inc-section card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** /incidentes/:id — everything about one incident, refreshed live by its events. */
export function IncidentDetail() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const auth = useAuth();
  const incident = useAsync(
    () => unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })),
    [id, locale],
  );
  const timeline = useAsync(
    () => unwrap(api.GET('/api/v1/incidents/{id}/timeline', { params: { path: { id } } })),
    [id],
  );
  const notes = useAsync(
    () => unwrap(api.GET('/api/v1/incidents/{id}/notes', { params: { path: { id } } })),
    [id],
  );
  const types = useAsync(() => loadIncidentTypes(locale), [locale]);
  const closureCodes = useAsync(() => loadClosureCodes(locale), [locale]);
  // Bumped on every change so the sections with their own data (units, audit) reload too. Evidence
  // listings are audited reads on the server, so they reload only when evidence itself changes.
  const [generation, setGeneration] = useState(0);
  const [evidenceGeneration, setEvidenceGeneration] = useState(0);

  const { reload: reloadIncident } = incident;
  const { reload: reloadTimeline } = timeline;
  const { reload: reloadNotes } = notes;
  const refresh = useCallback(() => {
    reloadIncident();
    reloadTimeline();
    reloadNotes();
    setGeneration((g) => g + 1);
  }, [reloadIncident, reloadTimeline, reloadNotes]);

  useLiveEvents(
    ['incident', 'dispatch'],
    (event) => {
      const payloadId = typeof event.payload.id === 'string' ? event.payload.id : null;
      if (event.entityId !== id && payloadId !== id) return;
      refresh();
      if (/evidence|custody/.test(event.type)) setEvidenceGeneration((g) => g + 1);
    },
    {
      onResync: () => {
        refresh();
        setEvidenceGeneration((g) => g + 1);
      },
      enabled: Boolean(id),
    },
  );

  const data = incident.data;
  usePageTitle(data ? t('incident.title', { folio: data.folio }) : t('incident.nav'));

  if (incident.error && !data) {
    return (
      <div className="stack">
        <h1>{t('incident.nav')}</h1>
        <ErrorState error={incident.error} onRetry={incident.reload} />
        <p>
          <Link to="/incidentes">{t('incident.index.title')}</Link>
        </p>
      </div>
    );
  }
  if (!data) return <Loading />;

  const onActionDone = (updated: Incident) => {
    incident.setData(updated);
    refresh();
    // The button that opened the dialog may be gone (e.g. after closing): keep the focus on the page.
    window.setTimeout(() => {
      if (document.activeElement === document.body) document.getElementById(TITLE_ID)?.focus();
    }, 50);
  };

  return (
    <div className="inc stack">
      <Header
        incident={data}
        typesLabel={typePath(types.data ?? [], data.typeCode)}
        closureName={closureCodes.data?.find((c) => c.code === data.closureCode)?.name ?? null}
      />
      {incident.error ? <ErrorState error={incident.error} onRetry={incident.reload} /> : null}
      <Times incident={data} />
      <Section title={t('incident.actions.title')} testId="incident-actions">
        <ActionsBar
          incident={data}
          types={types.data}
          closureCodes={closureCodes.data}
          onDone={onActionDone}
        />
      </Section>
      <div className="inc__grid">
        <div className="stack">
          <Section title={t('incident.timeline.title')}>
            {timeline.error ? <ErrorState error={timeline.error} onRetry={timeline.reload} /> : null}
            {timeline.data ? <Timeline entries={timeline.data.items} /> : <Loading />}
          </Section>
          <Section title={t('incident.notes.title')} testId="incident-notes">
            {notes.error ? <ErrorState error={notes.error} onRetry={notes.reload} /> : null}
            {notes.data ? (
              <Notes
                incidentId={id}
                notes={notes.data.items}
                canAdd={auth.can('incident.note.add')}
                onAdded={refresh}
              />
            ) : (
              <Loading />
            )}
          </Section>
        </div>
        <div className="stack">
          {auth.can('incident.caller.read') ? (
            <Section title={t('incident.callers.title')} testId="incident-callers">
              <Callers key={id} incidentId={id} />
            </Section>
          ) : null}
          {auth.can('unit.read') ? (
            <Section title={t('incident.units.title')}>
              <Units incidentId={id} generation={generation} />
            </Section>
          ) : null}
          <Section title={t('incident.links.title')}>
            <Links incident={data} />
          </Section>
          {auth.can('evidence.read') ? (
            <Section title={t('incident.evidence.title')}>
              <Evidence incidentId={id} generation={evidenceGeneration} />
            </Section>
          ) : null}
        </div>
      </div>
      {auth.can('audit.read') ? (
        <Section title={t('incident.audit.title')}>
          <AuditTrail incidentId={id} generation={generation} />
        </Section>
      ) : null}
    </div>
  );
}

function Header({
  incident,
  typesLabel,
  closureName,
}: {
  incident: Incident;
  typesLabel: string;
  closureName: string | null;
}) {
  const { t, locale } = useI18n();
  const territory = useTerritoryLabel(
    incident.location.departmentCode,
    incident.location.municipalityPcode,
    incident.location.districtName,
  );
  const channelKey = `incident.channel.${incident.channel}`;
  const { lat, lon, text, flag } = incident.location;
  return (
    <header className="inc__header card">
      <div className="inc__title">
        <h1 id={TITLE_ID} tabIndex={-1}>
          {t('incident.title', { folio: incident.folio })}
        </h1>
        <PriorityBadge priority={incident.priority} long />
        <StatusBadge status={incident.status} name={incident.statusName} />
      </div>
      <p className="inc__type">{typesLabel || incident.typeName || t('incident.untyped')}</p>
      <dl className="inc__facts">
        <div>
          <dt>{t('incident.territory')}</dt>
          <dd>{territory || t('incident.noTerritory')}</dd>
        </div>
        <div>
          <dt>{t('incident.location')}</dt>
          <dd>
            {text ?? '—'}
            {lat !== null && lon !== null ? (
              <span className="muted mono">
                {' '}
                ({formatNumber(lat, locale, 5)}, {formatNumber(lon, locale, 5)})
              </span>
            ) : null}
            {flag ? <div className="inc__flag">{t(`incidents.flag.${flag}`)}</div> : null}
          </dd>
        </div>
        <div>
          <dt>{t('incident.summary')}</dt>
          <dd>{incident.summary}</dd>
        </div>
      </dl>
      <p className="muted inc-small">
        {t('incident.channel', { channel: hasMessage(channelKey) ? t(channelKey) : incident.channel })} ·{' '}
        {t('incident.live')}
      </p>
      {incident.closureCode ? (
        <p>
          {t('incident.closure', {
            code: closureName ? `${incident.closureCode} · ${closureName}` : incident.closureCode,
            summary: incident.closureSummary ?? '',
          })}
        </p>
      ) : null}
    </header>
  );
}

const TIME_ROWS = [
  ['t0', 'callReceivedAt'],
  ['t1', 'callAnsweredAt'],
  ['t2', 'createdAt'],
  ['t3', 'firstAssignedAt'],
  ['t4', 'firstEnRouteAt'],
  ['t5', 'firstOnSceneAt'],
  ['t6', 'clearedAt'],
  ['closed', 'closedAt'],
  ['cancelled', 'cancelledAt'],
] as const;

function Times({ incident }: { incident: Incident }) {
  const { t } = useI18n();
  const times = incident.times;
  const origin = new Date(times.callReceivedAt ?? times.createdAt).getTime();
  return (
    <section className="card" aria-labelledby="inc-times-title">
      <h2 id="inc-times-title">{t('incident.times.title')}</h2>
      <dl className="inc-times" data-testid="incident-times">
        {TIME_ROWS.map(([key, field]) => {
          const value = times[field];
          if ((key === 'closed' || key === 'cancelled') && !value) return null;
          return (
            <div key={key} className={value ? 'inc-times__row' : 'inc-times__row is-pending'}>
              <dt>{t(`incident.times.${key}`)}</dt>
              <dd>
                {value ? (
                  <>
                    <time dateTime={value} className="mono">
                      {formatDateTime(value)}
                    </time>
                    {key !== 't0' ? (
                      <span className="muted">
                        {' '}
                        {t('incident.times.after', {
                          elapsed: formatDuration((new Date(value).getTime() - origin) / 1000),
                        })}
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">{t('incident.times.pending')}</span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

function Links({ incident }: { incident: Incident }) {
  const { t, locale } = useI18n();
  const duplicateOf = incident.duplicateOf;
  const target = useAsync(
    async () =>
      duplicateOf
        ? unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id: duplicateOf } } }))
        : null,
    [duplicateOf],
  );
  if (!duplicateOf && incident.possibleDuplicates.length === 0) {
    return <p className="muted">{t('incident.links.none')}</p>;
  }
  return (
    <div className="stack">
      {duplicateOf ? (
        <p>
          {t('incident.links.duplicateOf')}:{' '}
          <Link to={`/incidentes/${duplicateOf}`} className="mono">
            {target.data?.folio ?? duplicateOf.slice(0, 8)}
          </Link>
        </p>
      ) : null}
      {incident.possibleDuplicates.length > 0 ? (
        <div>
          <h3>{t('incident.links.possible')}</h3>
          <ul className="inc-links">
            {incident.possibleDuplicates.map((d) => (
              <li key={d.id}>
                <Link to={`/incidentes/${d.id}`} className="mono">
                  {d.folio}
                </Link>{' '}
                <span className="muted">
                  {t('incident.links.meta', {
                    distance: t('incidents.distance', { meters: formatNumber(d.distanceM, locale) }),
                    minutes: d.minutesApart,
                    status: hasMessage(`incidents.status.${d.status}`)
                      ? t(`incidents.status.${d.status}`)
                      : d.status,
                  })}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
