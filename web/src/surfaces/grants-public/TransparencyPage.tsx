import { type ApiResponse, api, unwrap } from '../../api';
import { formatDateTime, useI18n } from '../../i18n';
import { ErrorState, Loading, Table, useAsync } from '../../ui';
import { LanguageSwitch } from '../../ui/layout/LanguageSwitch';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { Facts, Money, Section, StatusChip } from '../grants/common';
import '../grants/grants.css';

type Data = ApiResponse<'/api/v1/public/grants'>;
type Org = Data['organisations'][number];
type Agreement = Data['agreements'][number];

/** Public page: organisations, agreements, amounts, indicator results; CSV and IATI downloads. */
export default function TransparencyPage() {
  const { t } = useI18n();
  usePageTitle(t('grp.title'));
  const data = useAsync(() => unwrap(api.GET('/api/v1/public/grants')), []);
  return (
    <main className="gr-public" id="main">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>{t('grp.title')}</h1>
        <LanguageSwitch />
      </div>
      <p>{t('grp.intro')}</p>
      <p className="row">
        <a className="btn btn--secondary" href="/api/v1/public/grants.csv" download>
          {t('grp.csv')}
        </a>
        <a className="btn btn--secondary" href="/api/v1/public/grants/iati.xml" download>
          {t('grp.iati')}
        </a>
      </p>
      {data.loading && !data.data ? <Loading /> : null}
      {data.error ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.data ? (
        <>
          <Section id="grp-totals" title={t('grp.totals')}>
            <Facts
              items={[
                [t('grp.agreementAmount'), <Money key="a" cents={data.data.totals.agreementCents} />],
                [t('gr.rec.disbursed'), <Money key="d" cents={data.data.totals.disbursedCents} />],
                [t('gr.rec.justified'), <Money key="j" cents={data.data.totals.justifiedCents} />],
                [t('gr.rec.refunded'), <Money key="r" cents={data.data.totals.refundedCents} />],
                [t('grp.liquidated'), <Money key="l" cents={data.data.totals.liquidatedCents} />],
              ]}
            />
            <p className="muted">{t('grp.generatedAt', { at: formatDateTime(data.data.generatedAt) })}</p>
          </Section>
          <Section id="grp-orgs" title={t('grp.organisations')}>
            <Table<Org>
              caption={t('grp.organisations')}
              captionHidden
              rows={data.data.organisations}
              rowKey={(o) => o.id}
              empty={t('grp.noOrganisations')}
              columns={[
                {
                  key: 'name',
                  header: t('gr.plan.organisation'),
                  render: (o) => (o.acronym ? `${o.name} (${o.acronym})` : o.name),
                },
                { key: 'type', header: t('gr.org.type'), render: (o) => t(`gr.org.type.${o.type}`) },
                { key: 'n', header: t('grp.agreementsCount'), render: (o) => o.agreements, numeric: true },
                {
                  key: 'amount',
                  header: t('grp.agreementAmount'),
                  render: (o) => <Money cents={o.agreementCents} />,
                  numeric: true,
                },
                {
                  key: 'disb',
                  header: t('gr.rec.disbursed'),
                  render: (o) => <Money cents={o.disbursedCents} />,
                  numeric: true,
                },
              ]}
            />
          </Section>
          <Section id="grp-agreements" title={t('gr.agreements.title')}>
            {data.data.agreements.length === 0 ? <p className="muted">{t('gr.agreements.empty')}</p> : null}
            {data.data.agreements.map((a) => (
              <article key={a.id} className="card stack" aria-labelledby={`grp-a-${a.id}`}>
                <h3 id={`grp-a-${a.id}`}>
                  {a.number} · {a.title}
                </h3>
                <Facts
                  items={[
                    [t('gr.plan.organisation'), a.organisationName],
                    [t('grp.programme'), `${a.programme} (${a.callCode}, ${a.fiscalYear})`],
                    [t('gr.plan.status'), <StatusChip key="s" status={a.status} />],
                    [t('gr.agreement.period'), `${a.startsOn} – ${a.endsOn}`],
                    [t('grp.agreementAmount'), <Money key="a" cents={a.agreementCents} />],
                    [t('gr.rec.disbursed'), <Money key="d" cents={a.disbursedCents} />],
                    [t('gr.rec.justified'), <Money key="j" cents={a.justifiedCents} />],
                    [t('gr.rec.refunded'), <Money key="r" cents={a.refundedCents} />],
                    [t('grp.liquidated'), <Money key="l" cents={a.liquidatedCents} />],
                  ]}
                />
                {a.indicators.length > 0 ? (
                  <Table<Agreement['indicators'][number]>
                    caption={t('grp.indicatorsOf', { number: a.number })}
                    rows={a.indicators}
                    rowKey={(i) => i.code}
                    columns={[
                      { key: 'name', header: t('gr.form.indicator'), render: (i) => `${i.name} (${i.unit})` },
                      {
                        key: 'base',
                        header: t('gr.form.baseline'),
                        render: (i) => i.baseline,
                        numeric: true,
                      },
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
              </article>
            ))}
          </Section>
        </>
      ) : null}
    </main>
  );
}
