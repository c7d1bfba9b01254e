import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { formatDate, formatDateTime, useI18n } from '../../i18n';
import {
  Button,
  ErrorState,
  Loading,
  Select,
  Table,
  TextArea,
  TextField,
  useAction,
  useAsync,
  useToast,
} from '../../ui';
import {
  BASE,
  dollarsToCents,
  Facts,
  idem,
  Money,
  openProtectedFile,
  readFile,
  Section,
  ServerError,
  StatusChip,
  today,
} from './common';

type Agreement = ApiResponse<'/api/v1/grants/agreements/{id}'>;
type Tranche = Agreement['tranches'][number];
type Receipt = ApiResponse<'/api/v1/grants/receipts'>['items'][number];
type Liquidation = ApiResponse<'/api/v1/grants/agreements/{id}/liquidation'>;
type Visit = ApiResponse<'/api/v1/grants/agreements/{id}/monitoring'>['visits'][number];

const day = (d: string) => formatDate(`${d}T12:00:00Z`);

/**
 * An agreement: tranches and their conditions, disbursement requests, expense reports and receipts
 * (automatic checks, finance review), monitoring visits, reconciliation by budget line, refunds,
 * liquidation and closing act.
 */
export default function AgreementPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const agreement = useAsync(
    () => unwrap(api.GET('/api/v1/grants/agreements/{id}', { params: { path: { id } } })),
    [id],
  );
  const [generation, setGeneration] = useState(0);
  const refresh = () => {
    agreement.reload();
    setGeneration((g) => g + 1);
  };
  const pdf = useAction((kind: 'summary' | 'closing-act', name: string) =>
    openProtectedFile(`/api/v1/grants/agreements/${id}/${kind}.pdf`, name),
  );
  if (agreement.loading && !agreement.data) return <Loading />;
  if (agreement.error) return <ErrorState error={agreement.error} onRetry={agreement.reload} />;
  const a = agreement.data;
  if (!a) return null;
  return (
    <div className="stack">
      <Section
        id="gr-agreement"
        title={t('gr.agreement.title', { number: a.number })}
        actions={
          <>
            <Button variant="secondary" onClick={() => void pdf.run('summary', `convenio-${a.number}.pdf`)}>
              {t('gr.agreement.summaryPdf')}
            </Button>
            {a.closingActSha256 ? (
              <Button
                variant="secondary"
                onClick={() => void pdf.run('closing-act', `acta-cierre-${a.number}.pdf`)}
              >
                {t('gr.agreement.closingActPdf')}
              </Button>
            ) : null}
          </>
        }
      >
        <Facts
          items={[
            [t('gr.plan.organisation'), a.organisationName],
            [
              t('gr.agreement.plan'),
              <Link key="p" to={`${BASE}/planes/${a.planId}`}>{`${a.planCode} · ${a.planTitle}`}</Link>,
            ],
            [t('gr.plan.status'), <StatusChip key="s" status={a.planStatus} />],
            [t('gr.amount'), <Money key="m" cents={a.amountCents} />],
            [t('gr.agreement.period'), `${day(a.startsOn)} – ${day(a.endsOn)}`],
            [t('gr.agreement.liquidationDue'), a.liquidationDueAt ? formatDateTime(a.liquidationDueAt) : '—'],
            [
              'SHA-256',
              <span key="h" className="mono">
                {a.summarySha256.slice(0, 16)}…
              </span>,
            ],
          ]}
        />
        {a.closingActSha256 ? (
          <p>
            {t('gr.agreement.closingActHash')} <span className="mono">{a.closingActSha256}</span>
          </p>
        ) : null}
        <ServerError error={pdf.error} />
      </Section>
      <Tranches agreement={a} onChange={refresh} />
      <Reconciliation agreement={a} />
      <Receipts agreement={a} generation={generation} onChange={refresh} />
      <Monitoring
        agreementId={a.id}
        open={['agreement_signed', 'in_execution', 'liquidation_overdue'].includes(a.planStatus)}
        generation={generation}
        onChange={refresh}
      />
      <LiquidationSection agreement={a} generation={generation} onChange={refresh} />
    </div>
  );
}

function Tranches({ agreement, onChange }: { agreement: Agreement; onChange: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const request = useAction((n: number) =>
    unwrap(
      api.POST('/api/v1/grants/agreements/{id}/disbursements', {
        params: { path: { id: agreement.id } },
        headers: idem(),
        body: { trancheNumber: n },
      }),
    ),
  );
  const run = async (tr: Tranche) => {
    if (await request.run(tr.number)) {
      toast.show(t('gr.tranche.requested'), 'success');
      onChange();
    }
  };
  return (
    <Section id="gr-tranches" title={t('gr.tranche.title')}>
      <Table<Tranche>
        caption={t('gr.tranche.title')}
        captionHidden
        rows={agreement.tranches}
        rowKey={(tr) => tr.id}
        columns={[
          { key: 'n', header: t('gr.tranche.number'), render: (tr) => tr.number },
          {
            key: 'amount',
            header: t('gr.amount'),
            render: (tr) => <Money cents={tr.amountCents} />,
            numeric: true,
          },
          {
            key: 'cond',
            header: t('gr.tranche.conditions'),
            render: (tr) =>
              tr.conditions.length === 0 ? (
                t('gr.tranche.noConditions')
              ) : (
                <ul>
                  {tr.conditions.map((c) => (
                    <li key={c.code}>
                      {c.met ? '✔' : '✖'}{' '}
                      <span className="visually-hidden">{c.met ? t('gr.met') : t('gr.unmet')}</span>{' '}
                      {c.message}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            key: 'status',
            header: t('gr.tranche.disbursement'),
            render: (tr) =>
              tr.disbursementStatus ? <StatusChip status={tr.disbursementStatus} prefix="gr.disb" /> : '—',
          },
          {
            key: 'act',
            header: t('gr.actions'),
            render: (tr) =>
              !tr.disbursementStatus || tr.disbursementStatus === 'rejected' ? (
                <Button variant="secondary" busy={request.busy} onClick={() => void run(tr)}>
                  {t('gr.tranche.request', { n: tr.number })}
                </Button>
              ) : null,
          },
        ]}
      />
      <ServerError error={request.error} />
    </Section>
  );
}

function Reconciliation({ agreement }: { agreement: Agreement }) {
  const { t } = useI18n();
  const r = agreement.reconciliation;
  return (
    <Section id="gr-reconciliation" title={t('gr.rec.title')}>
      <Facts
        items={[
          [t('gr.rec.disbursed'), <Money key="d" cents={r.disbursedCents} />],
          [t('gr.rec.justified'), <Money key="j" cents={r.justifiedCents} />],
          [t('gr.rec.refunded'), <Money key="r" cents={r.refundedCents} />],
          [t('gr.rec.balance'), <Money key="b" cents={r.balanceCents} />],
          [t('gr.rec.pendingReceipts'), String(r.pendingReceipts)],
        ]}
      />
      <Table<Agreement['reconciliation']['lines'][number]>
        caption={t('gr.rec.byLine')}
        rows={r.lines}
        rowKey={(l) => l.lineCode}
        columns={[
          { key: 'code', header: t('gr.form.code'), render: (l) => l.lineCode },
          { key: 'desc', header: t('gr.form.lineDescription'), render: (l) => l.description },
          {
            key: 'budget',
            header: t('gr.rec.budget'),
            render: (l) => <Money cents={l.budgetCents} />,
            numeric: true,
          },
          {
            key: 'just',
            header: t('gr.rec.justified'),
            render: (l) => <Money cents={l.justifiedCents} />,
            numeric: true,
          },
          {
            key: 'ref',
            header: t('gr.rec.refunded'),
            render: (l) => <Money cents={l.refundedCents} />,
            numeric: true,
          },
        ]}
      />
      {agreement.indicators.length > 0 ? (
        <Table<Agreement['indicators'][number]>
          caption={t('gr.form.indicators')}
          rows={agreement.indicators}
          rowKey={(i) => i.code}
          columns={[
            { key: 'name', header: t('gr.form.indicator'), render: (i) => `${i.code} · ${i.name}` },
            { key: 'base', header: t('gr.form.baseline'), render: (i) => i.baseline, numeric: true },
            { key: 'target', header: t('gr.form.target'), render: (i) => i.target, numeric: true },
            {
              key: 'actual',
              header: t('gr.indicator.actual'),
              render: (i) => i.actual ?? '—',
              numeric: true,
            },
          ]}
        />
      ) : null}
    </Section>
  );
}

function Receipts({
  agreement,
  generation,
  onChange,
}: {
  agreement: Agreement;
  generation: number;
  onChange: () => void;
}) {
  const { t, locale } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const receipts = useAsync(
    () => unwrap(api.GET('/api/v1/grants/receipts', { params: { query: { agreementId: agreement.id } } })),
    [agreement.id, generation],
  );
  const reportIds = [...new Set((receipts.data?.items ?? []).map((r) => r.reportId))];
  const reports = useAsync(
    () =>
      Promise.all(
        reportIds.map((rid) =>
          unwrap(api.GET('/api/v1/grants/expense-reports/{id}', { params: { path: { id: rid } } })),
        ),
      ),
    [reportIds.join(',')],
  );
  const openReport = reports.data?.find((r) => r.status === 'open') ?? null;
  const submitReport = useAction((rid: string) =>
    unwrap(
      api.POST('/api/v1/grants/expense-reports/{id}/submit', {
        params: { path: { id: rid } },
        headers: idem(),
      }),
    ),
  );
  const [reviewing, setReviewing] = useState<Receipt | null>(null);
  const canReview = auth.can('grant.finance.disburse');
  const canUpload = auth.can('grant.ngo.submit');
  return (
    <Section id="gr-receipts" title={t('gr.receipts.title')}>
      {receipts.loading && !receipts.data ? <Loading /> : null}
      {receipts.error ? <ErrorState error={receipts.error} onRetry={receipts.reload} /> : null}
      {(reports.data ?? []).map((r) => (
        <p key={r.id}>
          {t('gr.report.line', { n: r.number, description: r.description })}{' '}
          <StatusChip status={r.status} prefix="gr.report.st" /> <Money cents={r.totalCents} />{' '}
          {r.status === 'open' && canUpload ? (
            <Button
              variant="secondary"
              busy={submitReport.busy}
              onClick={async () => {
                if (await submitReport.run(r.id)) {
                  toast.show(t('gr.report.submitted'), 'success');
                  onChange();
                }
              }}
            >
              {t('gr.report.submit', { n: r.number })}
            </Button>
          ) : null}
        </p>
      ))}
      <ServerError error={submitReport.error} />
      {receipts.data ? (
        <Table<Receipt>
          caption={t('gr.receipts.title')}
          captionHidden
          rows={receipts.data.items}
          rowKey={(r) => r.id}
          empty={t('gr.receipts.empty')}
          columns={[
            {
              key: 'doc',
              header: t('gr.receipt.document'),
              render: (r) => (
                <span>
                  {`${r.documentTypeName} ${r.documentNumber}`}
                  <br />
                  <span className="muted">{r.description}</span>
                </span>
              ),
            },
            {
              key: 'supplier',
              header: t('gr.receipt.supplier'),
              render: (r) => `${r.supplierName} (${r.supplierNit})`,
            },
            { key: 'date', header: t('gr.receipt.issuedOn'), render: (r) => day(r.issuedOn) },
            { key: 'line', header: t('gr.receipt.line'), render: (r) => r.budgetLineCode },
            {
              key: 'amount',
              header: t('gr.amount'),
              render: (r) => <Money cents={r.amountCents} />,
              numeric: true,
            },
            {
              key: 'checks',
              header: t('gr.receipt.checks'),
              render: (r) =>
                r.checks.length === 0 ? (
                  <span className="muted">{t('gr.receipt.noChecks')}</span>
                ) : (
                  <ul className="gr-checks">
                    {r.checks.map((c) => (
                      <li key={c.code} className="gr-check-flag" data-check={c.code}>
                        {locale === 'en' ? c.messageEn : c.message}
                      </li>
                    ))}
                  </ul>
                ),
            },
            {
              key: 'status',
              header: t('gr.plan.status'),
              render: (r) => (
                <span>
                  <StatusChip status={r.status} prefix="gr.receipt.st" />
                  {r.reviewReason ? <span className="gr-reason"> {r.reviewReason}</span> : null}
                </span>
              ),
            },
            {
              key: 'act',
              header: t('gr.actions'),
              render: (r) =>
                canReview && r.status === 'pending' ? (
                  <Button variant="secondary" onClick={() => setReviewing(r)}>
                    {t('gr.receipt.review', { number: r.documentNumber })}
                  </Button>
                ) : null,
            },
          ]}
        />
      ) : null}
      {reviewing ? (
        <ReceiptReview
          receipt={reviewing}
          onClose={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null);
            onChange();
          }}
        />
      ) : null}
      {canUpload && agreement.planStatus === 'in_execution' ? (
        <ReceiptForm agreement={agreement} openReportId={openReport?.id ?? null} onDone={onChange} />
      ) : null}
    </Section>
  );
}

function ReceiptReview({
  receipt,
  onClose,
  onDone,
}: {
  receipt: Receipt;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [decision, setDecision] = useState<'approve' | 'observe' | 'reject'>(
    receipt.checks.length > 0 ? 'reject' : 'approve',
  );
  const [reason, setReason] = useState('');
  const review = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/receipts/{id}/review', {
        params: { path: { id: receipt.id } },
        headers: idem(),
        body: { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    ),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await review.run()) {
      toast.show(t('gr.receipt.reviewed'), 'success');
      onDone();
    }
  };
  return (
    <form
      className="gr-form gr-fieldset"
      onSubmit={submit}
      aria-label={t('gr.receipt.reviewOf', { number: receipt.documentNumber })}
    >
      <h3>{t('gr.receipt.reviewOf', { number: receipt.documentNumber })}</h3>
      <fieldset className="gr-fieldset">
        <legend>{t('gr.case.outcome')}</legend>
        {(['approve', 'observe', 'reject'] as const).map((d) => (
          <label key={d} className="gr-check">
            <input
              type="radio"
              name="receipt-decision"
              value={d}
              checked={decision === d}
              onChange={() => setDecision(d)}
            />
            <span>{t(`gr.receipt.decision.${d}`)}</span>
          </label>
        ))}
      </fieldset>
      <TextArea
        label={t('gr.case.reason')}
        hint={t('gr.case.reasonHint')}
        required={decision !== 'approve'}
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <ServerError error={review.error} />
      <div className="row">
        <Button type="submit" busy={review.busy} variant={decision === 'reject' ? 'danger' : 'primary'}>
          {t('gr.receipt.recordReview')}
        </Button>
        <Button variant="secondary" onClick={onClose}>
          {t('gr.cancel')}
        </Button>
      </div>
    </form>
  );
}

const DTE_TYPES = ['01', '03', '05', '06', '11', '14', '15', 'paper'] as const;

function ReceiptForm({
  agreement,
  openReportId,
  onDone,
}: {
  agreement: Agreement;
  openReportId: string | null;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const empty = {
    supplierNit: '',
    supplierName: '',
    documentType: '01',
    documentNumber: '',
    generationCode: '',
    issuedOn: '',
    amount: '',
    budgetLineCode: '',
    description: '',
  };
  const [f, setF] = useState(empty);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Receipt | null>(null);
  const upload = useAction(async () => {
    const cents = dollarsToCents(f.amount);
    if (cents === null) throw new Error(t('gr.form.badAmountOne'));
    if (!file) throw new Error(t('gr.docs.pickFile'));
    const read = await readFile(file);
    let reportId = openReportId;
    if (!reportId) {
      const report = await unwrap(
        api.POST('/api/v1/grants/agreements/{id}/expense-reports', {
          params: { path: { id: agreement.id } },
          headers: idem(),
          body: { description: t('gr.report.defaultDescription', { date: today() }) },
        }),
      );
      reportId = report.id;
    }
    return unwrap(
      api.POST('/api/v1/grants/expense-reports/{id}/receipts', {
        params: { path: { id: reportId } },
        headers: idem(),
        body: {
          supplierNit: f.supplierNit.trim(),
          supplierName: f.supplierName.trim(),
          documentType: f.documentType as (typeof DTE_TYPES)[number],
          documentNumber: f.documentNumber.trim(),
          ...(f.generationCode.trim() ? { generationCode: f.generationCode.trim() } : {}),
          issuedOn: f.issuedOn,
          amountCents: cents,
          budgetLineCode: f.budgetLineCode,
          description: f.description.trim(),
          file: { data: read.data, fileName: read.fileName, mime: read.mime },
        },
      }),
    );
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await upload.run();
    if (saved) {
      setResult(saved);
      setF(empty);
      setFile(null);
      (event.target as HTMLFormElement).reset();
      toast.show(t('gr.receipt.uploaded'), saved.checks.length > 0 ? 'info' : 'success');
      onDone();
    }
  };
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setF((x) => ({ ...x, [key]: e.target.value }));
  return (
    <form className="gr-form gr-fieldset" onSubmit={submit} aria-label={t('gr.receipt.upload')}>
      <h3>{t('gr.receipt.upload')}</h3>
      <div className="gr-grid">
        <TextField
          label={t('gr.receipt.supplierNit')}
          required
          value={f.supplierNit}
          onChange={set('supplierNit')}
        />
        <TextField
          label={t('gr.receipt.supplierName')}
          required
          value={f.supplierName}
          onChange={set('supplierName')}
        />
        <Select
          label={t('gr.receipt.documentType')}
          required
          value={f.documentType}
          options={DTE_TYPES.map((d) => ({ value: d, label: t(`gr.dte.${d}`) }))}
          onChange={set('documentType')}
        />
        <TextField
          label={t('gr.receipt.documentNumber')}
          required
          value={f.documentNumber}
          onChange={set('documentNumber')}
        />
        <TextField
          label={t('gr.receipt.generationCode')}
          value={f.generationCode}
          onChange={set('generationCode')}
        />
        <TextField
          label={t('gr.receipt.issuedOn')}
          type="date"
          required
          value={f.issuedOn}
          onChange={set('issuedOn')}
        />
        <TextField
          label={t('gr.form.amountUsd')}
          required
          inputMode="decimal"
          value={f.amount}
          onChange={set('amount')}
        />
        <Select
          label={t('gr.receipt.line')}
          required
          value={f.budgetLineCode}
          placeholder={t('gr.choose')}
          options={agreement.reconciliation.lines.map((l) => ({
            value: l.lineCode,
            label: `${l.lineCode} · ${l.description}`,
          }))}
          onChange={set('budgetLineCode')}
        />
        <TextField
          label={t('gr.receipt.description')}
          required
          value={f.description}
          onChange={set('description')}
        />
        <TextField
          label={t('gr.receipt.file')}
          type="file"
          required
          accept="application/pdf,image/jpeg,image/png"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <ServerError error={upload.error} />
      {result && result.checks.length > 0 ? (
        <div className="alert alert--warning" role="status">
          <strong>{t('gr.receipt.flagged')}</strong>
          <ul>
            {result.checks.map((c) => (
              <li key={c.code}>{c.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <Button type="submit" busy={upload.busy}>
          {t('gr.receipt.uploadButton')}
        </Button>
      </div>
    </form>
  );
}

function Monitoring({
  agreementId,
  open,
  generation,
  onChange,
}: {
  agreementId: string;
  open: boolean;
  generation: number;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const monitoring = useAsync(
    () =>
      unwrap(api.GET('/api/v1/grants/agreements/{id}/monitoring', { params: { path: { id: agreementId } } })),
    [agreementId, generation],
  );
  const decide = useAction((visit: Visit, outcome: 'approve' | 'return', reason?: string) =>
    unwrap(
      api.POST('/api/v1/grants/visits/{id}/decision', {
        params: { path: { id: visit.id } },
        headers: idem(),
        body: { outcome, ...(reason ? { reason } : {}) },
      }),
    ),
  );
  const canVisit = auth.can('grant.monitoring.visit');
  return (
    <Section
      id="gr-monitoring"
      title={t('gr.visit.listTitle')}
      actions={
        canVisit ? (
          <Link className="btn btn--secondary" to={`${BASE}/convenios/${agreementId}/visita`}>
            {t('gr.visit.new')}
          </Link>
        ) : null
      }
    >
      {monitoring.error ? <ErrorState error={monitoring.error} onRetry={monitoring.reload} /> : null}
      {monitoring.data && monitoring.data.indicators.length > 0 ? (
        <IndicatorProgress
          agreementId={agreementId}
          indicators={monitoring.data.indicators}
          canReport={open}
          onDone={onChange}
        />
      ) : null}
      {monitoring.data && monitoring.data.visits.length === 0 ? (
        <p className="muted">{t('gr.visit.none')}</p>
      ) : null}
      <ul className="gr-list">
        {(monitoring.data?.visits ?? []).map((v) => (
          <li key={v.id}>
            <strong>{day(v.visitedOn)}</strong> · {t(`gr.visit.type.${v.visitType}`)} ·{' '}
            <StatusChip status={v.status} prefix="gr.visit.st" />
            <ul>
              {v.findings.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
            <span className="muted">{t('gr.visit.photosN', { n: v.photos.length })}</span>
            {canVisit && v.status === 'submitted' ? (
              <div className="row">
                <Button
                  variant="secondary"
                  busy={decide.busy}
                  onClick={async () => {
                    if (await decide.run(v, 'approve')) {
                      toast.show(t('gr.visit.approved'), 'success');
                      onChange();
                    }
                  }}
                >
                  {t('gr.visit.approve')}
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ServerError error={decide.error} />
    </Section>
  );
}

type Indicator = ApiResponse<'/api/v1/grants/agreements/{id}/monitoring'>['indicators'][number];

/** Indicator progress: each report listed, and a form to report a new value (NGO or monitoring). */
function IndicatorProgress({
  agreementId,
  indicators,
  canReport,
  onDone,
}: {
  agreementId: string;
  indicators: Indicator[];
  canReport: boolean;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [f, setF] = useState({ code: '', from: '', to: '', value: '', notes: '' });
  const report = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/agreements/{id}/indicator-reports', {
        params: { path: { id: agreementId } },
        headers: idem(),
        body: {
          indicatorCode: f.code,
          periodFrom: f.from,
          periodTo: f.to,
          value: Number(f.value.replace(',', '.')),
          ...(f.notes.trim() ? { notes: f.notes.trim() } : {}),
        },
      }),
    ),
  );
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) =>
    setF((x) => ({ ...x, [key]: e.target.value }));
  return (
    <div className="stack">
      <Table<Indicator>
        caption={t('gr.indicator.progress')}
        rows={indicators}
        rowKey={(i) => i.code}
        columns={[
          { key: 'name', header: t('gr.form.indicator'), render: (i) => `${i.code} · ${i.name} (${i.unit})` },
          { key: 'base', header: t('gr.form.baseline'), render: (i) => i.baseline, numeric: true },
          { key: 'target', header: t('gr.form.target'), render: (i) => i.target, numeric: true },
          {
            key: 'reports',
            header: t('gr.indicator.reports'),
            render: (i) =>
              i.reports.length === 0
                ? '—'
                : i.reports.map((r) => `${day(r.periodFrom)}–${day(r.periodTo)}: ${r.value}`).join('; '),
          },
        ]}
      />
      {canReport ? (
        <form
          className="gr-form gr-fieldset"
          aria-label={t('gr.indicator.report')}
          onSubmit={async (e) => {
            e.preventDefault();
            if (await report.run()) {
              toast.show(t('gr.indicator.reported'), 'success');
              setF({ code: '', from: '', to: '', value: '', notes: '' });
              onDone();
            }
          }}
        >
          <h3>{t('gr.indicator.report')}</h3>
          <div className="gr-grid">
            <Select
              label={t('gr.form.indicator')}
              required
              value={f.code}
              placeholder={t('gr.choose')}
              options={indicators.map((i) => ({ value: i.code, label: `${i.code} · ${i.name}` }))}
              onChange={set('code')}
            />
            <TextField
              label={t('gr.indicator.from')}
              type="date"
              required
              value={f.from}
              onChange={set('from')}
            />
            <TextField label={t('gr.indicator.to')} type="date" required value={f.to} onChange={set('to')} />
            <TextField
              label={t('gr.indicator.value')}
              required
              inputMode="decimal"
              value={f.value}
              onChange={set('value')}
            />
            <TextField label={t('gr.indicator.notes')} value={f.notes} onChange={set('notes')} />
          </div>
          <ServerError error={report.error} />
          <div>
            <Button type="submit" variant="secondary" busy={report.busy}>
              {t('gr.indicator.submit')}
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function LiquidationSection({
  agreement,
  generation,
  onChange,
}: {
  agreement: Agreement;
  generation: number;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const liq = useAsync<Liquidation>(
    () =>
      unwrap(
        api.GET('/api/v1/grants/agreements/{id}/liquidation', { params: { path: { id: agreement.id } } }),
      ),
    [agreement.id, generation],
  );
  const [refund, setRefund] = useState({ amount: '', reference: '', paidOn: '', line: '' });
  const [report, setReport] = useState('');
  const addRefund = useAction(() => {
    const cents = dollarsToCents(refund.amount);
    if (cents === null) throw new Error(t('gr.form.badAmountOne'));
    return unwrap(
      api.POST('/api/v1/grants/agreements/{id}/refunds', {
        params: { path: { id: agreement.id } },
        headers: idem(),
        body: {
          amountCents: cents,
          reference: refund.reference.trim(),
          paidOn: refund.paidOn,
          ...(refund.line ? { budgetLineCode: refund.line } : {}),
        },
      }),
    );
  });
  const submitLiq = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/agreements/{id}/liquidation', {
        params: { path: { id: agreement.id } },
        headers: idem(),
        body: { finalReport: report.trim() },
      }),
    ),
  );
  const close = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/agreements/{id}/close', {
        params: { path: { id: agreement.id } },
        headers: idem(),
      }),
    ),
  );
  if (liq.loading && !liq.data) return <Loading />;
  if (liq.error) return <ErrorState error={liq.error} onRetry={liq.reload} />;
  const l = liq.data;
  if (!l) return null;
  const inExecution = ['in_execution', 'liquidation_overdue'].includes(l.planStatus);
  const canSubmit = auth.can('grant.ngo.submit') || auth.can('grant.liquidate');
  return (
    <Section id="gr-liquidation" title={t('gr.liq.title')}>
      <Facts
        items={[
          [t('gr.plan.status'), <StatusChip key="s" status={l.planStatus} />],
          [t('gr.rec.disbursed'), <Money key="d" cents={l.disbursedCents} />],
          [t('gr.rec.justified'), <Money key="j" cents={l.justifiedCents} />],
          [t('gr.rec.refunded'), <Money key="r" cents={l.refundedCents} />],
          [t('gr.rec.balance'), <Money key="b" cents={l.balanceCents} />],
          [t('gr.agreement.liquidationDue'), l.liquidationDueAt ? formatDateTime(l.liquidationDueAt) : '—'],
        ]}
      />
      {l.refunds.length > 0 ? (
        <Table<Liquidation['refunds'][number]>
          caption={t('gr.liq.refunds')}
          rows={l.refunds}
          rowKey={(r) => r.id}
          columns={[
            { key: 'ref', header: t('gr.liq.reference'), render: (r) => r.reference },
            { key: 'on', header: t('gr.liq.paidOn'), render: (r) => day(r.paidOn) },
            { key: 'line', header: t('gr.receipt.line'), render: (r) => r.budgetLineCode ?? '—' },
            {
              key: 'amount',
              header: t('gr.amount'),
              render: (r) => <Money cents={r.amountCents} />,
              numeric: true,
            },
          ]}
        />
      ) : null}
      {l.liquidations.length > 0 ? (
        <ul className="gr-list" aria-label={t('gr.liq.history')}>
          {l.liquidations.map((x) => (
            <li key={x.id}>
              {formatDateTime(x.submittedAt)} · <StatusChip status={x.status} prefix="gr.liq.st" />
              {x.decisionReason ? <p className="gr-reason">{x.decisionReason}</p> : null}
              {x.caseId && x.status === 'submitted' && auth.can('grant.liquidate') ? (
                <>
                  {' '}
                  <Link to={`${BASE}/expedientes/${x.caseId}`}>{t('gr.liq.openCase')}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {inExecution && canSubmit ? (
        <>
          <form
            className="gr-form gr-fieldset"
            aria-label={t('gr.liq.refund')}
            onSubmit={async (e) => {
              e.preventDefault();
              if (await addRefund.run()) {
                toast.show(t('gr.liq.refundRecorded'), 'success');
                setRefund({ amount: '', reference: '', paidOn: '', line: '' });
                onChange();
              }
            }}
          >
            <h3>{t('gr.liq.refund')}</h3>
            <div className="gr-grid">
              <TextField
                label={t('gr.form.amountUsd')}
                required
                inputMode="decimal"
                value={refund.amount}
                onChange={(e) => setRefund({ ...refund, amount: e.target.value })}
              />
              <TextField
                label={t('gr.liq.reference')}
                required
                value={refund.reference}
                onChange={(e) => setRefund({ ...refund, reference: e.target.value })}
              />
              <TextField
                label={t('gr.liq.paidOn')}
                type="date"
                required
                value={refund.paidOn}
                onChange={(e) => setRefund({ ...refund, paidOn: e.target.value })}
              />
              <Select
                label={t('gr.receipt.line')}
                value={refund.line}
                placeholder={t('gr.optionalChoose')}
                options={l.lines.map((x) => ({
                  value: x.lineCode,
                  label: `${x.lineCode} · ${x.description}`,
                }))}
                onChange={(e) => setRefund({ ...refund, line: e.target.value })}
              />
            </div>
            <ServerError error={addRefund.error} />
            <div>
              <Button type="submit" variant="secondary" busy={addRefund.busy}>
                {t('gr.liq.recordRefund')}
              </Button>
            </div>
          </form>
          <form
            className="gr-form gr-fieldset"
            aria-label={t('gr.liq.submitTitle')}
            onSubmit={async (e) => {
              e.preventDefault();
              if (await submitLiq.run()) {
                toast.show(t('gr.liq.submitted'), 'success');
                onChange();
              }
            }}
          >
            <h3>{t('gr.liq.submitTitle')}</h3>
            <TextArea
              label={t('gr.liq.finalReport')}
              required
              rows={4}
              maxLength={20000}
              value={report}
              onChange={(e) => setReport(e.target.value)}
            />
            <ServerError error={submitLiq.error} />
            <div>
              <Button type="submit" busy={submitLiq.busy}>
                {t('gr.liq.submit')}
              </Button>
            </div>
          </form>
        </>
      ) : null}
      {l.planStatus === 'liquidated' && auth.can('grant.liquidate') ? (
        <div className="row">
          <Button
            busy={close.busy}
            onClick={async () => {
              if (await close.run()) {
                toast.show(t('gr.liq.closed'), 'success');
                onChange();
              }
            }}
          >
            {t('gr.liq.close')}
          </Button>
        </div>
      ) : null}
      <ServerError error={close.error} />
    </Section>
  );
}
