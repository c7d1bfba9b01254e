import { Link } from 'react-router';
import { type ApiResponse, api, unwrap } from '../../api';
import { formatDateTime, useI18n } from '../../i18n';
import { ErrorState, Loading, Table, useAsync } from '../../ui';
import { BASE, Section, XlsxButton } from './common';

type Item = ApiResponse<'/api/v1/workflow/inbox'>['items'][number];

/** My inbox: steps waiting for my decision, overdue first (the server's order). */
export default function Inbox() {
  const { t, locale } = useI18n();
  const inbox = useAsync(() => unwrap(api.GET('/api/v1/workflow/inbox', { params: { query: {} } })), []);
  return (
    <Section
      id="gr-inbox"
      title={t('gr.inbox.title')}
      actions={<XlsxButton path="/api/v1/workflow/inbox" fileName="bandeja.xlsx" label={t('gr.dash.xlsx')} />}
    >
      <p className="muted">{t('gr.inbox.hint')}</p>
      {inbox.loading && !inbox.data ? <Loading /> : null}
      {inbox.error ? <ErrorState error={inbox.error} onRetry={inbox.reload} /> : null}
      {inbox.data ? (
        <Table<Item>
          caption={t('gr.inbox.caption')}
          captionHidden
          rows={inbox.data.items}
          rowKey={(row) => `${row.caseId}-${row.step.code}`}
          empty={t('gr.inbox.empty')}
          columns={[
            {
              key: 'title',
              header: t('gr.inbox.case'),
              render: (row) => <Link to={`${BASE}/expedientes/${row.caseId}`}>{row.title}</Link>,
            },
            {
              key: 'workflow',
              header: t('gr.inbox.workflow'),
              render: (row) => (locale === 'en' ? row.definition.nameEn : row.definition.nameEs),
            },
            {
              key: 'step',
              header: t('gr.inbox.step'),
              render: (row) => (locale === 'en' ? row.step.nameEn : row.step.nameEs),
            },
            { key: 'opened', header: t('gr.inbox.opened'), render: (row) => formatDateTime(row.openedAt) },
            {
              key: 'due',
              header: t('gr.inbox.due'),
              render: (row) =>
                row.dueAt ? (
                  <span>
                    {formatDateTime(row.dueAt)}{' '}
                    {row.overdue ? <span className="gr-chip gr-chip--overdue">{t('gr.overdue')}</span> : null}
                  </span>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      ) : null}
    </Section>
  );
}
