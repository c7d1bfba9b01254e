import { Link } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { formatDateTime, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, Table, useAction, useAsync } from '../../ui';
import { BASE, Facts, Money, openProtectedFile, Section, ServerError, StatusChip } from './common';

type Dash = ApiResponse<'/api/v1/grants/dashboard'>;
type XlsxList = 'byStatus' | 'byProgramme' | 'overdueReviews' | 'overdueLiquidations' | 'redFlags';

/** Internal dashboard: funds by status and programme, overdue reviews and liquidations, red flags. */
export default function Dashboard() {
  const { t } = useI18n();
  const dash = useAsync(() => unwrap(api.GET('/api/v1/grants/dashboard', { params: { query: {} } })), []);
  const xlsx = useAction((list: XlsxList) =>
    openProtectedFile(`/api/v1/grants/dashboard?format=xlsx&list=${list}`, `tablero-${list}.xlsx`),
  );
  const titles: Record<XlsxList, string> = {
    byStatus: t('gr.dash.byStatus'),
    byProgramme: t('gr.dash.byProgramme'),
    overdueReviews: t('gr.dash.overdueReviews'),
    overdueLiquidations: t('gr.dash.overdueLiquidations'),
    redFlags: t('gr.dash.redFlags'),
  };
  const download = (list: XlsxList) => (
    <Button variant="secondary" onClick={() => void xlsx.run(list)}>
      {t('gr.dash.xlsx')}
      <span className="visually-hidden">: {titles[list]}</span>
    </Button>
  );
  if (dash.loading && !dash.data) return <Loading />;
  if (dash.error) return <ErrorState error={dash.error} onRetry={dash.reload} />;
  const d = dash.data;
  if (!d) return null;
  return (
    <div className="stack">
      <ServerError error={xlsx.error} />
      <Section id="gr-dash-status" title={t('gr.dash.byStatus')} actions={download('byStatus')}>
        <p className="muted">{t('grp.generatedAt', { at: formatDateTime(d.generatedAt) })}</p>
        <Table<Dash['byStatus'][number]>
          caption={t('gr.dash.byStatus')}
          captionHidden
          rows={d.byStatus}
          rowKey={(r) => r.status}
          columns={[
            { key: 's', header: t('gr.plan.status'), render: (r) => <StatusChip status={r.status} /> },
            { key: 'n', header: t('gr.dash.plans'), render: (r) => r.plans, numeric: true },
            {
              key: 'a',
              header: t('gr.amount'),
              render: (r) => <Money cents={r.amountCents} />,
              numeric: true,
            },
            {
              key: 'd',
              header: t('gr.rec.disbursed'),
              render: (r) => <Money cents={r.disbursedCents} />,
              numeric: true,
            },
          ]}
        />
      </Section>
      <Section id="gr-dash-programme" title={t('gr.dash.byProgramme')} actions={download('byProgramme')}>
        <Table<Dash['byProgramme'][number]>
          caption={t('gr.dash.byProgramme')}
          captionHidden
          rows={d.byProgramme}
          rowKey={(r) => r.programme}
          columns={[
            { key: 'p', header: t('grp.programme'), render: (r) => r.programme },
            { key: 'n', header: t('gr.dash.plans'), render: (r) => r.plans, numeric: true },
            {
              key: 'a',
              header: t('gr.amount'),
              render: (r) => <Money cents={r.amountCents} />,
              numeric: true,
            },
            {
              key: 'd',
              header: t('gr.rec.disbursed'),
              render: (r) => <Money cents={r.disbursedCents} />,
              numeric: true,
            },
          ]}
        />
      </Section>
      <Section id="gr-dash-reviews" title={t('gr.dash.overdueReviews')} actions={download('overdueReviews')}>
        <Table<Dash['overdueReviews'][number]>
          caption={t('gr.dash.overdueReviews')}
          captionHidden
          rows={d.overdueReviews}
          rowKey={(r) => `${r.caseId}-${r.step}`}
          empty={t('gr.dash.noneOverdue')}
          columns={[
            {
              key: 't',
              header: t('gr.inbox.case'),
              render: (r) => <Link to={`${BASE}/expedientes/${r.caseId}`}>{r.title}</Link>,
            },
            { key: 'w', header: t('gr.inbox.workflow'), render: (r) => r.workflow },
            { key: 's', header: t('gr.inbox.step'), render: (r) => r.step },
            { key: 'd', header: t('gr.dash.daysOverdue'), render: (r) => r.daysOverdue, numeric: true },
          ]}
        />
      </Section>
      <Section
        id="gr-dash-liq"
        title={t('gr.dash.overdueLiquidations')}
        actions={download('overdueLiquidations')}
      >
        <Table<Dash['overdueLiquidations'][number]>
          caption={t('gr.dash.overdueLiquidations')}
          captionHidden
          rows={d.overdueLiquidations}
          rowKey={(r) => r.planId}
          empty={t('gr.dash.noneOverdue')}
          columns={[
            {
              key: 'p',
              header: t('gr.agreement.plan'),
              render: (r) => <Link to={`${BASE}/planes/${r.planId}`}>{`${r.planCode} · ${r.title}`}</Link>,
            },
            { key: 'o', header: t('gr.plan.organisation'), render: (r) => r.organisationName },
            { key: 'a', header: t('gr.agreement.number'), render: (r) => r.agreementNumber ?? '—' },
            { key: 'd', header: t('gr.dash.daysOverdue'), render: (r) => r.daysOverdue, numeric: true },
          ]}
        />
      </Section>
      <Section id="gr-dash-flags" title={t('gr.dash.redFlags')} actions={download('redFlags')}>
        <Facts
          items={[
            [t('gr.dash.flaggedReceipts'), String(d.redFlags.flaggedReceipts)],
            [t('gr.dash.duplicateReceipts'), String(d.redFlags.duplicateReceipts)],
            [t('gr.dash.organisationsFlagged'), String(d.redFlags.organisationsFlagged)],
            [t('gr.dash.highFlags'), String(d.redFlags.organisationHighFlags)],
          ]}
        />
        <Table<Dash['redFlags']['organisations'][number]>
          caption={t('gr.dash.redFlags')}
          captionHidden
          rows={d.redFlags.organisations}
          rowKey={(r) => r.organisationId}
          empty={t('gr.flags.none')}
          columns={[
            { key: 'o', header: t('gr.plan.organisation'), render: (r) => r.organisationName },
            { key: 'h', header: t('gr.severity.high'), render: (r) => r.high, numeric: true },
            { key: 'm', header: t('gr.severity.medium'), render: (r) => r.medium, numeric: true },
            { key: 'l', header: t('gr.severity.low'), render: (r) => r.low, numeric: true },
            {
              key: 'c',
              header: t('gr.dash.codes'),
              render: (r) => <span className="mono">{r.codes.join(', ')}</span>,
            },
          ]}
        />
      </Section>
    </div>
  );
}
