import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { formatDuration, formatTime, useI18n } from '../../i18n';
import { Alert, Button, Dialog, Empty, ErrorState, Loading, TextArea, useToast } from '../../ui';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { useField } from './FieldContext';
import type { StatusAction } from './outbox';
import { canDo, type FieldAssignment, type FieldIncident, isDone, type Progress } from './progress';

function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function DutySwitch() {
  const { t } = useI18n();
  const { onDuty, setOnDuty, state } = useField().duty;
  const id = useId();
  const hintId = `${id}-hint`;
  let hint: string;
  switch (state.kind) {
    case 'off':
      hint = t('field.duty.off');
      break;
    case 'waiting':
      hint = t('field.duty.waiting');
      break;
    case 'tracking':
      hint = t('field.duty.tracking', {
        time: formatTime(state.last.recordedAt, undefined, true),
        accuracy: state.last.accuracyM !== null ? Math.round(state.last.accuracyM) : '?',
      });
      break;
    case 'denied':
      hint = t('field.duty.denied');
      break;
    case 'unavailable':
      hint = t('field.duty.unavailable');
      break;
  }
  return (
    <section className="card field-duty" aria-labelledby={`${id}-title`}>
      <div className="field-duty__row">
        <h2 id={`${id}-title`} className="visually-hidden">
          {t('field.duty.title')}
        </h2>
        <label htmlFor={id} className="field-duty__label">
          {t('field.duty.label')}
        </label>
        <input
          id={id}
          type="checkbox"
          role="switch"
          aria-checked={onDuty}
          className="field-switch"
          checked={onDuty}
          aria-describedby={hintId}
          onChange={(event) => setOnDuty(event.target.checked)}
        />
      </div>
      <p id={hintId} className={state.kind === 'denied' ? 'field__error' : 'muted'} aria-live="polite">
        {hint}
      </p>
    </section>
  );
}

const PRIORITY_CLASS: Record<number, string> = { 1: 'p1', 2: 'p2', 3: 'p3', 4: 'p4' };

function IncidentCard({
  incident,
  assignment,
  navigationUrl,
}: {
  incident: FieldIncident;
  assignment: FieldAssignment;
  navigationUrl: string | null;
}) {
  const { t } = useI18n();
  const now = useNow();
  const elapsed = (now - new Date(assignment.assignedAt).getTime()) / 1000;
  const place = [incident.location.text, incident.location.districtName].filter(Boolean).join(' · ');
  return (
    <section className="card field-incident" aria-labelledby="field-incident-title">
      <div className="field-incident__top">
        <h2 id="field-incident-title" className="field-incident__folio">
          {t('field.assignment.title', { folio: incident.folio })}
        </h2>
        {incident.priority !== null ? (
          <span className={`field-priority field-priority--${PRIORITY_CLASS[incident.priority] ?? 'p4'}`}>
            {t('field.priority', { priority: incident.priority })}
          </span>
        ) : null}
      </div>
      <dl className="field-facts">
        <div>
          <dt>{t('field.assignment.type')}</dt>
          <dd>{incident.typeName ?? t('field.assignment.unclassified')}</dd>
        </div>
        <div>
          <dt>{t('field.assignment.summary')}</dt>
          <dd>{incident.summary || '—'}</dd>
        </div>
        <div>
          <dt>{t('field.assignment.address')}</dt>
          <dd>{place || t('field.assignment.noAddress')}</dd>
        </div>
        <div>
          <dt>{t('field.assignment.elapsed')}</dt>
          <dd>
            <span className="field-timer" role="timer" aria-live="off">
              {formatDuration(elapsed)}
            </span>{' '}
            <span className="muted">
              {t('field.assignment.assignedAt', { time: formatTime(assignment.assignedAt) })}
            </span>
          </dd>
        </div>
      </dl>
      {navigationUrl ? (
        <a
          className="btn btn--secondary btn--large btn--block"
          href={navigationUrl}
          target="_blank"
          rel="noopener noreferrer"
        >
          {t('field.assignment.navigate')}
          <span className="visually-hidden"> {t('field.newWindow')}</span>
        </a>
      ) : null}
    </section>
  );
}

const ACTION_KEYS: Record<StatusAction, string> = {
  acknowledge: 'field.action.acknowledge',
  'en-route': 'field.action.enRoute',
  'on-scene': 'field.action.onScene',
  clear: 'field.action.clear',
};

function StatusButton({
  action,
  progress,
  onPress,
}: {
  action: StatusAction;
  progress: Progress;
  onPress: (action: StatusAction) => void;
}) {
  const { t } = useI18n();
  const done = isDone(action, progress);
  const pending = progress.pending.has(action);
  const failed = progress.failed.has(action);
  const enabled = canDo(action, progress);
  const state = pending
    ? t('field.action.pending')
    : done
      ? t('field.action.done')
      : failed
        ? t('field.action.failed')
        : '';
  return (
    <button
      type="button"
      className={`field-status field-status--${action}${done ? ' is-done' : ''}`}
      disabled={!enabled}
      onClick={() => onPress(action)}
    >
      <span className="field-status__label">{t(ACTION_KEYS[action])}</span>
      {state ? <span className="field-status__state">{state}</span> : null}
    </button>
  );
}

function BackupDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { backup } = useField();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setError(t('field.backup.reasonShort'));
      return;
    }
    await backup(reason.trim(), urgent);
    toast.show(t('field.toast.queued'), 'info');
    setReason('');
    setUrgent(false);
    setError(null);
    onClose();
  };
  return (
    <Dialog open={open} title={t('field.backup.title')} onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <TextArea
          label={t('field.backup.reason')}
          name="reason"
          required
          value={reason}
          maxLength={1000}
          error={error}
          onChange={(event) => setReason(event.target.value)}
        />
        <label className="field-check">
          <input type="checkbox" checked={urgent} onChange={(event) => setUrgent(event.target.checked)} />
          {t('field.backup.urgent')}
        </label>
        <div className="row">
          <Button type="submit" variant="danger" size="large">
            {t('field.backup.submit')}
          </Button>
          <Button variant="secondary" size="large" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ClearDialog({
  open,
  onClose,
  onConfirm,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      title={t('field.clear.title')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" size="large" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button size="large" onClick={onConfirm}>
            {t('field.clear.confirm')}
          </Button>
        </>
      }
    >
      <p>{t('field.clear.text')}</p>
    </Dialog>
  );
}

export function AssignmentScreen() {
  const { t } = useI18n();
  const toast = useToast();
  const field = useField();
  const { me, progress, online } = field;
  const [backupOpen, setBackupOpen] = useState(false);
  const [clearOpen, setClearOpen] = useState(false);
  usePageTitle(t('field.title'));

  if (me.loading && !me.data) return <Loading />;
  if (!me.data) return <ErrorState error={me.error} onRetry={me.reload} />;
  const { unit, assignment, incident, navigationUrl } = me.data;

  const press = async (action: StatusAction) => {
    if (action === 'clear') {
      setClearOpen(true);
      return;
    }
    await field.status(action);
    if (!navigator.onLine) toast.show(t('field.toast.queued'), 'info');
  };
  const confirmClear = async () => {
    setClearOpen(false);
    await field.status('clear');
    if (!navigator.onLine) toast.show(t('field.toast.queued'), 'info');
  };

  return (
    <div className="stack field-screen">
      <h1 className="visually-hidden">{t('field.title')}</h1>
      {me.error ? (
        <Alert tone="warning">
          {online ? t('field.staleError', { message: me.error.message }) : t('field.staleOffline')}
        </Alert>
      ) : null}
      {!unit ? (
        <Empty>{t('field.noUnit')}</Empty>
      ) : (
        <>
          <DutySwitch />
          {!assignment || !incident || !progress ? (
            <section className="card" aria-labelledby="field-idle-title">
              <h2 id="field-idle-title">{t('field.idle.title')}</h2>
              <p>{t('field.idle.text', { status: t(`field.unitStatus.${unit.status}`) })}</p>
              {field.incident ? (
                <Link className="btn btn--secondary btn--large btn--block" to="/campo/informe">
                  {t('field.idle.lastReport', { folio: field.incident.folio })}
                </Link>
              ) : null}
            </section>
          ) : (
            <>
              <IncidentCard incident={incident} assignment={assignment} navigationUrl={navigationUrl} />
              <section className="field-actions" aria-labelledby="field-actions-title">
                <h2 id="field-actions-title" className="visually-hidden">
                  {t('field.actions.title')}
                </h2>
                <p className="muted field-actions__status" aria-live="polite">
                  {t('field.actions.unitStatus', { status: t(`field.unitStatus.${progress.unitStatus}`) })}
                </p>
                <StatusButton action="acknowledge" progress={progress} onPress={press} />
                <StatusButton action="en-route" progress={progress} onPress={press} />
                <StatusButton action="on-scene" progress={progress} onPress={press} />
                <button
                  type="button"
                  className="field-status field-status--backup"
                  disabled={!canDo('backup', progress)}
                  onClick={() => setBackupOpen(true)}
                >
                  <span className="field-status__label">{t('field.action.backup')}</span>
                </button>
                <StatusButton action="clear" progress={progress} onPress={press} />
              </section>
              <section className="field-tools" aria-label={t('field.tools.title')}>
                <Link className="btn btn--primary btn--large btn--block" to="/campo/informe">
                  {t('field.tools.report')}
                </Link>
                <Link className="btn btn--primary btn--large btn--block" to="/campo/foto">
                  {t('field.tools.photo')}
                </Link>
              </section>
              <BackupDialog open={backupOpen} onClose={() => setBackupOpen(false)} />
              <ClearDialog open={clearOpen} onClose={() => setClearOpen(false)} onConfirm={confirmClear} />
            </>
          )}
        </>
      )}
    </div>
  );
}
