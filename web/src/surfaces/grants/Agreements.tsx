import { Link, useNavigate } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { formatDate, useI18n } from '../../i18n';
import { ErrorState, Loading, Table, useAsync } from '../../ui';
import { BASE, Money, Section, StatusChip, XlsxButton } from './common';

type Agreement = ApiResponse<'/api/v1/grants/agreements'>['items'][number];

/** Agreements (NGO staff: their own). */
export default function Agreements() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useAsync(() => unwrap(api.GET('/api/v1/grants/agreements', { params: { query: {} } })), []);
  return (
    <Section
      id="gr-agreements"
      title={t('gr.agreements.title')}
      actions={
        <XlsxButton path="/api/v1/grants/agreements" fileName="convenios.xlsx" label={t('gr.dash.xlsx')} />
      }
    >
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <Table<Agreement>
          caption={t('gr.agreements.title')}
          captionHidden
          rows={list.data.items}
          rowKey={(a) => a.id}
          empty={t('gr.agreements.empty')}
          onRowActivate={(a) => navigate(`${BASE}/convenios/${a.id}`)}
          columns={[
            {
              key: 'number',
              header: t('gr.agreement.number'),
              render: (a) => <Link to={`${BASE}/convenios/${a.id}`}>{a.number}</Link>,
            },
            { key: 'org', header: t('gr.plan.organisation'), render: (a) => a.organisationName },
            { key: 'plan', header: t('gr.agreement.plan'), render: (a) => `${a.planCode} · ${a.planTitle}` },
            {
              key: 'status',
              header: t('gr.plan.status'),
              render: (a) => <StatusChip status={a.planStatus} />,
            },
            {
              key: 'period',
              header: t('gr.agreement.period'),
              render: (a) =>
                `${formatDate(`${a.startsOn}T12:00:00Z`)} – ${formatDate(`${a.endsOn}T12:00:00Z`)}`,
            },
            {
              key: 'amount',
              header: t('gr.amount'),
              render: (a) => <Money cents={a.amountCents} />,
              numeric: true,
            },
          ]}
        />
      ) : null}
    </Section>
  );
}
