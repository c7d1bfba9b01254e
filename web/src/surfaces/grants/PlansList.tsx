import { Link, useNavigate } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ErrorState, Loading, Table, useAsync } from '../../ui';
import { BASE, Money, Section, StatusChip, XlsxButton } from './common';

type Plan = ApiResponse<'/api/v1/grants/plans'>['items'][number];

/** Plans (NGO staff: those of their organisation). */
export default function PlansList() {
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  const plans = useAsync(() => unwrap(api.GET('/api/v1/grants/plans', { params: { query: {} } })), []);
  return (
    <Section
      id="gr-plans"
      title={t('gr.plans.title')}
      actions={
        <>
          <XlsxButton path="/api/v1/grants/plans" fileName="planes.xlsx" label={t('gr.dash.xlsx')} />
          {auth.can('grant.ngo.submit') ? (
            <Link className="btn btn--primary" to={`${BASE}/planes/nuevo`}>
              {t('gr.plans.new')}
            </Link>
          ) : null}
        </>
      }
    >
      {plans.loading && !plans.data ? <Loading /> : null}
      {plans.error ? <ErrorState error={plans.error} onRetry={plans.reload} /> : null}
      {plans.data ? (
        <Table<Plan>
          caption={t('gr.plans.title')}
          captionHidden
          rows={plans.data.items}
          rowKey={(p) => p.id}
          empty={t('gr.plans.empty')}
          onRowActivate={(p) => navigate(`${BASE}/planes/${p.id}`)}
          columns={[
            {
              key: 'code',
              header: t('gr.form.code'),
              render: (p) => <Link to={`${BASE}/planes/${p.id}`}>{p.code}</Link>,
            },
            { key: 'title', header: t('gr.form.title'), render: (p) => p.title },
            { key: 'org', header: t('gr.plan.organisation'), render: (p) => p.organisationName },
            { key: 'call', header: t('gr.plan.call'), render: (p) => p.callCode },
            { key: 'status', header: t('gr.plan.status'), render: (p) => <StatusChip status={p.status} /> },
            {
              key: 'req',
              header: t('gr.plan.requested'),
              render: (p) => <Money cents={p.requestedCents} />,
              numeric: true,
            },
            {
              key: 'appr',
              header: t('gr.plan.approved'),
              render: (p) => <Money cents={p.approvedCents} />,
              numeric: true,
            },
          ]}
        />
      ) : null}
    </Section>
  );
}
