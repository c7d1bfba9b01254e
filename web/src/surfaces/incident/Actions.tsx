import { type FormEvent, useMemo, useRef, useState } from 'react';
import { api, toApiError, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import {
  type Answers,
  type ClosureCode,
  familyOf,
  GuidedQuestions,
  type Incident,
  type IncidentType,
  newIdempotencyKey,
  PRIORITIES,
  PriorityBadge,
  suggestPriority,
  TypePicker,
} from '../../features/incidents';
import { useI18n } from '../../i18n';
import { Button, Dialog, ErrorState, Select, TextArea, useAction, useAsync, useToast } from '../../ui';

export type ActionKind = 'classify' | 'priority' | 'cancel' | 'close' | 'reopen' | 'merge';

const OPEN = ['received', 'classified', 'dispatched', 'en_route', 'on_scene'];

/** The actions this user may take now: the incident's allowedActions crossed with their permissions. */
export function availableActions(incident: Incident, can: (permission: string) => boolean): ActionKind[] {
  const allowed = new Set(incident.allowedActions);
  const out: ActionKind[] = [];
  if (can('incident.classify') && (incident.status === 'received' || incident.status === 'classified')) {
    out.push('classify');
  }
  if (can('incident.priority.change') && OPEN.includes(incident.status)) out.push('priority');
  if (can('incident.close') && allowed.has('close')) out.push('close');
  if (can('incident.cancel') && allowed.has('cancel')) out.push('cancel');
  if (can('incident.reopen') && allowed.has('reopen')) out.push('reopen');
  if (can('incident.merge') && allowed.has('mark_duplicate')) out.push('merge');
  return out;
}

/** Buttons for the available actions; each opens a dialog asking for what the server requires. */
export function ActionsBar({
  incident,
  types,
  closureCodes,
  onDone,
}: {
  incident: Incident;
  types: readonly IncidentType[] | undefined;
  closureCodes: readonly ClosureCode[] | undefined;
  onDone: (updated: Incident) => void;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const [open, setOpen] = useState<ActionKind | null>(null);
  const actions = availableActions(incident, auth.can);
  const label = (kind: ActionKind) =>
    kind === 'classify' && incident.status === 'classified'
      ? t('incident.action.reclassify')
      : t(`incident.action.${kind}`);

  return (
    <>
      {actions.length === 0 ? (
        <p className="muted">{t('incident.actions.none')}</p>
      ) : (
        <div className="row">
          {actions.map((kind) => (
            <Button
              key={kind}
              variant={kind === 'cancel' ? 'danger' : kind === 'close' ? 'primary' : 'secondary'}
              onClick={() => setOpen(kind)}
            >
              {label(kind)}
            </Button>
          ))}
        </div>
      )}
      <Dialog open={open !== null} title={open ? label(open) : ''} onClose={() => setOpen(null)}>
        {open ? (
          <ActionForm
            key={open}
            kind={open}
            incident={incident}
            types={types}
            closureCodes={closureCodes}
            submitLabel={label(open)}
            onCancel={() => setOpen(null)}
            onDone={(updated) => {
              setOpen(null);
              onDone(updated);
            }}
          />
        ) : null}
      </Dialog>
    </>
  );
}

function ActionForm({
  kind,
  incident,
  types,
  closureCodes,
  submitLabel,
  onCancel,
  onDone,
}: {
  kind: ActionKind;
  submitLabel: string;
  onCancel: () => void;
  incident: Incident;
  types: readonly IncidentType[] | undefined;
  closureCodes: readonly ClosureCode[] | undefined;
  onDone: (updated: Incident) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const key = useRef(newIdempotencyKey(kind));
  const [reason, setReason] = useState('');
  const [priority, setPriority] = useState<string>('');
  const [closureCode, setClosureCode] = useState('');
  const [summary, setSummary] = useState('');
  const [target, setTarget] = useState('');
  const [typeCode, setTypeCode] = useState<string | null>(incident.typeCode);
  const [answers, setAnswers] = useState<Answers>(incident.answers);
  const [classifyPriority, setClassifyPriority] = useState<number | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const type = types?.find((candidate) => candidate.code === typeCode) ?? null;
  const suggested = type ? suggestPriority(type, answers) : null;
  const chosenPriority = classifyPriority ?? suggested;

  const family = incident.family;
  const candidates = useAsync(async () => {
    if (kind !== 'merge') return [];
    const answer = await unwrap(
      api.GET('/api/v1/incidents', {
        params: { query: { status: 'open', limit: 200, ...(family ? { type: family } : {}) } },
      }),
    );
    return answer.items.filter((i) => i.id !== incident.id);
  }, [kind, incident.id, family]);
  const mergeOptions = useMemo(() => {
    const flagged = new Set(incident.possibleDuplicates.map((d) => d.id));
    return [...(candidates.data ?? [])]
      .sort((a, b) => Number(flagged.has(b.id)) - Number(flagged.has(a.id)))
      .map((i) => ({ value: i.id, label: `${i.folio} · ${i.typeName ?? '—'} · ${i.summary.slice(0, 60)}` }));
  }, [candidates.data, incident.possibleDuplicates]);

  const post = async (path: string, body: object): Promise<Incident> => {
    try {
      const answer = await unwrap(
        // biome-ignore lint/suspicious/noExplicitAny: the six action routes share one shape (id → Incident)
        (api.POST as any)(path, {
          params: { path: { id: incident.id } },
          body,
          headers: { 'Idempotency-Key': key.current },
        }),
      );
      return answer as Incident;
    } catch (error) {
      const status = toApiError(error).status;
      if (status >= 400 && status < 500) key.current = newIdempotencyKey(kind);
      throw error;
    }
  };

  const run = useAction(async (): Promise<Incident> => {
    switch (kind) {
      case 'priority':
        return post('/api/v1/incidents/{id}/priority', { priority: Number(priority), reason: reason.trim() });
      case 'cancel':
        return post('/api/v1/incidents/{id}/cancel', { reason: reason.trim() });
      case 'reopen':
        return post('/api/v1/incidents/{id}/reopen', { reason: reason.trim() });
      case 'close':
        return post('/api/v1/incidents/{id}/close', { closureCode, summary: summary.trim() });
      case 'merge':
        return post('/api/v1/incidents/{id}/merge', { intoIncidentId: target, reason: reason.trim() });
      case 'classify': {
        const known = new Set(type?.questions.map((q) => q.code) ?? []);
        const kept = Object.fromEntries(Object.entries(answers).filter(([code]) => known.has(code)));
        const override = chosenPriority !== null && chosenPriority !== suggested;
        return post('/api/v1/incidents/{id}/classify', {
          typeCode,
          answers: kept,
          ...(override ? { priority: chosenPriority } : {}),
          ...(reason.trim() ? { priorityReason: reason.trim() } : {}),
        });
      }
    }
  });

  const validate = (): Record<string, string> => {
    const found: Record<string, string> = {};
    const needsReason = kind === 'priority' || kind === 'cancel' || kind === 'reopen' || kind === 'merge';
    if (needsReason && reason.trim().length < 3) found.reason = t('incident.form.reasonRequired');
    if (kind === 'priority' && (!priority || Number(priority) === incident.priority)) {
      found.priority = t('incident.form.priorityUnchanged');
    }
    if (kind === 'close') {
      if (!closureCode) found.closureCode = t('incident.form.closureCodeRequired');
      if (summary.trim().length < 3) found.summary = t('incident.form.closureSummaryRequired');
    }
    if (kind === 'merge' && !target) found.target = t('incident.form.mergeRequired');
    if (kind === 'classify') {
      if (!typeCode) found.type = t('incident.form.typeRequired');
      const override = chosenPriority !== null && chosenPriority !== suggested;
      const retyped = incident.status === 'classified' && typeCode !== incident.typeCode;
      if ((override || retyped) && reason.trim().length < 3) found.reason = t('incident.form.reasonRequired');
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = event.currentTarget.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    const updated = await run.run();
    if (!updated) return;
    toast.show(t('incident.action.done'), 'success');
    onDone(updated);
  };

  const reasonField = (label = t('incident.form.reason')) => (
    <TextArea
      label={label}
      hint={t('incident.form.reasonHint')}
      name="reason"
      rows={3}
      maxLength={1000}
      required={kind !== 'classify'}
      value={reason}
      error={errors.reason}
      onChange={(e) => setReason(e.target.value)}
    />
  );

  return (
    <form className="stack" noValidate onSubmit={submit}>
      {kind === 'priority' ? (
        <>
          <Select
            label={t('incident.form.priority')}
            name="priority"
            required
            placeholder="—"
            value={priority}
            error={errors.priority}
            options={PRIORITIES.map((p) => ({
              value: String(p),
              label: t(`incidents.priority.${p}`),
              disabled: p === incident.priority,
            }))}
            onChange={(e) => setPriority(e.target.value)}
          />
          {reasonField()}
        </>
      ) : null}
      {kind === 'cancel' || kind === 'reopen' ? reasonField() : null}
      {kind === 'close' ? (
        <>
          <Select
            label={t('incident.form.closureCode')}
            name="closureCode"
            required
            placeholder="—"
            value={closureCode}
            error={errors.closureCode}
            options={(closureCodes ?? []).map((c) => ({ value: c.code, label: `${c.code} · ${c.name}` }))}
            onChange={(e) => setClosureCode(e.target.value)}
          />
          <TextArea
            label={t('incident.form.closureSummary')}
            name="closureSummary"
            rows={4}
            maxLength={5000}
            required
            value={summary}
            error={errors.summary}
            onChange={(e) => setSummary(e.target.value)}
          />
        </>
      ) : null}
      {kind === 'merge' ? (
        <>
          {candidates.error ? <ErrorState error={candidates.error} onRetry={candidates.reload} /> : null}
          <Select
            label={t('incident.form.mergeTarget')}
            hint={
              mergeOptions.length === 0 && candidates.data
                ? t('incident.form.mergeNone')
                : t('incident.form.mergeHint')
            }
            name="mergeTarget"
            required
            placeholder="—"
            value={target}
            error={errors.target}
            options={mergeOptions}
            onChange={(e) => setTarget(e.target.value)}
          />
          {reasonField()}
        </>
      ) : null}
      {kind === 'classify' ? (
        <>
          <TypePicker
            types={types}
            value={typeCode}
            required
            error={errors.type}
            onChange={(code) => {
              setTypeCode(code);
              setClassifyPriority(null);
              if (code && familyOf(code) !== (typeCode ? familyOf(typeCode) : null)) setAnswers({});
            }}
          />
          {type ? (
            <GuidedQuestions questions={type.questions} answers={answers} onChange={setAnswers} />
          ) : null}
          {suggested !== null ? (
            <p className="row" role="status">
              {t('incident.form.suggested')} <PriorityBadge priority={suggested} long />
            </p>
          ) : null}
          <Select
            label={t('incident.form.priority')}
            name="classifyPriority"
            disabled={suggested === null}
            value={chosenPriority === null ? '' : String(chosenPriority)}
            placeholder={suggested === null ? '—' : undefined}
            options={PRIORITIES.map((p) => ({ value: String(p), label: t(`incidents.priority.${p}`) }))}
            onChange={(e) => {
              const chosen = Number(e.target.value);
              setClassifyPriority(chosen === suggested ? null : chosen);
            }}
          />
          {reasonField(t('incident.form.priorityReason'))}
        </>
      ) : null}
      {run.error ? <ErrorState error={run.error} /> : null}
      <div className="row inc-dialog-actions">
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" busy={run.busy} variant={kind === 'cancel' ? 'danger' : 'primary'}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
