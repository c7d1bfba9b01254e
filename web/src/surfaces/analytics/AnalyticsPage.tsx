import { type ReactNode, useMemo, useState } from 'react';
import { type ApiResponse, api, apiErrorFrom, authFetch, toApiError, unwrap } from '../../api';
import { formatDate, formatDuration, formatNumber, TIME_ZONE, useI18n } from '../../i18n';
import { Button, ErrorState, Loading, Select, Table, TextField, useAsync, useToast } from '../../ui';
import { BarChart, type BarDatum, LineChart } from './charts';
import './analytics.css';

type ResponseTimes = ApiResponse<'/api/v1/kpis/response-times'>;
type RtRow = ResponseTimes['rows'][number];
type Volumes = ApiResponse<'/api/v1/kpis/volumes'>;
type Utilisation = ApiResponse<'/api/v1/kpis/unit-utilisation'>;
type Satisfaction = ApiResponse<'/api/v1/kpis/satisfaction'>;
type Late = ApiResponse<'/api/v1/kpis/late-incidents'>;

type PeriodKind = 'today' | '7d' | '30d' | 'custom';

/** Today's calendar date in El Salvador, YYYY-MM-DD. */
function svDate(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(d);
}

interface Period {
  from: string;
  to: string;
}

function periodFor(kind: PeriodKind, custom: Period): Period {
  if (kind === 'today') return { from: svDate(), to: svDate() };
  if (kind === '7d') return { from: svDate(-6), to: svDate() };
  if (kind === '30d') return { from: svDate(-29), to: svDate() };
  return custom;
}

const pct = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${formatNumber(value, undefined, 1)} %`;
const secs = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : formatDuration(value);

function groupLabel(
  row: { group: Record<string, unknown>; labels: Record<string, string | null> },
  dim: string,
) {
  return (
    row.labels[dim] ??
    (row.group[dim] === null || row.group[dim] === undefined ? '—' : String(row.group[dim]))
  );
}

/** Downloads a KPI table as CSV/XLSX with the session's token (fetch → Blob → object URL). */
async function download(path: string, query: Record<string, string>, format: 'csv' | 'xlsx'): Promise<void> {
  const params = new URLSearchParams({ ...query, format });
  const response = await authFetch(new Request(`/api/v1${path}?${params}`));
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw apiErrorFrom(response.status, body);
  }
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `indicadores.${format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Downloads({ what, path, query }: { what: string; path: string; query: Record<string, string> }) {
  const { t } = useI18n();
  const toast = useToast();
  const run = (format: 'csv' | 'xlsx') => {
    download(path, query, format).catch((error: unknown) =>
      toast.show(t('an.downloadFailed', { message: toApiError(error).message }), 'error'),
    );
  };
  return (
    <div className="an-downloads">
      <Button variant="secondary" aria-label={t('an.csv', { what })} onClick={() => run('csv')}>
        {t('an.csvShort')}
      </Button>
      <Button variant="secondary" aria-label={t('an.xlsx', { what })} onClick={() => run('xlsx')}>
        {t('an.xlsxShort')}
      </Button>
    </div>
  );
}

function Card({
  title,
  download: dl,
  children,
}: {
  title: string;
  download?: { path: string; query: Record<string, string> };
  children: ReactNode;
}) {
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <section className="an-card" aria-labelledby={id}>
      <div className="an-card__head">
        <h2 id={id}>{title}</h2>
        {dl ? <Downloads what={title} path={dl.path} query={dl.query} /> : null}
      </div>
      {children}
    </section>
  );
}

function Section<T>({
  state,
  children,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  return <>{children(state.data)}</>;
}

export default function AnalyticsPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<PeriodKind>('7d');
  const [custom, setCustom] = useState<Period>({ from: svDate(-6), to: svDate() });
  const [department, setDepartment] = useState('');
  const period = periodFor(kind, custom);
  const validPeriod = /^\d{4}-\d{2}-\d{2}$/.test(period.from) && /^\d{4}-\d{2}-\d{2}$/.test(period.to);
  const { from, to } = period;
  const base = useMemo(() => ({ from, to, ...(department ? { department } : {}) }), [from, to, department]);
  const key = JSON.stringify(base);

  const departments = useAsync(() => unwrap(api.GET('/api/v1/geo/departments')), []);
  const deptNames = useMemo(
    () => new Map((departments.data ?? []).map((d) => [d.code, d.name])),
    [departments.data],
  );

  const rt = useAsync(async () => {
    const [overall, byDepartment, byDay] = await Promise.all([
      unwrap(api.GET('/api/v1/kpis/response-times', { params: { query: base } })),
      unwrap(api.GET('/api/v1/kpis/response-times', { params: { query: { ...base, by: 'department' } } })),
      unwrap(api.GET('/api/v1/kpis/response-times', { params: { query: { ...base, by: 'day' } } })),
    ]);
    return { overall, byDepartment, byDay };
  }, [key]);
  const volumes = useAsync(async () => {
    const [byFamily, byType, byDay] = await Promise.all([
      unwrap(api.GET('/api/v1/kpis/volumes', { params: { query: { ...base, by: 'family' } } })),
      unwrap(api.GET('/api/v1/kpis/volumes', { params: { query: { ...base, by: 'type' } } })),
      unwrap(api.GET('/api/v1/kpis/volumes', { params: { query: { ...base, by: 'day' } } })),
    ]);
    return { byFamily, byType, byDay };
  }, [key]);
  const util = useAsync(
    () => unwrap(api.GET('/api/v1/kpis/unit-utilisation', { params: { query: { ...base, by: 'unit' } } })),
    [key],
  );
  const sat = useAsync(
    () => unwrap(api.GET('/api/v1/kpis/satisfaction', { params: { query: base } })),
    [key],
  );
  const late = useAsync(
    () =>
      unwrap(
        api.GET('/api/v1/kpis/late-incidents', {
          params: { query: department ? { department } : {} },
        }),
      ),
    [department],
  );

  const periodOptions = (['today', '7d', '30d', 'custom'] as const).map((k) => ({
    value: k,
    label: t(`an.period.${k}`),
  }));

  return (
    <div className="an-page">
      <h1>{t('an.title')}</h1>
      <form className="an-filters" aria-label={t('an.filters')} onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('an.period')}
          value={kind}
          options={periodOptions}
          onChange={(e) => setKind(e.target.value as PeriodKind)}
        />
        {kind === 'custom' ? (
          <>
            <TextField
              label={t('an.from')}
              type="date"
              value={custom.from}
              max={custom.to}
              onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))}
            />
            <TextField
              label={t('an.to')}
              type="date"
              value={custom.to}
              min={custom.from}
              onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))}
            />
          </>
        ) : null}
        <Select
          label={t('an.department')}
          value={department}
          placeholder={t('an.allDepartments')}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          onChange={(e) => setDepartment(e.target.value)}
        />
      </form>
      {validPeriod ? (
        <p className="muted" aria-live="polite">
          {t('an.periodShown', {
            from: formatDate(`${period.from}T12:00:00-06:00`),
            to: formatDate(`${period.to}T12:00:00-06:00`),
          })}
        </p>
      ) : null}

      <div className="an-grid">
        <Card title={t('an.nena.title')} download={{ path: '/kpis/response-times', query: base }}>
          <Section state={rt}>{(d) => <Nena row={d.overall.rows[0]} />}</Section>
        </Card>

        <Card title={t('an.sat.title')} download={{ path: '/kpis/satisfaction', query: base }}>
          <Section state={sat}>{(d) => <SatisfactionView data={d} />}</Section>
        </Card>
      </div>

      <Card
        title={t('an.rt.title')}
        download={{ path: '/kpis/response-times', query: { ...base, by: 'department' } }}
      >
        <Section state={rt}>
          {(d) => (
            <>
              <ResponseTable
                rows={d.byDepartment.rows}
                dim="department"
                names={deptNames}
                caption={t('an.rt.title')}
              />
              <BarChart
                title={t('an.rt.chart')}
                headers={[t('an.department'), t('an.rt.arrive')]}
                data={d.byDepartment.rows.map((r) => ({
                  key: String(r.group.department),
                  label: deptNames.get(String(r.group.department)) ?? groupLabel(r, 'department'),
                  value: r.arrive.p90 ?? 0,
                  text: secs(r.arrive.p90),
                }))}
              />
            </>
          )}
        </Section>
      </Card>

      <Card
        title={t('an.rt.byDay')}
        download={{ path: '/kpis/response-times', query: { ...base, by: 'day' } }}
      >
        <Section state={rt}>
          {(d) => (
            <>
              <LineChart
                title={t('an.rt.dayChart')}
                headers={[t('an.vol.byDay'), t('an.rt.arrive')]}
                data={d.byDay.rows.map((r) => ({
                  key: String(r.group.day),
                  label: groupLabel(r, 'day'),
                  value: r.arrive.p90 ?? 0,
                  text: secs(r.arrive.p90),
                }))}
              />
              <ResponseTable rows={d.byDay.rows} dim="day" names={new Map()} caption={t('an.rt.byDay')} />
            </>
          )}
        </Section>
      </Card>

      <Card title={t('an.vol.title')} download={{ path: '/kpis/volumes', query: { ...base, by: 'family' } }}>
        <Section state={volumes}>
          {(d) => (
            <>
              <p>{t('an.vol.total', { n: formatNumber(d.byFamily.total) })}</p>
              <div className="an-grid">
                <BarChart
                  title={t('an.vol.byFamily')}
                  headers={[t('an.vol.byFamily'), t('an.vol.count')]}
                  data={volumeData(d.byFamily, 'family')}
                />
                <BarChart
                  title={t('an.vol.byType')}
                  headers={[t('an.vol.byType'), t('an.vol.count')]}
                  data={volumeData(d.byType, 'type')}
                />
              </div>
              <LineChart
                title={t('an.vol.byDay')}
                headers={[t('an.vol.byDay'), t('an.vol.count')]}
                data={volumeData(d.byDay, 'day')}
              />
              <Downloads
                what={`${t('an.vol.title')} — ${t('an.vol.byDay')}`}
                path="/kpis/volumes"
                query={{ ...base, by: 'day' }}
              />
            </>
          )}
        </Section>
      </Card>

      <Card
        title={t('an.util.title')}
        download={{ path: '/kpis/unit-utilisation', query: { ...base, by: 'unit' } }}
      >
        <Section state={util}>{(d) => <UtilisationView data={d} />}</Section>
      </Card>

      <Card
        title={t('an.late.title')}
        download={{ path: '/kpis/late-incidents', query: department ? { department } : {} }}
      >
        <Section state={late}>{(d) => <LateView data={d} />}</Section>
      </Card>
    </div>
  );
}

function volumeData(data: Volumes, dim: string): BarDatum[] {
  return data.rows.map((r) => ({
    key: String(r.group[dim]),
    label: groupLabel(r, dim),
    value: r.count,
    text: `${formatNumber(r.count)} (${pct(r.sharePct)})`,
  }));
}

function Nena({ row }: { row: RtRow | undefined }) {
  const { t } = useI18n();
  if (!row || row.answeredWithin15sPct === null) return <p className="muted">{t('an.nena.none')}</p>;
  const flag = (below: boolean | null) =>
    below ? (
      <span className="an-flag--bad">⚠ {t('an.nena.below')}</span>
    ) : (
      <span className="an-flag--ok">✓ {t('an.nena.ok')}</span>
    );
  return (
    <div className="an-nena">
      <div className="an-metric">
        <span>{t('an.nena.within15')}</span>
        <span className="an-metric__value">{pct(row.answeredWithin15sPct)}</span>
        <span className="muted">{t('an.nena.target15')}</span>
        {flag(row.belowTarget15s)}
      </div>
      <div className="an-metric">
        <span>{t('an.nena.within20')}</span>
        <span className="an-metric__value">{pct(row.answeredWithin20sPct)}</span>
        <span className="muted">{t('an.nena.target20')}</span>
        {flag(row.belowTarget20s)}
      </div>
      <div className="an-metric">
        <span>{t('an.rt.incidents')}</span>
        <span className="an-metric__value">{formatNumber(row.incidents)}</span>
      </div>
    </div>
  );
}

function ResponseTable({
  rows,
  dim,
  names,
  caption,
}: {
  rows: readonly RtRow[];
  dim: string;
  names: Map<string, string>;
  caption: string;
}) {
  const { t } = useI18n();
  const cell = (s: RtRow['answer']) => t('an.rt.cell', { p50: secs(s.p50), p90: secs(s.p90) });
  return (
    <Table
      caption={caption}
      captionHidden
      rows={rows}
      rowKey={(r) => String(r.group[dim])}
      empty={t('an.noData')}
      columns={[
        {
          key: 'group',
          header: t('an.rt.group'),
          render: (r) => names.get(String(r.group[dim])) ?? groupLabel(r, dim),
        },
        { key: 'n', header: t('an.rt.incidents'), numeric: true, render: (r) => formatNumber(r.incidents) },
        { key: 'answer', header: t('an.rt.answer'), numeric: true, render: (r) => cell(r.answer) },
        { key: 'dispatch', header: t('an.rt.dispatch'), numeric: true, render: (r) => cell(r.dispatch) },
        { key: 'arrive', header: t('an.rt.arrive'), numeric: true, render: (r) => cell(r.arrive) },
        { key: 'close', header: t('an.rt.close'), numeric: true, render: (r) => cell(r.close) },
        {
          key: 'nena',
          header: t('an.nena.within15'),
          numeric: true,
          render: (r) => (
            <span className={r.belowTarget15s ? 'an-flag--bad' : undefined}>
              {pct(r.answeredWithin15sPct)}
              {r.belowTarget15s ? ` ⚠ ${t('an.nena.below')}` : ''}
            </span>
          ),
        },
      ]}
    />
  );
}

function UtilisationView({ data }: { data: Utilisation }) {
  const { t } = useI18n();
  type Row = Utilisation['rows'][number];
  return (
    <>
      <BarChart
        title={t('an.util.busy')}
        headers={[t('an.util.unit'), t('an.util.busy')]}
        data={data.rows.map((r) => ({
          key: String(r.group.unit),
          label: groupLabel(r, 'unit'),
          value: r.busyPct ?? 0,
          text: pct(r.busyPct),
        }))}
      />
      <Table<Row>
        caption={t('an.util.title')}
        captionHidden
        rows={data.rows}
        rowKey={(r) => String(r.group.unit)}
        empty={t('an.noData')}
        columns={[
          { key: 'unit', header: t('an.util.unit'), render: (r) => groupLabel(r, 'unit') },
          { key: 'busy', header: t('an.util.busy'), numeric: true, render: (r) => pct(r.busyPct) },
          { key: 'scene', header: t('an.util.onScene'), numeric: true, render: (r) => pct(r.onScenePct) },
          { key: 'avail', header: t('an.util.available'), numeric: true, render: (r) => pct(r.availablePct) },
          { key: 'out', header: t('an.util.out'), numeric: true, render: (r) => pct(r.outOfServicePct) },
        ]}
      />
    </>
  );
}

function SatisfactionView({ data }: { data: Satisfaction }) {
  const { t } = useI18n();
  const row = data.rows[0];
  if (!row || row.eligible === 0) return <p className="muted">{t('an.noData')}</p>;
  return (
    <>
      <div className="an-nena">
        <div className="an-metric">
          <span>{t('an.sat.average')}</span>
          <span className="an-metric__value">
            {row.average === null ? '—' : formatNumber(row.average, undefined, 1)}
          </span>
        </div>
        <div className="an-metric">
          <span>{t('an.sat.surveys')}</span>
          <span className="an-metric__value">{formatNumber(row.surveys)}</span>
          <span className="muted">
            {t('an.sat.eligible')}: {formatNumber(row.eligible)}
          </span>
        </div>
        <div className="an-metric">
          <span>{t('an.sat.rate')}</span>
          <span className="an-metric__value">{pct(row.responseRatePct)}</span>
        </div>
      </div>
      <BarChart
        title={t('an.sat.title')}
        headers={[t('an.sat.average'), t('an.sat.surveys')]}
        data={(['1', '2', '3', '4', '5'] as const).map((s) => ({
          key: s,
          label: `${s} ★`,
          value: row.distribution[s],
          text: formatNumber(row.distribution[s]),
        }))}
      />
    </>
  );
}

function LateView({ data }: { data: Late }) {
  const { t } = useI18n();
  type Row = Late['rows'][number];
  return (
    <>
      <p>
        {t('an.late.summary', {
          total: formatNumber(data.total),
          dispatch: formatNumber(data.lateDispatch),
          onScene: formatNumber(data.lateOnScene),
        })}
      </p>
      <Table<Row>
        caption={t('an.late.title')}
        captionHidden
        rows={data.rows}
        rowKey={(r) => r.incidentId}
        empty={t('an.late.none')}
        columns={[
          {
            key: 'folio',
            header: t('an.late.folio'),
            render: (r) => <a href={`/incidentes/${r.incidentId}`}>{r.folio}</a>,
          },
          { key: 'p', header: t('an.late.priority'), numeric: true, render: (r) => `P${r.priority}` },
          {
            key: 'el',
            header: t('an.late.elapsed'),
            numeric: true,
            render: (r) => formatDuration(r.elapsedSeconds),
          },
          {
            key: 'late',
            header: t('an.late.lateBy'),
            numeric: true,
            render: (r) => secs(r.onSceneLateBySeconds ?? r.dispatchLateBySeconds),
          },
          {
            key: 'esc',
            header: t('an.late.escalated'),
            render: (r) => (r.escalated ? t('an.yes') : t('an.no')),
          },
        ]}
      />
    </>
  );
}
