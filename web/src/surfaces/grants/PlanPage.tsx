import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDateTime, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, Select, Table, useAction, useAsync, useToast } from '../../ui';
import { BASE, Facts, idem, Money, Section, ServerError, StatusChip } from './common';
import { SignAgreement } from './SignAgreement';

type Plan = ApiResponse<'/api/v1/grants/plans/{id}'>;
type Line = Plan['current']['budgetLines'][number];
type Diff = ApiResponse<'/api/v1/grants/plans/{id}/diff'>;

const EDITABLE = ['draft', 'returned'];

/** A plan: status, content and budget, the reviewers' observations, versions and their diff. */
export default function PlanPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const plan = useAsync(
    () => unwrap(api.GET('/api/v1/grants/plans/{id}', { params: { path: { id } } })),
    [id],
  );
  const submit = useAction(() =>
    unwrap(api.POST('/api/v1/grants/plans/{id}/submit', { params: { path: { id } }, headers: idem() })),
  );
  if (plan.loading && !plan.data) return <Loading />;
  if (plan.error) return <ErrorState error={plan.error} onRetry={plan.reload} />;
  const p = plan.data;
  if (!p) return null;
  const c = p.current.content;
  const canEdit = auth.can('grant.ngo.submit') && EDITABLE.includes(p.status);
  const onSubmit = async () => {
    const done = await submit.run();
    if (done) {
      toast.show(t('gr.plan.submitted'), 'success');
      plan.setData(done);
    }
  };
  return (
    <div className="stack">
      <Section
        id="gr-plan"
        title={`${p.code} · ${p.title}`}
        actions={
          canEdit ? (
            <>
              <Link className="btn btn--secondary" to={`${BASE}/planes/${p.id}/editar`}>
                {p.status === 'returned' ? t('gr.plan.correct') : t('gr.plan.edit')}
              </Link>
              <Button onClick={() => void onSubmit()} busy={submit.busy}>
                {t('gr.plan.submit')}
              </Button>
            </>
          ) : null
        }
      >
        <Facts
          items={[
            [t('gr.plan.status'), <StatusChip key="s" status={p.status} />],
            [t('gr.plan.organisation'), p.organisationName],
            [t('gr.plan.call'), `${p.callCode} · ${p.callTitle}`],
            [t('gr.plan.requested'), <Money key="r" cents={p.requestedCents} />],
            [t('gr.plan.approved'), <Money key="a" cents={p.approvedCents} />],
            [t('gr.plan.version'), String(p.currentVersion)],
            [t('gr.plan.submittedAt'), p.submittedAt ? formatDateTime(p.submittedAt) : '—'],
          ]}
        />
        <ServerError error={submit.error} />
        {c.summary ? <p>{c.summary}</p> : null}
        <h3>{t('gr.form.objectives')}</h3>
        <ul>
          {c.objectives.map((o) => (
            <li key={o.code}>
              <strong>{o.code}</strong> {o.text}
            </li>
          ))}
        </ul>
        <h3>{t('gr.form.activities')}</h3>
        <ul>
          {c.activities.map((a) => (
            <li key={a.code}>
              <strong>{a.code}</strong> {a.description}
            </li>
          ))}
        </ul>
        <Table<Plan['current']['content']['indicators'][number]>
          caption={t('gr.form.indicators')}
          rows={c.indicators}
          rowKey={(i) => i.code}
          columns={[
            { key: 'code', header: t('gr.form.code'), render: (i) => i.code },
            { key: 'name', header: t('gr.form.indicator'), render: (i) => i.name },
            { key: 'unit', header: t('gr.form.unit'), render: (i) => i.unit },
            { key: 'baseline', header: t('gr.form.baseline'), render: (i) => i.baseline, numeric: true },
            { key: 'target', header: t('gr.form.target'), render: (i) => i.target, numeric: true },
          ]}
        />
        <Table<Line>
          caption={t('gr.form.budget')}
          rows={p.current.budgetLines}
          rowKey={(l) => l.lineCode}
          columns={[
            { key: 'code', header: t('gr.form.code'), render: (l) => l.lineCode },
            { key: 'description', header: t('gr.form.lineDescription'), render: (l) => l.description },
            {
              key: 'source',
              header: t('gr.form.fundingSource'),
              render: (l) => t(`gr.funding.${l.fundingSource}`),
            },
            {
              key: 'amount',
              header: t('gr.amount'),
              render: (l) => <Money cents={l.amountCents} />,
              numeric: true,
            },
          ]}
        />
      </Section>
      {p.status === 'approved' && p.approvedCents && auth.can('grant.approve') ? (
        <SignAgreement planId={p.id} approvedCents={p.approvedCents} />
      ) : null}
      <Review planId={p.id} key={`${p.status}-${p.currentVersion}`} />
      {p.versions.length > 1 ? <Versions plan={p} /> : null}
    </div>
  );
}

/** The review: cases (current and returned ones), their steps and the observations. */
function Review({ planId }: { planId: string }) {
  const { t, locale } = useI18n();
  const review = useAsync(
    () => unwrap(api.GET('/api/v1/grants/plans/{id}/review', { params: { path: { id: planId } } })),
    [planId],
  );
  if (review.loading && !review.data) return <Loading />;
  if (review.error) return <ErrorState error={review.error} onRetry={review.reload} />;
  const cases = review.data?.cases ?? [];
  return (
    <Section id="gr-plan-review" title={t('gr.plan.review')}>
      {cases.length === 0 ? <p className="muted">{t('gr.plan.noReview')}</p> : null}
      {cases.map((c) => (
        <div key={c.id} className="stack">
          <h3>
            {formatDateTime(c.openedAt)} · <StatusChip status={c.status} prefix="gr.case.st" />
          </h3>
          <ul className="gr-list">
            {c.steps.map((s) => (
              <li key={s.code}>
                {locale === 'en' ? s.nameEn : s.nameEs} <StatusChip status={s.status} prefix="gr.step" />
                {s.overdue ? <span className="gr-chip gr-chip--overdue"> {t('gr.overdue')}</span> : null}
              </li>
            ))}
          </ul>
          {c.actions.filter((a) => a.reason).length > 0 ? (
            <>
              <h3>{t('gr.plan.observations')}</h3>
              <ul className="gr-list" aria-label={t('gr.plan.observations')}>
                {c.actions
                  .filter((a) => a.reason)
                  .map((a) => {
                    const step = c.steps.find((s) => s.code === a.step);
                    return (
                      <li key={`${a.step}-${a.actedAt}`} className="gr-observation">
                        <strong>{step ? (locale === 'en' ? step.nameEn : step.nameEs) : a.step}</strong> ·{' '}
                        <StatusChip status={a.outcome} prefix="gr.outcome" /> · {formatDateTime(a.actedAt)}
                        {a.actor ? ` · ${a.actor}` : ''}
                        <p className="gr-reason">{a.reason}</p>
                      </li>
                    );
                  })}
              </ul>
            </>
          ) : null}
        </div>
      ))}
    </Section>
  );
}

const show = (v: unknown) =>
  v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/** The versions of the plan and the differences between two of them (field by field, budget lines). */
function Versions({ plan }: { plan: Plan }) {
  const { t } = useI18n();
  const versions = plan.versions.map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState(versions[versions.length - 2] ?? 1);
  const [to, setTo] = useState(versions[versions.length - 1] ?? 1);
  const diff = useAsync<Diff | null>(
    () =>
      from === to
        ? Promise.resolve(null)
        : unwrap(
            api.GET('/api/v1/grants/plans/{id}/diff', {
              params: { path: { id: plan.id }, query: { from, to } },
            }),
          ),
    [plan.id, from, to],
  );
  const options = versions.map((v) => ({ value: String(v), label: t('gr.plan.versionN', { n: v }) }));
  return (
    <Section id="gr-plan-versions" title={t('gr.plan.versions')}>
      <Table<Plan['versions'][number]>
        caption={t('gr.plan.versions')}
        captionHidden
        rows={plan.versions}
        rowKey={(v) => String(v.version)}
        columns={[
          { key: 'v', header: t('gr.plan.version'), render: (v) => v.version },
          {
            key: 'req',
            header: t('gr.plan.requested'),
            render: (v) => <Money cents={v.requestedCents} />,
            numeric: true,
          },
          {
            key: 'at',
            header: t('gr.plan.submittedAt'),
            render: (v) => (v.submittedAt ? formatDateTime(v.submittedAt) : '—'),
          },
          {
            key: 'sha',
            header: 'SHA-256',
            render: (v) => <span className="mono">{v.contentSha256?.slice(0, 16) ?? '—'}</span>,
          },
        ]}
      />
      <div className="gr-grid">
        <Select
          label={t('gr.plan.diffFrom')}
          value={String(from)}
          options={options}
          onChange={(e) => setFrom(Number(e.target.value))}
        />
        <Select
          label={t('gr.plan.diffTo')}
          value={String(to)}
          options={options}
          onChange={(e) => setTo(Number(e.target.value))}
        />
      </div>
      {diff.error ? <ErrorState error={diff.error} /> : null}
      {diff.data ? (
        <div className="stack" data-testid="plan-diff">
          <Facts
            items={[
              [t('gr.plan.requestedBefore'), <Money key="b" cents={diff.data.totals.requestedBeforeCents} />],
              [t('gr.plan.requestedAfter'), <Money key="a" cents={diff.data.totals.requestedAfterCents} />],
              [t('gr.plan.requestedDelta'), <Money key="d" cents={diff.data.totals.requestedDeltaCents} />],
            ]}
          />
          <Table<Diff['content'][number]>
            caption={t('gr.plan.diffContent')}
            rows={diff.data.content}
            rowKey={(r) => r.path}
            empty={t('gr.plan.diffNoContent')}
            columns={[
              {
                key: 'path',
                header: t('gr.plan.diffField'),
                render: (r) => <span className="mono">{r.path}</span>,
              },
              {
                key: 'change',
                header: t('gr.plan.diffChange'),
                render: (r) => <span className={`gr-diff-${r.change}`}>{t(`gr.diff.${r.change}`)}</span>,
              },
              { key: 'before', header: t('gr.plan.diffBefore'), render: (r) => show(r.before) },
              { key: 'after', header: t('gr.plan.diffAfter'), render: (r) => show(r.after) },
            ]}
          />
          <Table<Diff['budgetLines'][number]>
            caption={t('gr.plan.diffLines')}
            rows={diff.data.budgetLines}
            rowKey={(r) => r.lineCode}
            empty={t('gr.plan.diffNoLines')}
            columns={[
              { key: 'code', header: t('gr.form.code'), render: (r) => r.lineCode },
              {
                key: 'change',
                header: t('gr.plan.diffChange'),
                render: (r) => <span className={`gr-diff-${r.change}`}>{t(`gr.diff.${r.change}`)}</span>,
              },
              {
                key: 'before',
                header: t('gr.plan.diffBefore'),
                render: (r) => (r.before ? <Money cents={r.before.amountCents} /> : '—'),
                numeric: true,
              },
              {
                key: 'after',
                header: t('gr.plan.diffAfter'),
                render: (r) => (r.after ? <Money cents={r.after.amountCents} /> : '—'),
                numeric: true,
              },
              {
                key: 'delta',
                header: t('gr.plan.diffDelta'),
                render: (r) => <Money cents={r.amountDeltaCents} />,
                numeric: true,
              },
            ]}
          />
        </div>
      ) : null}
    </Section>
  );
}
