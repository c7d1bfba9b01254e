import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
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
import { BASE, idem, Money, Section, ServerError, StatusChip, today, XlsxButton } from './common';

type Disbursement = ApiResponse<'/api/v1/grants/disbursements'>['items'][number];
type Status = 'requested' | 'authorised' | 'paid' | 'rejected';

/** Finance: disbursement requests → authorisation (UFI) → payment with its reference (Tesorería). */
export default function Finance() {
  const { t } = useI18n();
  const auth = useAuth();
  const [status, setStatus] = useState<Status | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useAsync(
    () => unwrap(api.GET('/api/v1/grants/disbursements', { params: { query: status ? { status } : {} } })),
    [status],
  );
  const current = list.data?.items.find((d) => d.id === selected) ?? null;
  return (
    <div className="stack">
      <Section
        id="gr-finance"
        title={t('gr.finance.title')}
        actions={
          <XlsxButton
            path="/api/v1/grants/disbursements"
            fileName="desembolsos.xlsx"
            label={t('gr.dash.xlsx')}
          />
        }
      >
        <Select
          label={t('gr.finance.filter')}
          value={status}
          placeholder={t('gr.all')}
          options={(['requested', 'authorised', 'paid', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`gr.disb.${s}`),
          }))}
          onChange={(e) => setStatus(e.target.value as Status | '')}
        />
        {list.loading && !list.data ? <Loading /> : null}
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
        {list.data ? (
          <Table<Disbursement>
            caption={t('gr.finance.title')}
            captionHidden
            rows={list.data.items}
            rowKey={(d) => d.id}
            selectedKey={selected}
            onRowActivate={(d) => setSelected(d.id)}
            empty={t('gr.finance.empty')}
            columns={[
              {
                key: 'agr',
                header: t('gr.agreement.number'),
                render: (d) => <Link to={`${BASE}/convenios/${d.agreementId}`}>{d.agreementNumber}</Link>,
              },
              { key: 'org', header: t('gr.plan.organisation'), render: (d) => d.organisationName },
              { key: 'tr', header: t('gr.tranche.number'), render: (d) => d.trancheNumber },
              {
                key: 'amount',
                header: t('gr.amount'),
                render: (d) => <Money cents={d.amountCents} />,
                numeric: true,
              },
              {
                key: 'status',
                header: t('gr.plan.status'),
                render: (d) => <StatusChip status={d.status} prefix="gr.disb" />,
              },
              {
                key: 'at',
                header: t('gr.finance.requestedAt'),
                render: (d) => formatDateTime(d.requestedAt),
              },
              { key: 'ref', header: t('gr.finance.reference'), render: (d) => d.paymentReference ?? '—' },
              {
                key: 'act',
                header: t('gr.actions'),
                render: (d) =>
                  (d.status === 'requested' && auth.can('grant.finance.disburse')) ||
                  (d.status === 'authorised' && auth.can('grant.finance.pay')) ? (
                    <Button variant="secondary" onClick={() => setSelected(d.id)}>
                      {d.status === 'requested'
                        ? t('gr.finance.authoriseOf', { n: d.agreementNumber })
                        : t('gr.finance.payOf', { n: d.agreementNumber })}
                    </Button>
                  ) : null,
              },
            ]}
          />
        ) : null}
      </Section>
      {current ? (
        <DisbursementPanel
          key={`${current.id}-${current.status}`}
          d={current}
          onDone={(updated) => {
            list.setData((prev) => ({
              items: (prev?.items ?? []).map((x) => (x.id === updated.id ? updated : x)),
            }));
          }}
        />
      ) : null}
    </div>
  );
}

function DisbursementPanel({ d, onDone }: { d: Disbursement; onDone: (d: Disbursement) => void }) {
  const { t } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const [outcome, setOutcome] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(today());
  const decide = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/disbursements/{id}/decision', {
        params: { path: { id: d.id } },
        headers: idem(),
        body: { outcome, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    ),
  );
  const pay = useAction(() =>
    unwrap(
      api.POST('/api/v1/grants/disbursements/{id}/payment', {
        params: { path: { id: d.id } },
        headers: idem(),
        body: { paymentReference: reference.trim(), paidOn },
      }),
    ),
  );
  const onDecide = async (e: FormEvent) => {
    e.preventDefault();
    const updated = await decide.run();
    if (updated) {
      toast.show(outcome === 'approve' ? t('gr.finance.authorised') : t('gr.finance.rejected'), 'success');
      onDone(updated);
    }
  };
  const onPay = async (e: FormEvent) => {
    e.preventDefault();
    const updated = await pay.run();
    if (updated) {
      toast.show(t('gr.finance.paid'), 'success');
      onDone(updated);
    }
  };
  return (
    <Section
      id="gr-disbursement"
      title={t('gr.finance.panel', { n: d.agreementNumber, tranche: d.trancheNumber })}
    >
      <p>
        <StatusChip status={d.status} prefix="gr.disb" /> <Money cents={d.amountCents} /> ·{' '}
        {d.organisationName}
        {d.paidOn ? ` · ${t('gr.finance.paidOn', { date: formatDate(`${d.paidOn}T12:00:00Z`) })}` : ''}
      </p>
      {d.conditions.length > 0 ? (
        <ul>
          {d.conditions.map((c) => (
            <li key={c.code}>
              {c.met ? '✔' : '✖'}{' '}
              <span className="visually-hidden">{c.met ? t('gr.met') : t('gr.unmet')}</span> {c.message}
            </li>
          ))}
        </ul>
      ) : null}
      {d.rejectedReason ? <p className="gr-reason">{d.rejectedReason}</p> : null}
      {d.status === 'requested' && auth.can('grant.finance.disburse') ? (
        <form className="gr-form" onSubmit={onDecide} aria-label={t('gr.finance.decision')}>
          <fieldset className="gr-fieldset">
            <legend>{t('gr.finance.decision')}</legend>
            {(['approve', 'reject'] as const).map((o) => (
              <label key={o} className="gr-check">
                <input
                  type="radio"
                  name="disb-outcome"
                  value={o}
                  checked={outcome === o}
                  onChange={() => setOutcome(o)}
                />
                <span>{t(`gr.finance.outcome.${o}`)}</span>
              </label>
            ))}
          </fieldset>
          <TextArea
            label={t('gr.case.reason')}
            hint={t('gr.case.reasonHint')}
            required={outcome === 'reject'}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <ServerError error={decide.error} />
          <div>
            <Button type="submit" busy={decide.busy} variant={outcome === 'reject' ? 'danger' : 'primary'}>
              {t('gr.finance.recordDecision')}
            </Button>
          </div>
        </form>
      ) : null}
      {d.status === 'authorised' && auth.can('grant.finance.pay') ? (
        <form className="gr-form" onSubmit={onPay} aria-label={t('gr.finance.payment')}>
          <div className="gr-grid">
            <TextField
              label={t('gr.finance.reference')}
              required
              minLength={3}
              maxLength={100}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
            <TextField
              label={t('gr.finance.paidOnLabel')}
              type="date"
              required
              value={paidOn}
              onChange={(e) => setPaidOn(e.target.value)}
            />
          </div>
          <ServerError error={pay.error} />
          <div>
            <Button type="submit" busy={pay.busy}>
              {t('gr.finance.recordPayment')}
            </Button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}
