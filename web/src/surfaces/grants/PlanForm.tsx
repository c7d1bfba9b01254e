import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { type ApiBody, type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { Button, ErrorState, Loading, Select, TextArea, TextField, useAction, useAsync } from '../../ui';
import { BASE, dollarsToCents, idem, Section, ServerError } from './common';
import { type RowColumn, RowsEditor, type RowValues } from './RowsEditor';

type PlanDetail = ApiResponse<'/api/v1/grants/plans/{id}'>;
type Content = ApiBody<'/api/v1/grants/plans', 'post'>['content'];
type Line = ApiBody<'/api/v1/grants/plans', 'post'>['budgetLines'][number];

interface FormState {
  callId: string;
  organisationId: string;
  title: string;
  summary: string;
  objectives: RowValues[];
  activities: RowValues[];
  beneficiaries: { description: string; direct: string; indirect: string };
  municipalities: RowValues[];
  schedule: RowValues[];
  indicators: RowValues[];
  risks: RowValues[];
  lines: RowValues[];
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function fromPlan(plan: PlanDetail): FormState {
  const c = plan.current.content;
  return {
    callId: plan.callId,
    organisationId: plan.organisationId,
    title: plan.title,
    summary: c.summary ?? '',
    objectives: c.objectives.map((o) => ({ code: o.code, text: o.text })),
    activities: c.activities.map((a) => ({
      code: a.code,
      description: a.description,
      objectiveCode: str(a.objectiveCode),
    })),
    beneficiaries: {
      description: c.beneficiaries.description,
      direct: str(c.beneficiaries.direct),
      indirect: str(c.beneficiaries.indirect),
    },
    municipalities: c.territory.municipalityPcodes.map((pcode) => ({ pcode })),
    schedule: c.schedule.map((s) => ({
      code: s.code,
      milestone: s.milestone,
      activityCode: str(s.activityCode),
      start: s.start,
      end: s.end,
    })),
    indicators: c.indicators.map((i) => ({
      code: i.code,
      name: i.name,
      unit: i.unit,
      baseline: str(i.baseline),
      target: str(i.target),
    })),
    risks: c.risks.map((r) => ({
      code: r.code,
      description: r.description,
      likelihood: r.likelihood,
      mitigation: r.mitigation,
    })),
    lines: plan.current.budgetLines.map((l) => ({
      lineCode: l.lineCode,
      description: l.description,
      fundingSource: l.fundingSource,
      amount: (l.amountCents / 100).toFixed(2),
    })),
  };
}

const EMPTY: FormState = {
  callId: '',
  organisationId: '',
  title: '',
  summary: '',
  objectives: [{}],
  activities: [{}],
  beneficiaries: { description: '', direct: '', indirect: '0' },
  municipalities: [{}],
  schedule: [{}],
  indicators: [{}],
  risks: [{}],
  lines: [{ fundingSource: 'mjsp' }],
};

const num = (text: string | undefined): number => {
  const value = Number((text ?? '').replace(',', '.'));
  return text && text.trim() !== '' && Number.isFinite(value) ? value : Number.NaN;
};
const opt = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** Builds the API body; amounts typed in dollars become integer cents (the server checks them again). */
function toBody(f: FormState): { content: Content; budgetLines: Line[] } {
  const content: Content = {
    objectives: f.objectives.map((o) => ({ code: (o.code ?? '').trim(), text: (o.text ?? '').trim() })),
    activities: f.activities.map((a) => ({
      code: (a.code ?? '').trim(),
      description: (a.description ?? '').trim(),
      ...(opt(a.objectiveCode) ? { objectiveCode: opt(a.objectiveCode) as string } : {}),
    })),
    beneficiaries: {
      description: f.beneficiaries.description.trim(),
      direct: Math.trunc(num(f.beneficiaries.direct) || 0),
      indirect: Math.trunc(num(f.beneficiaries.indirect) || 0),
    },
    territory: { municipalityPcodes: f.municipalities.map((m) => m.pcode ?? '').filter(Boolean) },
    schedule: f.schedule.map((s) => ({
      code: (s.code ?? '').trim(),
      milestone: (s.milestone ?? '').trim(),
      ...(opt(s.activityCode) ? { activityCode: opt(s.activityCode) as string } : {}),
      start: s.start ?? '',
      end: s.end ?? '',
    })),
    indicators: f.indicators.map((i) => ({
      code: (i.code ?? '').trim(),
      name: (i.name ?? '').trim(),
      unit: (i.unit ?? '').trim(),
      baseline: num(i.baseline),
      target: num(i.target),
    })),
    risks: f.risks.map((r) => ({
      code: (r.code ?? '').trim(),
      description: (r.description ?? '').trim(),
      likelihood: (r.likelihood || 'medium') as 'low' | 'medium' | 'high',
      mitigation: (r.mitigation ?? '').trim(),
    })),
  };
  if (f.summary.trim()) content.summary = f.summary.trim();
  const budgetLines: Line[] = f.lines.map((l) => ({
    lineCode: (l.lineCode ?? '').trim(),
    description: (l.description ?? '').trim(),
    fundingSource: (l.fundingSource || 'mjsp') as 'mjsp' | 'counterpart' | 'other',
    amountCents: dollarsToCents(l.amount ?? '') ?? Number.NaN,
  }));
  return { content, budgetLines };
}

/**
 * Formulating a plan (new, for an open call) or correcting it (a draft, or a returned plan: saving
 * creates a new version whose differences the reviewers see). Submission is on the plan's page.
 */
export default function PlanForm() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState<FormState>({ ...EMPTY, callId: search.get('convocatoria') ?? '' });
  const [localError, setLocalError] = useState<string | null>(null);
  const existing = useAsync(
    () =>
      id ? unwrap(api.GET('/api/v1/grants/plans/{id}', { params: { path: { id } } })) : Promise.resolve(null),
    [id],
  );
  const calls = useAsync(
    () => unwrap(api.GET('/api/v1/grants/calls', { params: { query: { status: 'published' } } })),
    [],
  );
  const staffRegisters = auth.can('grant.read.all');
  const orgs = useAsync(
    () =>
      staffRegisters
        ? unwrap(api.GET('/api/v1/grants/organisations', { params: { query: { status: 'active' } } }))
        : Promise.resolve(null),
    [staffRegisters],
  );
  const municipalities = useAsync(
    () => unwrap(api.GET('/api/v1/geo/municipalities', { params: { query: {} } })),
    [],
  );
  useEffect(() => {
    if (existing.data) setForm(fromPlan(existing.data));
  }, [existing.data]);

  const save = useAction(async () => {
    const body = toBody(form);
    if (id) {
      return unwrap(
        api.PUT('/api/v1/grants/plans/{id}/draft', {
          params: { path: { id } },
          body: { title: form.title.trim(), ...body },
        }),
      );
    }
    return unwrap(
      api.POST('/api/v1/grants/plans', {
        body: {
          callId: form.callId,
          ...(form.organisationId ? { organisationId: form.organisationId } : {}),
          title: form.title.trim(),
          ...body,
        },
        headers: idem(),
      }),
    );
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const bad = form.lines.find((l) => dollarsToCents(l.amount ?? '') === null);
    if (bad) {
      setLocalError(t('gr.form.badAmount', { line: bad.lineCode ?? '?' }));
      return;
    }
    setLocalError(null);
    const saved = await save.run();
    if (saved) navigate(`${BASE}/planes/${saved.id}`);
  };

  if (id && existing.loading && !existing.data) return <Loading />;
  if (existing.error) return <ErrorState error={existing.error} onRetry={existing.reload} />;
  const set =
    <K extends keyof FormState>(key: K) =>
    (value: FormState[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const muniOptions = (municipalities.data ?? []).map((m) => ({
    value: m.pcode,
    label: `${m.name} (${m.pcode})`,
  }));
  const code = { key: 'code', label: t('gr.form.code'), required: true } satisfies RowColumn;
  const returned = existing.data?.status === 'returned';
  return (
    <Section
      id="gr-plan-form"
      title={id ? t('gr.form.editTitle', { code: existing.data?.code ?? '' }) : t('gr.form.newTitle')}
    >
      {returned ? <p className="muted">{t('gr.form.newVersionHint')}</p> : null}
      <form className="gr-form" onSubmit={submit} noValidate>
        {!id ? (
          <div className="gr-grid">
            <Select
              label={t('gr.form.call')}
              required
              value={form.callId}
              placeholder={t('gr.choose')}
              options={(calls.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.code} · ${c.title}`,
              }))}
              onChange={(e) => set('callId')(e.target.value)}
            />
            {staffRegisters ? (
              <Select
                label={t('gr.form.organisation')}
                required
                value={form.organisationId}
                placeholder={t('gr.choose')}
                options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
                onChange={(e) => set('organisationId')(e.target.value)}
              />
            ) : null}
          </div>
        ) : null}
        {calls.error ? <ServerError error={calls.error} /> : null}
        <TextField
          label={t('gr.form.title')}
          required
          minLength={3}
          maxLength={300}
          value={form.title}
          onChange={(e) => set('title')(e.target.value)}
        />
        <TextArea
          label={t('gr.form.summary')}
          rows={3}
          maxLength={5000}
          value={form.summary}
          onChange={(e) => set('summary')(e.target.value)}
        />
        <RowsEditor
          legend={t('gr.form.objectives')}
          name="objectives"
          addLabel={t('gr.form.addObjective')}
          rows={form.objectives}
          onChange={set('objectives')}
          columns={[code, { key: 'text', label: t('gr.form.objective'), required: true }]}
        />
        <RowsEditor
          legend={t('gr.form.activities')}
          name="activities"
          addLabel={t('gr.form.addActivity')}
          rows={form.activities}
          onChange={set('activities')}
          columns={[
            code,
            { key: 'description', label: t('gr.form.activity'), required: true },
            { key: 'objectiveCode', label: t('gr.form.objectiveCode') },
          ]}
        />
        <fieldset className="gr-fieldset">
          <legend>{t('gr.form.beneficiaries')}</legend>
          <div className="gr-grid">
            <TextField
              label={t('gr.form.benDescription')}
              required
              value={form.beneficiaries.description}
              onChange={(e) => set('beneficiaries')({ ...form.beneficiaries, description: e.target.value })}
            />
            <TextField
              label={t('gr.form.benDirect')}
              required
              inputMode="numeric"
              value={form.beneficiaries.direct}
              onChange={(e) => set('beneficiaries')({ ...form.beneficiaries, direct: e.target.value })}
            />
            <TextField
              label={t('gr.form.benIndirect')}
              inputMode="numeric"
              value={form.beneficiaries.indirect}
              onChange={(e) => set('beneficiaries')({ ...form.beneficiaries, indirect: e.target.value })}
            />
          </div>
        </fieldset>
        <RowsEditor
          legend={t('gr.form.territory')}
          name="territory"
          addLabel={t('gr.form.addMunicipality')}
          rows={form.municipalities}
          onChange={set('municipalities')}
          columns={[
            {
              key: 'pcode',
              label: t('gr.form.municipality'),
              type: 'select',
              options: muniOptions,
              required: true,
            },
          ]}
        />
        <RowsEditor
          legend={t('gr.form.schedule')}
          name="schedule"
          addLabel={t('gr.form.addMilestone')}
          rows={form.schedule}
          onChange={set('schedule')}
          columns={[
            code,
            { key: 'milestone', label: t('gr.form.milestone'), required: true },
            { key: 'activityCode', label: t('gr.form.activityCode') },
            { key: 'start', label: t('gr.form.start'), type: 'date', required: true },
            { key: 'end', label: t('gr.form.end'), type: 'date', required: true },
          ]}
        />
        <RowsEditor
          legend={t('gr.form.indicators')}
          name="indicators"
          addLabel={t('gr.form.addIndicator')}
          rows={form.indicators}
          onChange={set('indicators')}
          columns={[
            code,
            { key: 'name', label: t('gr.form.indicator'), required: true },
            { key: 'unit', label: t('gr.form.unit'), required: true },
            { key: 'baseline', label: t('gr.form.baseline'), type: 'number', required: true },
            { key: 'target', label: t('gr.form.target'), type: 'number', required: true },
          ]}
        />
        <RowsEditor
          legend={t('gr.form.risks')}
          name="risks"
          addLabel={t('gr.form.addRisk')}
          rows={form.risks}
          onChange={set('risks')}
          columns={[
            code,
            { key: 'description', label: t('gr.form.risk'), required: true },
            {
              key: 'likelihood',
              label: t('gr.form.likelihood'),
              type: 'select',
              options: (['low', 'medium', 'high'] as const).map((v) => ({
                value: v,
                label: t(`gr.likelihood.${v}`),
              })),
            },
            { key: 'mitigation', label: t('gr.form.mitigation') },
          ]}
        />
        <RowsEditor
          legend={t('gr.form.budget')}
          name="budget"
          addLabel={t('gr.form.addLine')}
          rows={form.lines}
          onChange={set('lines')}
          columns={[
            { key: 'lineCode', label: t('gr.form.code'), required: true },
            { key: 'description', label: t('gr.form.lineDescription'), required: true },
            {
              key: 'fundingSource',
              label: t('gr.form.fundingSource'),
              type: 'select',
              options: (['mjsp', 'counterpart', 'other'] as const).map((v) => ({
                value: v,
                label: t(`gr.funding.${v}`),
              })),
            },
            { key: 'amount', label: t('gr.form.amountUsd'), type: 'money', required: true },
          ]}
        />
        {localError ? <ServerError error={{ message: localError, details: null } as never} /> : null}
        <ServerError error={save.error} />
        <div className="row">
          <Button type="submit" busy={save.busy}>
            {t('gr.form.save')}
          </Button>
          <Button
            variant="secondary"
            onClick={() => navigate(id ? `${BASE}/planes/${id}` : `${BASE}/planes`)}
          >
            {t('gr.cancel')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
