import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, unwrap } from '../../api';
import { PriorityBadge, TimerBadge } from '../../features/dispatch/badges';
import type { DispatchStore } from '../../features/dispatch/live-store';
import { responseTimer, type TargetsByPriority } from '../../features/dispatch/timers';
import type { Assignment, Incident, Recommendation } from '../../features/dispatch/types';
import { formatDateTime, formatDuration, formatNumber, formatTime, useI18n } from '../../i18n';
import {
  Alert,
  Button,
  Dialog,
  ErrorState,
  Loading,
  Select,
  TextArea,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';

export interface Abilities {
  assign: boolean;
  release: boolean;
  recommend: boolean;
  progress: boolean;
}

type ProgressAction = 'acknowledge' | 'en_route' | 'on_scene' | 'clear';

/** The progress a unit can still report on an assignment (the server's unit state machine). */
function nextActions(a: Assignment): ProgressAction[] {
  if (a.releasedAt || a.clearedAt) return [];
  if (a.onSceneAt) return ['clear'];
  if (a.enRouteAt) return ['on_scene'];
  return [...(a.acknowledgedAt ? [] : (['acknowledge'] as const)), 'en_route', 'on_scene'];
}

export interface IncidentPanelProps {
  incident: Incident;
  store: DispatchStore;
  /** Bumped when the store changes (units availability for the "other unit" list). */
  storeVersion: number;
  targets: TargetsByPriority;
  now: number;
  can: Abilities;
  /** Set by the "A" shortcut: confirm the top recommendation, then call onAssignTopHandled. */
  assignTopPending: boolean;
  onAssignTopHandled: () => void;
  /** Bumped by live dispatch events of this incident: reload its assignments. */
  assignmentsVersion: number;
}

export function IncidentPanel({
  incident,
  store,
  storeVersion,
  targets,
  now,
  can,
  assignTopPending,
  onAssignTopHandled,
  assignmentsVersion,
}: IncidentPanelProps) {
  const { t } = useI18n();
  const toast = useToast();
  const timer = responseTimer(incident, targets, now);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store mutates in place; its version says when
  const availableUnits = useMemo(
    () =>
      [...store.units.values()]
        .filter((u) => u.status === 'available')
        .sort((a, b) => a.callSign.localeCompare(b.callSign)),
    [store, storeVersion],
  );
  const availableKey = availableUnits.length;

  const recommendations = useAsync(
    () =>
      can.recommend
        ? unwrap(
            api.GET('/api/v1/incidents/{id}/recommendations', { params: { path: { id: incident.id } } }),
          ).then((r) => r.items)
        : Promise.resolve<Recommendation[]>([]),
    [incident.id, incident.version, availableKey, can.recommend],
  );
  const assignments = useAsync(
    () =>
      unwrap(api.GET('/api/v1/incidents/{id}/assignments', { params: { path: { id: incident.id } } })).then(
        (r) => r.items,
      ),
    [incident.id, incident.version, assignmentsVersion],
  );

  // Recommendations whose unit was taken meanwhile are dropped at once (the list reloads after).
  const recs = (recommendations.data ?? []).filter((r) => {
    const unit = store.units.get(r.unitId);
    return !unit || unit.status === 'available';
  });
  const top = recs[0] ?? null;

  const assign = useAction(async (unitId: string, options: { recommended: boolean; reason?: string }) => {
    const created = await unwrap(
      api.POST('/api/v1/incidents/{id}/assignments', {
        params: { path: { id: incident.id } },
        body: {
          unitId,
          ...(options.recommended ? { recommended: true } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
        },
      }),
    );
    const callSign =
      store.units.get(unitId)?.callSign ?? recs.find((r) => r.unitId === unitId)?.callSign ?? '';
    toast.show(t('dispatch.assign.done', { unit: callSign, folio: incident.folio }), 'success');
    // Live events update the board; re-read now too so it is right even if the stream lags.
    store.refetchIncident(incident.id);
    store.refetchUnit(unitId);
    assignments.reload();
    return created;
  });

  // "A": confirm the top recommendation (once the recommendations are there).
  const [confirmTop, setConfirmTop] = useState<Recommendation | null>(null);
  useEffect(() => {
    if (!assignTopPending || recommendations.loading) return;
    onAssignTopHandled();
    if (!can.assign) return;
    if (top) setConfirmTop(top);
    else toast.show(t('dispatch.recommendations.noneToAssign'), 'warning');
  }, [assignTopPending, onAssignTopHandled, recommendations.loading, top, can.assign, toast, t]);

  const location = [incident.location.text, incident.location.districtName].filter(Boolean).join(' · ');
  const active = (assignments.data ?? []).filter((a) => !a.releasedAt && !a.clearedAt);
  const past = (assignments.data ?? []).filter((a) => a.releasedAt || a.clearedAt);

  return (
    <article className="dx-panel" aria-labelledby="dx-panel-title" data-testid="incident-panel">
      <header className="dx-panel__header">
        <h2 id="dx-panel-title">
          <PriorityBadge priority={incident.priority} /> <span className="mono">{incident.folio}</span>
        </h2>
        <TimerBadge timer={timer} />
      </header>
      <dl className="dx-facts">
        <div>
          <dt>{t('dispatch.incident.type')}</dt>
          <dd>{incident.typeName ?? t('dispatch.incident.unclassified')}</dd>
        </div>
        <div>
          <dt>{t('dispatch.incident.status')}</dt>
          <dd>{incident.statusName}</dd>
        </div>
        <div>
          <dt>{t('dispatch.incident.location')}</dt>
          <dd>{location || t('dispatch.incident.noLocation')}</dd>
        </div>
        <div>
          <dt>{t('dispatch.incident.created')}</dt>
          <dd>{formatDateTime(incident.times.createdAt)}</dd>
        </div>
        <div className="dx-facts__wide">
          <dt>{t('dispatch.incident.summary')}</dt>
          <dd>{incident.summary}</dd>
        </div>
      </dl>

      <section aria-labelledby="dx-recs-title" className="dx-section">
        <h3 id="dx-recs-title">{t('dispatch.recommendations.title')}</h3>
        {!can.recommend ? (
          <p className="muted">{t('dispatch.readOnly.recommendations')}</p>
        ) : recommendations.error ? (
          <ErrorState error={recommendations.error} onRetry={recommendations.reload} />
        ) : recommendations.loading && !recommendations.data ? (
          <Loading />
        ) : recs.length === 0 ? (
          <p className="muted">{t('dispatch.recommendations.none')}</p>
        ) : (
          <ol className="dx-recs">
            {recs.map((r, index) => (
              <li key={r.unitId} className="dx-recs__item" data-testid="recommendation">
                <div className="dx-recs__head">
                  <strong>{r.callSign}</strong>
                  <span>
                    {t('dispatch.recommendations.eta', {
                      eta: formatDuration(r.etaSeconds),
                      distance: formatNumber(r.distanceM / 1000, undefined, 1),
                    })}
                  </span>
                  {index === 0 ? (
                    <span className="dx-badge dx-badge--info">{t('dispatch.recommendations.best')}</span>
                  ) : null}
                  {r.stalePosition ? (
                    <span className="dx-badge dx-badge--warn">{t('dispatch.recommendations.stale')}</span>
                  ) : null}
                </div>
                <ul className="dx-recs__reasons">
                  {r.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
                {can.assign ? (
                  <Button
                    variant={index === 0 ? 'primary' : 'secondary'}
                    busy={assign.busy}
                    onClick={() => void assign.run(r.unitId, { recommended: true })}
                    aria-label={t('dispatch.assign.unitTo', { unit: r.callSign, folio: incident.folio })}
                  >
                    {t('dispatch.assign.button')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {assign.error ? <ErrorState error={assign.error} /> : null}
      </section>

      {can.assign ? (
        <OtherUnitForm
          key={incident.id}
          units={availableUnits.map((u) => ({
            value: u.id,
            label: `${u.callSign} · ${t(`dispatchx.unitKind.${u.kind}`)}`,
          }))}
          busy={assign.busy}
          onAssign={(unitId, reason) => assign.run(unitId, { recommended: false, reason })}
        />
      ) : null}

      <section aria-labelledby="dx-assignments-title" className="dx-section">
        <h3 id="dx-assignments-title">{t('dispatch.assignments.title')}</h3>
        {assignments.error ? (
          <ErrorState error={assignments.error} onRetry={assignments.reload} />
        ) : assignments.loading && !assignments.data ? (
          <Loading />
        ) : active.length === 0 ? (
          <p className="muted">{t('dispatch.assignments.none')}</p>
        ) : (
          <ul className="dx-assignments">
            {active.map((a) => (
              <AssignmentRow
                key={a.id}
                assignment={a}
                callSign={store.units.get(a.unitId)?.callSign ?? a.unitId.slice(0, 8)}
                folio={incident.folio}
                can={can}
                onChanged={() => {
                  assignments.reload();
                  store.refetchIncident(incident.id);
                  store.refetchUnit(a.unitId);
                }}
              />
            ))}
          </ul>
        )}
        {past.length > 0 ? (
          <details className="dx-history">
            <summary>{t('dispatch.assignments.history', { count: past.length })}</summary>
            <ul>
              {past.map((a) => (
                <li key={a.id}>
                  {store.units.get(a.unitId)?.callSign ?? a.unitId.slice(0, 8)}:{' '}
                  {a.releasedAt
                    ? t('dispatch.assignments.released', {
                        time: formatTime(a.releasedAt),
                        reason: a.releaseReason ?? '',
                      })
                    : t('dispatch.assignments.cleared', { time: formatTime(a.clearedAt ?? a.assignedAt) })}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <Dialog
        open={confirmTop !== null}
        title={t('dispatch.assign.confirmTitle')}
        onClose={() => setConfirmTop(null)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmTop(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              busy={assign.busy}
              autoFocus
              onClick={async () => {
                if (!confirmTop) return;
                const done = await assign.run(confirmTop.unitId, { recommended: true });
                if (done) setConfirmTop(null);
              }}
            >
              {t('dispatch.assign.confirm')}
            </Button>
          </>
        }
      >
        {confirmTop ? (
          <div className="stack">
            <p>
              {t('dispatch.assign.confirmText', {
                unit: confirmTop.callSign,
                folio: incident.folio,
                eta: formatDuration(confirmTop.etaSeconds),
              })}
            </p>
            {assign.error ? <ErrorState error={assign.error} /> : null}
          </div>
        ) : null}
      </Dialog>
    </article>
  );
}

function OtherUnitForm({
  units,
  busy,
  onAssign,
}: {
  units: { value: string; label: string }[];
  busy: boolean;
  onAssign: (unitId: string, reason: string | undefined) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [unitId, setUnitId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!unitId) {
      setError(t('dispatch.other.pick'));
      return;
    }
    setError(null);
    const done = await onAssign(unitId, reason.trim() || undefined);
    if (done) {
      setUnitId('');
      setReason('');
    }
  };
  return (
    <section aria-labelledby="dx-other-title" className="dx-section">
      <details>
        <summary id="dx-other-title">{t('dispatch.other.title')}</summary>
        <form className="stack dx-other" onSubmit={submit} noValidate>
          <Select
            label={t('dispatch.other.unit')}
            name="unitId"
            value={unitId}
            onChange={(e) => setUnitId(e.target.value)}
            options={units}
            placeholder={units.length ? t('dispatch.other.placeholder') : t('dispatch.other.noUnits')}
            error={error}
          />
          <TextField
            label={t('dispatch.other.reason')}
            hint={t('dispatch.other.reasonHint')}
            name="reason"
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
          />
          <div>
            <Button type="submit" variant="secondary" busy={busy}>
              {t('dispatch.other.submit')}
            </Button>
          </div>
        </form>
      </details>
    </section>
  );
}

function AssignmentRow({
  assignment,
  callSign,
  folio,
  can,
  onChanged,
}: {
  assignment: Assignment;
  callSign: string;
  folio: string;
  can: Abilities;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const progress = useAction(async (action: ProgressAction) => {
    await unwrap(
      api.POST('/api/v1/assignments/{assignmentId}/status', {
        params: { path: { assignmentId: assignment.id } },
        body: { action },
      }),
    );
    toast.show(t(`dispatch.progress.done.${action}`, { unit: callSign }), 'success');
    onChanged();
  });
  const release = useAction(async (text: string) => {
    await unwrap(
      api.POST('/api/v1/assignments/{assignmentId}/release', {
        params: { path: { assignmentId: assignment.id } },
        body: { reason: text },
      }),
    );
    toast.show(t('dispatch.release.done', { unit: callSign, folio }), 'success');
    onChanged();
    return true;
  });
  const stage = assignment.onSceneAt
    ? t('dispatch.assignments.onScene', { time: formatTime(assignment.onSceneAt) })
    : assignment.enRouteAt
      ? t('dispatch.assignments.enRoute', { time: formatTime(assignment.enRouteAt) })
      : assignment.acknowledgedAt
        ? t('dispatch.assignments.acknowledged', { time: formatTime(assignment.acknowledgedAt) })
        : t('dispatch.assignments.assigned', { time: formatTime(assignment.assignedAt) });

  const submitRelease = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setReasonError(t('dispatch.release.reasonRequired'));
      return;
    }
    setReasonError(null);
    if (await release.run(reason.trim())) {
      setReleasing(false);
      setReason('');
    }
  };

  return (
    <li className="dx-assignments__item" data-testid="assignment">
      <div>
        <strong>{callSign}</strong> <span className="muted">{stage}</span>
      </div>
      <div className="row">
        {can.progress
          ? nextActions(assignment).map((action) => (
              <Button
                key={action}
                variant="secondary"
                busy={progress.busy}
                onClick={() => void progress.run(action)}
                aria-label={t(`dispatch.progress.aria.${action}`, { unit: callSign })}
              >
                {t(`dispatch.progress.${action}`)}
              </Button>
            ))
          : null}
        {can.release ? (
          <Button
            variant="danger"
            onClick={() => setReleasing(true)}
            aria-label={t('dispatch.release.aria', { unit: callSign })}
          >
            {t('dispatch.release.button')}
          </Button>
        ) : null}
      </div>
      {progress.error ? <ErrorState error={progress.error} /> : null}
      <Dialog
        open={releasing}
        title={t('dispatch.release.title', { unit: callSign, folio })}
        onClose={() => {
          setReleasing(false);
          setReasonError(null);
          release.clearError();
        }}
      >
        <form className="stack" onSubmit={submitRelease} noValidate>
          <Alert tone="warning">{t('dispatch.release.explain')}</Alert>
          <TextArea
            label={t('dispatch.release.reason')}
            name="releaseReason"
            required
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
            error={reasonError ?? release.error?.fieldErrors().reason ?? null}
          />
          {release.error && !release.error.fieldErrors().reason ? <ErrorState error={release.error} /> : null}
          <div className="row" style={{ justifyContent: 'flex-end' }}>
            <Button variant="secondary" onClick={() => setReleasing(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="danger" busy={release.busy}>
              {t('dispatch.release.submit')}
            </Button>
          </div>
        </form>
      </Dialog>
    </li>
  );
}
