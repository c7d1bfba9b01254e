import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDateTime, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, TextArea, useAction, useAsync, useToast } from '../../ui';
import { BASE, Facts, idem, Money, readFile, Section, ServerError, StatusChip, sha256Hex } from './common';
import { RedFlags } from './RedFlags';

type Case = ApiResponse<'/api/v1/workflow/cases/{id}'>;
type Step = Case['steps'][number];
type Outcome = 'approve' | 'return' | 'reject';

/**
 * One approval case (plan review, disbursement authorisation, liquidation approval): the subject, its
 * steps with deadlines, the decisions taken, and a decision form for each open step the user may act
 * on. The server enforces the segregation of duties; its refusal is shown as is.
 */
export default function CasePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const auth = useAuth();
  const wfCase = useAsync(
    () => unwrap(api.GET('/api/v1/workflow/cases/{id}', { params: { path: { id } } })),
    [id],
  );
  if (wfCase.loading && !wfCase.data) return <Loading />;
  if (wfCase.error) return <ErrorState error={wfCase.error} onRetry={wfCase.reload} />;
  const c = wfCase.data;
  if (!c) return null;
  const name = (x: { nameEs: string; nameEn: string }) => (locale === 'en' ? x.nameEn : x.nameEs);
  const actionable =
    c.status === 'open' ? c.steps.filter((s) => s.status === 'open' && auth.can(s.permission)) : [];
  return (
    <div className="stack">
      <Section id="gr-case" title={c.title}>
        <Facts
          items={[
            [t('gr.case.workflow'), name(c.definition)],
            [t('gr.case.status'), <StatusChip key="s" status={c.status} prefix="gr.case.st" />],
            [t('gr.case.opened'), formatDateTime(c.openedAt)],
            [
              t('gr.case.excluded'),
              t('gr.case.excludedN', { n: c.excludedActors.users + c.excludedActors.duis }),
            ],
          ]}
        />
        <Subject subjectType={c.subjectType} subjectId={c.subjectId} />
      </Section>
      <Section id="gr-case-steps" title={t('gr.case.steps')}>
        <ol className="gr-list">
          {c.steps.map((s) => (
            <li key={s.code}>
              <strong>{name(s)}</strong> <StatusChip status={s.status} prefix="gr.step" />{' '}
              {s.overdue ? <span className="gr-chip gr-chip--overdue">{t('gr.overdue')}</span> : null}
              {s.dueAt ? (
                <span className="muted"> · {t('gr.case.dueAt', { at: formatDateTime(s.dueAt) })}</span>
              ) : null}
            </li>
          ))}
        </ol>
      </Section>
      {actionable.map((step) => (
        <DecisionForm key={step.code} wfCase={c} step={step} onDone={wfCase.reload} />
      ))}
      <Section id="gr-case-actions" title={t('gr.case.history')}>
        {c.actions.length === 0 ? (
          <p className="muted">{t('gr.case.noActions')}</p>
        ) : (
          <ol className="gr-list">
            {c.actions.map((a) => (
              <li key={a.id}>
                <strong>
                  {c.steps.find((s) => s.code === a.step)
                    ? name(c.steps.find((s) => s.code === a.step) as Step)
                    : a.step}
                </strong>
                {' — '}
                <StatusChip status={a.outcome} prefix="gr.outcome" /> · {a.actor?.name ?? t('gr.case.opener')}{' '}
                · {formatDateTime(a.actedAt)}
                {a.reason ? <p className="gr-reason">{a.reason}</p> : null}
                {a.documents.length > 0 ? (
                  <ul>
                    {a.documents.map((d) => (
                      <li key={d.sha256}>
                        {d.name} <span className="mono muted">SHA-256 {d.sha256.slice(0, 16)}…</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}

/** What the case is about: the plan (with its amounts), the disbursement or the liquidation. */
function Subject({ subjectType, subjectId }: { subjectType: string; subjectId: string }) {
  const { t } = useI18n();
  const plan = useAsync(
    () =>
      subjectType === 'ngo_plan'
        ? unwrap(api.GET('/api/v1/grants/plans/{id}', { params: { path: { id: subjectId } } }))
        : Promise.resolve(null),
    [subjectType, subjectId],
  );
  if (subjectType === 'ngo_disbursement') {
    return (
      <p>
        <Link to={`${BASE}/desembolsos`}>{t('gr.case.toFinance')}</Link>
      </p>
    );
  }
  if (subjectType !== 'ngo_plan') return null;
  if (plan.error) return <ErrorState error={plan.error} onRetry={plan.reload} />;
  const p = plan.data;
  if (!p) return <Loading />;
  return (
    <div className="stack">
      <Facts
        items={[
          [t('gr.plan.organisation'), p.organisationName],
          [t('gr.plan.call'), `${p.callCode} · ${p.callTitle}`],
          [t('gr.plan.requested'), <Money key="r" cents={p.requestedCents} />],
          [t('gr.plan.version'), String(p.currentVersion)],
        ]}
      />
      <p>
        <Link to={`${BASE}/planes/${p.id}`}>{t('gr.case.openPlan', { code: p.code })}</Link>
      </p>
      <RedFlags organisationId={p.organisationId} />
    </div>
  );
}

interface PickedDoc {
  kind: string;
  name: string;
  sha256: string;
}

function DecisionForm({ wfCase, step, onDone }: { wfCase: Case; step: Step; onDone: () => void }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const [docs, setDocs] = useState<Record<string, PickedDoc>>({});
  const [outcome, setOutcome] = useState<Outcome>('approve');
  const [reason, setReason] = useState('');
  const label = (x: { labelEs: string; labelEn: string }) => (locale === 'en' ? x.labelEn : x.labelEs);
  const stepName = locale === 'en' ? step.nameEn : step.nameEs;
  const action = useAction(async () => {
    const checklist = step.checklist.map((i) => ({ code: i.code, checked: !!checked[i.code] }));
    const trimmed = reason.trim() || undefined;
    if (wfCase.subjectType === 'ngo_disbursement') {
      return unwrap(
        api.POST('/api/v1/grants/disbursements/{id}/decision', {
          params: { path: { id: wfCase.subjectId } },
          headers: idem(),
          body: {
            outcome: outcome === 'approve' ? 'approve' : 'reject',
            ...(trimmed ? { reason: trimmed } : {}),
          },
        }),
      );
    }
    if (wfCase.subjectType === 'ngo_liquidation') {
      return unwrap(
        api.POST('/api/v1/grants/liquidations/{id}/decision', {
          params: { path: { id: wfCase.subjectId } },
          headers: idem(),
          body: {
            step: step.code as 'finance' | 'monitoring',
            outcome: outcome === 'approve' ? 'approve' : 'return',
            checklist,
            ...(trimmed ? { reason: trimmed } : {}),
          },
        }),
      );
    }
    return unwrap(
      api.POST('/api/v1/workflow/cases/{id}/actions', {
        params: { path: { id: wfCase.id } },
        headers: idem(),
        body: {
          step: step.code,
          outcome,
          checklist,
          documents: Object.values(docs),
          ...(trimmed ? { reason: trimmed } : {}),
        },
      }),
    );
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run();
    if (done !== undefined) {
      toast.show(t('gr.case.recorded'), 'success');
      onDone();
    }
  };
  const pick = async (kind: string, file: File | undefined) => {
    if (!file) return;
    const read = await readFile(file);
    setDocs((d) => ({ ...d, [kind]: { kind, name: read.fileName, sha256: sha256Hex(read.bytes) } }));
  };
  const formId = `gr-decide-${step.code}`;
  return (
    <Section id={formId} title={t('gr.case.decide', { step: stepName })}>
      <form className="gr-form" onSubmit={submit} aria-labelledby={formId}>
        {step.checklist.length > 0 ? (
          <fieldset className="gr-fieldset">
            <legend>{t('gr.case.checklist')}</legend>
            {step.checklist.map((item) => (
              <label key={item.code} className="gr-check">
                <input
                  type="checkbox"
                  name={`check-${item.code}`}
                  checked={!!checked[item.code]}
                  onChange={(e) => setChecked((c) => ({ ...c, [item.code]: e.target.checked }))}
                />
                <span>
                  {label(item)}
                  {item.required ? null : <span className="muted"> ({t('gr.optional')})</span>}
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {step.requiredDocuments.length > 0 ? (
          <fieldset className="gr-fieldset">
            <legend>{t('gr.case.documents')}</legend>
            {step.requiredDocuments.map((d) => {
              const inputId = `${formId}-doc-${d.kind}`;
              return (
                <div key={d.kind} className="field">
                  <label className="field__label" htmlFor={inputId}>
                    {label(d)}
                  </label>
                  <input
                    id={inputId}
                    type="file"
                    accept="application/pdf,image/jpeg,image/png"
                    onChange={(e) => void pick(d.kind, e.target.files?.[0])}
                  />
                  {docs[d.kind] ? (
                    <span className="field__hint mono">SHA-256 {docs[d.kind]?.sha256}</span>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
        ) : null}
        <fieldset className="gr-fieldset">
          <legend>{t('gr.case.outcome')}</legend>
          {(wfCase.subjectType === 'ngo_liquidation'
            ? (['approve', 'return'] as Outcome[])
            : step.outcomes
          ).map((o) => (
            <label key={o} className="gr-check">
              <input
                type="radio"
                name={`${formId}-outcome`}
                value={o}
                checked={outcome === o}
                onChange={() => setOutcome(o)}
              />
              <span>{t(`gr.outcome.${o}`)}</span>
            </label>
          ))}
        </fieldset>
        <TextArea
          label={outcome === 'approve' ? t('gr.case.note') : t('gr.case.reason')}
          hint={outcome === 'approve' ? t('gr.case.noteHint') : t('gr.case.reasonHint')}
          required={outcome !== 'approve'}
          rows={3}
          maxLength={4000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <ServerError error={action.error} />
        <div className="row">
          <Button type="submit" busy={action.busy} variant={outcome === 'reject' ? 'danger' : 'primary'}>
            {t('gr.case.submit')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
