import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiResponse } from '../../api';
import { api, unwrap } from '../../api';
import type { TargetsByPriority } from '../../features/dispatch/timers';
import { formatDate, formatDuration, formatNumber, formatTime, TIME_ZONE, useI18n } from '../../i18n';
import { useLiveEvents } from '../../realtime';
import { ErrorState, useAsync } from '../../ui';
import { BarChart, type BarDatum, PercentileBars, type RangeDatum } from './charts';
import type { HeatWindow } from './heat';
import type { WallFilters } from './WallMap';

type ResponseTimes = ApiResponse<'/api/v1/kpis/response-times'>;
type Volumes = ApiResponse<'/api/v1/kpis/volumes'>;

/** Live events after which the figures may have changed. */
const KPI_EVENTS = new Set([
  'incident.created',
  'incident.status_changed',
  'incident.priority_changed',
  'incident.updated',
  'dispatch.unit_assigned',
  'dispatch.unit_on_scene',
]);
/** Refresh the KPIs this long after the last relevant event… */
const DEBOUNCE_MS = 4_000;
/** …but no later than this after the first one of a burst. */
const MAX_WAIT_MS = 20_000;

/**
 * A counter bumped after relevant live events, debounced (a burst of events costs one refresh; a
 * steady stream refreshes at most every MAX_WAIT_MS). No timer runs while nothing happens.
 */
function useDebouncedRefresh(): number {
  const [generation, setGeneration] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const firstAt = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useLiveEvents(['incident', 'dispatch'], (event) => {
    if (!KPI_EVENTS.has(event.type)) return;
    const now = Date.now();
    firstAt.current ??= now;
    if (timer.current) clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, firstAt.current + MAX_WAIT_MS - now));
    timer.current = setTimeout(() => {
      timer.current = null;
      firstAt.current = null;
      setGeneration((g) => g + 1);
    }, wait);
  });
  return generation;
}

/** YYYY-MM-DD of a day in El Salvador. */
function localDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(ms));
}

function periodStart(
  span: Exclude<HeatWindow, 'off'>,
  now: number,
): { from: string; buckets: number[]; by: 'hour' | 'day' } {
  if (span === '24h') {
    const hour = Math.floor(now / 3_600_000) * 3_600_000 - 23 * 3_600_000;
    return {
      from: new Date(hour).toISOString(),
      by: 'hour',
      buckets: Array.from({ length: 24 }, (_, i) => hour + i * 3_600_000),
    };
  }
  return { from: localDate(now - 6 * 86_400_000), by: 'day', buckets: [] };
}

export interface LocalCounts {
  open: number;
  byPriority: Map<number, number>;
  late: number;
  unitsAvailable: number;
  unitsBusy: number;
  unitsOut: number;
}

export function KpiPanel({
  counts,
  filters,
  span,
  canReadKpis,
  targets,
  departmentNames,
}: {
  counts: LocalCounts;
  filters: WallFilters;
  span: Exclude<HeatWindow, 'off'>;
  canReadKpis: boolean;
  targets: TargetsByPriority;
  departmentNames: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const generation = useDebouncedRefresh();
  const query = {
    ...(filters.department ? { department: filters.department } : {}),
    ...(filters.priority ? { priority: Number(filters.priority) } : {}),
    ...(filters.family ? { type: filters.family } : {}),
  };
  const key = JSON.stringify(query);
  const kpis = useAsync(async () => {
    if (!canReadKpis) return null;
    const period = periodStart(span, Date.now());
    const [overall, byDepartment, volumes] = await Promise.all([
      unwrap(api.GET('/api/v1/kpis/response-times', { params: { query: { ...query, from: period.from } } })),
      unwrap(
        api.GET('/api/v1/kpis/response-times', {
          params: { query: { ...query, from: period.from, by: 'department' } },
        }),
      ),
      unwrap(
        api.GET('/api/v1/kpis/volumes', {
          params: { query: { ...query, from: period.from, by: period.by } },
        }),
      ),
    ]);
    return { overall, byDepartment, volumes, period };
    // `key` stands for the query.
  }, [canReadKpis, span, key, generation]);

  const target = filters.priority ? targets.get(Number(filters.priority)) : undefined;
  const overall = kpis.data?.overall.rows[0];
  const statText = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : formatDuration(value);

  const departments = useMemo(
    () => departmentRows(kpis.data?.byDepartment, departmentNames),
    [kpis.data, departmentNames],
  );
  const volumeBars = useMemo(
    () => volumeData(kpis.data?.volumes, kpis.data?.period, span),
    [kpis.data, span],
  );
  const unitsTotal = counts.unitsAvailable + counts.unitsBusy + counts.unitsOut;

  return (
    <section className="cc-kpis" aria-labelledby="cc-kpis-title">
      <h2 id="cc-kpis-title" className="visually-hidden">
        {t('cc.kpis.title')}
      </h2>
      <ul className="cc-tiles">
        <li className="cc-tile" data-testid="tile-open">
          <span className="cc-tile__label">{t('cc.kpis.open')}</span>
          <span className="cc-tile__value">{formatNumber(counts.open)}</span>
          <span className="cc-tile__detail">
            {[1, 2, 3, 4].map((p) => `P${p}: ${formatNumber(counts.byPriority.get(p) ?? 0)}`).join(' · ')}
          </span>
        </li>
        <li className={`cc-tile${counts.late > 0 ? ' cc-tile--alert' : ''}`} data-testid="tile-late">
          <span className="cc-tile__label">{t('cc.kpis.late')}</span>
          <span className="cc-tile__value">{formatNumber(counts.late)}</span>
          <span className="cc-tile__detail">{t('cc.kpis.lateDetail')}</span>
        </li>
        <li className="cc-tile" data-testid="tile-units">
          <span className="cc-tile__label">{t('cc.kpis.units')}</span>
          <span className="cc-tile__value">
            {formatNumber(counts.unitsAvailable)}
            <span className="cc-tile__of"> / {formatNumber(unitsTotal)}</span>
          </span>
          <span className="cc-tile__detail">
            {t('cc.kpis.unitsDetail', {
              busy: formatNumber(counts.unitsBusy),
              out: formatNumber(counts.unitsOut),
            })}
          </span>
        </li>
        {canReadKpis ? (
          <>
            <li className="cc-tile" data-testid="tile-dispatch">
              <span className="cc-tile__label">{t('cc.kpis.dispatch')}</span>
              <span className="cc-tile__value">{statText(overall?.dispatch.p50)}</span>
              <span className="cc-tile__detail">
                {t('cc.kpis.p90', { value: statText(overall?.dispatch.p90) })}
                {target ? ` · ${t('cc.kpis.target', { value: formatDuration(target.dispatchSeconds) })}` : ''}
              </span>
            </li>
            <li className="cc-tile" data-testid="tile-arrival">
              <span className="cc-tile__label">{t('cc.kpis.arrival')}</span>
              <span className="cc-tile__value">{statText(overall?.arrive.p50)}</span>
              <span className="cc-tile__detail">
                {t('cc.kpis.p90', { value: statText(overall?.arrive.p90) })}
                {target ? ` · ${t('cc.kpis.target', { value: formatDuration(target.onSceneSeconds) })}` : ''}
              </span>
            </li>
            <li className="cc-tile" data-testid="tile-volume">
              <span className="cc-tile__label">{t(`cc.kpis.volume.${span}`)}</span>
              <span className="cc-tile__value">
                {kpis.data ? formatNumber(kpis.data.volumes.total) : '—'}
              </span>
              <span className="cc-tile__detail">
                {kpis.data ? t('cc.kpis.updated', { time: formatTime(kpis.data.overall.generatedAt) }) : ''}
              </span>
            </li>
          </>
        ) : null}
      </ul>
      {!canReadKpis ? (
        <p className="cc-note">{t('cc.kpis.noPermission')}</p>
      ) : kpis.error ? (
        <ErrorState error={kpis.error} onRetry={kpis.reload} />
      ) : (
        <div className="cc-charts">
          <BarChart
            title={t(`cc.charts.volume.${span}`)}
            data={volumeBars}
            labelHeader={t(span === '24h' ? 'cc.charts.hour' : 'cc.charts.day')}
            valueHeader={t('cc.charts.incidents')}
            emptyText={t('cc.charts.empty')}
          />
          <PercentileBars
            title={t('cc.charts.dispatch')}
            data={departments.map((d) => ({
              ...d.dispatch,
              late: target ? (d.dispatch.p90 ?? 0) > target.dispatchSeconds : false,
            }))}
            headers={[t('cc.charts.department'), t('cc.charts.p50'), t('cc.charts.p90')]}
            emptyText={t('cc.charts.empty')}
            legend={{ p50: t('cc.charts.p50'), p90: t('cc.charts.p90') }}
          />
          <PercentileBars
            title={t('cc.charts.arrival')}
            data={departments.map((d) => ({
              ...d.arrive,
              late: target ? (d.arrive.p90 ?? 0) > target.onSceneSeconds : false,
            }))}
            headers={[t('cc.charts.department'), t('cc.charts.p50'), t('cc.charts.p90')]}
            emptyText={t('cc.charts.empty')}
            legend={{ p50: t('cc.charts.p50'), p90: t('cc.charts.p90') }}
          />
        </div>
      )}
    </section>
  );
}

function departmentRows(
  data: ResponseTimes | undefined,
  names: ReadonlyMap<string, string>,
): { dispatch: RangeDatum; arrive: RangeDatum }[] {
  if (!data) return [];
  const text = (v: number | null) => (v === null ? '—' : formatDuration(v));
  return data.rows
    .filter((r) => r.dispatch.n > 0 || r.arrive.n > 0)
    .map((r) => {
      const code = String(r.group.department ?? '');
      const label = names.get(code) ?? r.labels.department ?? code;
      return {
        dispatch: {
          key: code,
          label,
          p50: r.dispatch.p50,
          p90: r.dispatch.p90,
          p50Text: text(r.dispatch.p50),
          p90Text: text(r.dispatch.p90),
        },
        arrive: {
          key: code,
          label,
          p50: r.arrive.p50,
          p90: r.arrive.p90,
          p50Text: text(r.arrive.p50),
          p90Text: text(r.arrive.p90),
        },
      };
    })
    .sort((a, b) => a.dispatch.label.localeCompare(b.dispatch.label));
}

function volumeData(
  data: Volumes | undefined,
  period: { by: 'hour' | 'day'; buckets: number[] } | undefined,
  span: Exclude<HeatWindow, 'off'>,
): BarDatum[] {
  if (!data || !period) return [];
  const counts = new Map<number, number>();
  for (const row of data.rows) {
    const start = row.group[period.by];
    if (typeof start === 'string') counts.set(Date.parse(start), row.count);
  }
  // Every bucket of the period, zeros included, so the bars keep the time scale.
  let buckets = period.buckets;
  if (buckets.length === 0) {
    const first = Date.parse(data.period.from);
    const to = Date.parse(data.period.to);
    buckets = [];
    for (let at = first; at < to; at += 86_400_000) buckets.push(at);
  }
  return buckets.map((at) => {
    const value = counts.get(at) ?? 0;
    return {
      key: String(at),
      label: span === '24h' ? formatTime(at) : formatDate(at),
      value,
      text: formatNumber(value),
    };
  });
}
