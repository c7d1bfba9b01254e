import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api';
import { useAuth } from '../../auth/AuthProvider';
import { PriorityBadge, TimerBadge } from '../../features/dispatch/badges';
import { EscalationAlerts, useEscalations } from '../../features/dispatch/escalations';
import { useDispatchStore, useNow, useStoreVersion } from '../../features/dispatch/hooks';
import { isLate, responseTimer, targetsByPriority } from '../../features/dispatch/timers';
import { OPEN_STATUSES } from '../../features/dispatch/types';
import { formatTime, useI18n } from '../../i18n';
import { Alert, Button, ErrorState, Select, useAsync } from '../../ui';
import { LanguageSwitch } from '../../ui/layout/LanguageSwitch';
import { LiveBadge } from '../../ui/layout/LiveBadge';
import { usePageTitle } from '../../ui/layout/usePageTitle';
import { AlertFeed } from './AlertFeed';
import './command-center.css';
import './command-center.messages';
import { HEAT_WINDOW_MS, type HeatPoint, type HeatWindow, loadHeatPoints } from './heat';
import { KpiPanel, type LocalCounts } from './KpiPanel';
import { createPerfProbe, perfRequested } from './perf';
import { incidentMatches, unitMatches, type WallFilters, WallMap } from './WallMap';

const NO_FILTERS: WallFilters = { department: '', priority: '', family: '', status: '' };

/**
 * Command centre wall: full-screen live map of incidents and units with a heat layer of recent
 * incidents, KPI tiles and small charts, escalations and the video/ALPR alert feed.
 */
export default function CommandCenterPage() {
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  usePageTitle(t('cc.title'));
  const store = useDispatchStore();
  // The wall repaints its panels at most once a second (the map has its own 1 s batch).
  const version = useStoreVersion(store, 1000);
  const now = useNow(1000);
  const status = store.getStatus();
  const [perf] = useState(() => (perfRequested() ? createPerfProbe() : null));
  useEffect(() => {
    if (!perf) return;
    store.onPositions = (event, positions) =>
      perf.record(event.occurredAt, positions[0]?.recordedAt, positions.length);
    return () => {
      store.onPositions = null;
    };
  }, [store, perf]);

  const [filters, setFilters] = useState<WallFilters>(NO_FILTERS);
  const [heatWindow, setHeatWindow] = useState<HeatWindow>('24h');
  const [showUnits, setShowUnits] = useState(true);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const targetsQuery = useAsync(() => unwrap(api.GET('/api/v1/response-targets')).then((r) => r.items), []);
  const targets = useMemo(() => targetsByPriority(targetsQuery.data ?? []), [targetsQuery.data]);
  const departments = useAsync(() => unwrap(api.GET('/api/v1/geo/departments')), []);
  const departmentNames = useMemo(
    () => new Map((departments.data ?? []).map((d) => [d.code, d.name])),
    [departments.data],
  );
  const families = useAsync(
    () =>
      unwrap(api.GET('/api/v1/incident-types')).then((r) =>
        r.items.filter((i) => i.parentCode === null).map((i) => ({ value: i.code, label: i.name })),
      ),
    [],
  );
  const escalations = useEscalations();

  // Heat layer: incidents of the window (any status), reloaded when the window or filters change.
  const heatSpan = heatWindow === 'off' ? '24h' : heatWindow;
  const heatQuery = useAsync(async () => {
    if (heatWindow === 'off') return null;
    const since = Date.now() - HEAT_WINDOW_MS[heatWindow];
    const loaded = await loadHeatPoints(since, filters);
    return { ...loaded, since };
    // The status filter does not apply to the heat layer (it shows incidents of any status).
  }, [heatWindow, filters.department, filters.priority, filters.family]);
  const heat = useMemo<{ points: readonly HeatPoint[]; since: number } | null>(
    () => (heatQuery.data ? { points: heatQuery.data.points, since: heatQuery.data.since } : null),
    [heatQuery.data],
  );

  // Local figures (open, late, units) from the live store, recomputed at most once a second.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the store mutates in place; its version says when
  const counts = useMemo<LocalCounts>(() => {
    const byPriority = new Map<number, number>();
    let open = 0;
    let late = 0;
    for (const i of store.incidents.values()) {
      if (!incidentMatches(i, filters)) continue;
      open += 1;
      if (i.priority !== null) byPriority.set(i.priority, (byPriority.get(i.priority) ?? 0) + 1);
      if (isLate(i, targets, now)) late += 1;
    }
    let unitsAvailable = 0;
    let unitsBusy = 0;
    let unitsOut = 0;
    for (const u of store.units.values()) {
      if (!unitMatches(u, filters)) continue;
      if (u.status === 'available') unitsAvailable += 1;
      else if (u.status === 'out_of_service') unitsOut += 1;
      else unitsBusy += 1;
    }
    return { open, byPriority, late, unitsAvailable, unitsBusy, unitsOut };
  }, [store, version, filters, targets, now]);

  const selected = selectedId ? (store.incidents.get(selectedId) ?? null) : null;
  const setFilter = (key: keyof WallFilters) => (value: string) =>
    setFilters((f) => ({ ...f, [key]: value }));
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="cc-wall">
      <header className="cc-header">
        <h1 className="cc-header__title">{t('cc.title')}</h1>
        <span className="cc-header__clock">
          <span className="visually-hidden">{t('cc.clock')}: </span>
          {formatTime(now, undefined, true)}
        </span>
        <LiveBadge />
        <div className="cc-header__tools">
          <LanguageSwitch id="cc-language" />
          <span data-testid="current-user">{auth.me?.displayName}</span>
          <Link to="/" className="cc-header__link">
            {t('cc.home')}
          </Link>
        </div>
      </header>

      <form className="cc-filters" aria-label={t('cc.filters.label')} onSubmit={(e) => e.preventDefault()}>
        <Select
          label={t('cc.filters.department')}
          value={filters.department}
          onChange={(e) => setFilter('department')(e.target.value)}
          options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          placeholder={t('cc.filters.all')}
        />
        <Select
          label={t('cc.filters.priority')}
          value={filters.priority}
          onChange={(e) => setFilter('priority')(e.target.value)}
          options={[1, 2, 3, 4].map((p) => ({ value: String(p), label: t(`dispatchx.priority.${p}`) }))}
          placeholder={t('cc.filters.all')}
        />
        <Select
          label={t('cc.filters.family')}
          value={filters.family}
          onChange={(e) => setFilter('family')(e.target.value)}
          options={families.data ?? []}
          placeholder={t('cc.filters.allFamilies')}
        />
        <Select
          label={t('cc.filters.status')}
          value={filters.status}
          onChange={(e) => setFilter('status')(e.target.value)}
          options={OPEN_STATUSES.map((s) => ({ value: s, label: t(`cc.status.${s}`) }))}
          placeholder={t('cc.filters.allOpen')}
        />
        <Select
          label={t('cc.filters.heat')}
          value={heatWindow}
          onChange={(e) => setHeatWindow(e.target.value as HeatWindow)}
          options={[
            { value: '24h', label: t('cc.heat.24h') },
            { value: '7d', label: t('cc.heat.7d') },
            { value: 'off', label: t('cc.heat.off') },
          ]}
        />
        <div className="cc-filters__check">
          <input
            id="cc-show-units"
            type="checkbox"
            checked={showUnits}
            onChange={(e) => setShowUnits(e.target.checked)}
          />
          <label htmlFor="cc-show-units">{t('cc.filters.units')}</label>
        </div>
        {filtered ? (
          <Button variant="ghost" onClick={() => setFilters(NO_FILTERS)}>
            {t('cc.filters.clear')}
          </Button>
        ) : null}
      </form>

      <main className="cc-main">
        <div className="cc-map-wrap">
          {status.error && store.incidents.size === 0 ? (
            <ErrorState error={status.error} onRetry={() => void store.reload()} />
          ) : null}
          {heatQuery.error ? <ErrorState error={heatQuery.error} onRetry={heatQuery.reload} /> : null}
          {heatQuery.data?.truncated ? <Alert tone="info">{t('cc.heat.truncated')}</Alert> : null}
          <WallMap
            store={store}
            filters={filters}
            heat={heat}
            showUnits={showUnits}
            onSelectIncident={setSelectedId}
            perf={perf}
          />
          <p className="cc-map-summary" aria-live="off" data-testid="map-summary">
            {status.loading && store.incidents.size === 0
              ? t('common.loading')
              : t('cc.map.summary', {
                  incidents: counts.open,
                  units: counts.unitsAvailable + counts.unitsBusy + counts.unitsOut,
                })}
          </p>
        </div>

        {/* Scrollable column: focusable so keyboard users can scroll it (WCAG 2.1.1). */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container must be reachable by keyboard */}
        <aside className="cc-side" aria-label={t('cc.side')} tabIndex={0}>
          <KpiPanel
            counts={counts}
            filters={filters}
            span={heatSpan}
            canReadKpis={auth.can('kpi.read')}
            targets={targets}
            departmentNames={departmentNames}
          />
          {selected ? (
            <section className="cc-panel cc-selected" aria-labelledby="cc-selected-title">
              <h2 id="cc-selected-title">
                <PriorityBadge priority={selected.priority} /> <span className="mono">{selected.folio}</span>
              </h2>
              <p>
                {selected.typeName ?? selected.summary} · {selected.statusName}
              </p>
              <p className="muted">{selected.location.districtName ?? selected.location.text ?? ''}</p>
              <TimerBadge timer={responseTimer(selected, targets, now)} />
              <div className="row">
                <Button variant="secondary" onClick={() => navigate(`/despacho?incidente=${selected.id}`)}>
                  {t('cc.selected.open')}
                </Button>
                <Button variant="ghost" onClick={() => setSelectedId(null)}>
                  {t('common.close')}
                </Button>
              </div>
            </section>
          ) : null}
          <EscalationAlerts
            escalations={escalations}
            compact
            onOpenIncident={(id) => navigate(`/despacho?incidente=${id}`)}
          />
          <AlertFeed />
        </aside>
      </main>
    </div>
  );
}
