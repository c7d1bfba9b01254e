import type { ExpressionSpecification, GeoJSONSource, MapLayerMouseEvent } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { throttledFrames } from '../../features/dispatch/hooks';
import type { DispatchStore } from '../../features/dispatch/live-store';
import {
  NO_PRIORITY_COLOR,
  PRIORITY_COLOR_EXPRESSION,
  PRIORITY_COLORS,
  UNIT_COLOR_EXPRESSION,
  UNIT_STATUS_COLORS,
} from '../../features/dispatch/map-layers';
import type { Incident, Unit } from '../../features/dispatch/types';
import { UNIT_STATUSES } from '../../features/dispatch/types';
import { useI18n } from '../../i18n';
import { type MapLibreMap, MapView, type PointCollection } from '../../ui/map';
import type { HeatPoint } from './heat';
import type { WallPerfProbe } from './perf';

export interface WallFilters {
  department: string;
  priority: string;
  family: string;
  status: string;
}

export function incidentMatches(i: Incident, f: WallFilters): boolean {
  return (
    (!f.department || i.location.departmentCode === f.department) &&
    (!f.priority || String(i.priority ?? '') === f.priority) &&
    (!f.family || i.family === f.family) &&
    (!f.status || i.status === f.status)
  );
}

export function unitMatches(u: Unit, f: WallFilters): boolean {
  return !f.department || u.departmentCode === f.department;
}

/** A tiny change signal (filters, heat data) that the flush scheduler also listens to. */
class Signal {
  private listeners = new Set<() => void>();
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

const expr = (value: unknown) => value as ExpressionSpecification;
const SOURCES = { heat: 'cc-heat', incidents: 'cc-incidents', units: 'cc-units' } as const;

/** Colour of a cluster: the most urgent priority inside it (property minP, 9 = unclassified). */
const CLUSTER_COLOR = expr([
  'step',
  ['get', 'minP'],
  PRIORITY_COLORS[1],
  2,
  PRIORITY_COLORS[2],
  3,
  PRIORITY_COLORS[3],
  4,
  PRIORITY_COLORS[4],
  5,
  NO_PRIORITY_COLOR,
]);

function incidentCollection(store: DispatchStore, f: WallFilters): PointCollection {
  const features: PointCollection['features'] = [];
  for (const i of store.incidents.values()) {
    if (i.location.lon === null || i.location.lat === null || !incidentMatches(i, f)) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
      properties: { id: i.id, priority: i.priority ?? 0, p: i.priority ?? 9 },
    });
  }
  return { type: 'FeatureCollection', features };
}

function unitCollection(store: DispatchStore, f: WallFilters): PointCollection {
  const features: PointCollection['features'] = [];
  for (const u of store.units.values()) {
    if (!u.position || !unitMatches(u, f)) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [u.position.lon, u.position.lat] },
      properties: { id: u.id, status: u.status },
    });
  }
  return { type: 'FeatureCollection', features };
}

function heatCollection(
  points: readonly HeatPoint[],
  store: DispatchStore,
  f: WallFilters,
  since: number,
): PointCollection {
  const seen = new Set<string>();
  const features: PointCollection['features'] = [];
  const push = (id: string, lon: number, lat: number, priority: number | null) => {
    if (seen.has(id)) return;
    seen.add(id);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { w: priority === null ? 0.5 : (5 - priority) / 4 + 0.25 },
    });
  };
  for (const p of points) push(p.id, p.lon, p.lat, p.priority);
  // The open incidents of the window come from the live store (any open status: the heat shows them all).
  const anyStatus = { ...f, status: '' };
  for (const i of store.incidents.values()) {
    if (i.location.lon === null || i.location.lat === null) continue;
    if (Date.parse(i.times.createdAt) < since || !incidentMatches(i, anyStatus)) continue;
    push(i.id, i.location.lon, i.location.lat, i.priority);
  }
  return { type: 'FeatureCollection', features };
}

export interface WallMapProps {
  store: DispatchStore;
  filters: WallFilters;
  /** Recent incidents for the heat layer (null: layer off). */
  heat: { points: readonly HeatPoint[]; since: number } | null;
  showUnits: boolean;
  onSelectIncident: (id: string) => void;
  perf: WallPerfProbe | null;
}

/**
 * The wall's map: incidents clustered and coloured by priority, units by status, a heat layer of
 * recent incidents, over the department/municipality basemap. Live changes are applied to the map
 * in one batch at most once per second, inside an animation frame.
 */
export function WallMap({ store, filters, heat, showUnits, onSelectIncident, perf }: WallMapProps) {
  const { t } = useI18n();
  const mapRef = useRef<MapLibreMap | null>(null);
  const signal = useMemo(() => new Signal(), []);
  const state = useRef({
    filters,
    heat,
    showUnits,
    applied: { incidents: -1, units: -1, inputs: -1 },
    inputs: 0,
  });
  state.current.filters = filters;
  state.current.heat = heat;
  state.current.showUnits = showUnits;
  const selectRef = useRef(onSelectIncident);
  selectRef.current = onSelectIncident;

  // New filters or heat data: repaint in the next flush.
  // biome-ignore lint/correctness/useExhaustiveDependencies: these inputs are read through the ref
  useEffect(() => {
    state.current.inputs += 1;
    signal.emit();
  }, [filters, heat, showUnits, signal]);

  const flush = useCallback(() => {
    const map = mapRef.current;
    if (!map) return;
    const s = state.current;
    const inputsChanged = s.applied.inputs !== s.inputs;
    const started = performance.now();
    const container = map.getContainer();
    if (inputsChanged || s.applied.incidents !== store.incidentVersion) {
      const incidents = incidentCollection(store, s.filters);
      map.getSource<GeoJSONSource>(SOURCES.incidents)?.setData(incidents);
      // What the map shows, readable by tests and assistive tooling.
      container.dataset.incidentPoints = String(incidents.features.length);
      map
        .getSource<GeoJSONSource>(SOURCES.heat)
        ?.setData(
          s.heat
            ? heatCollection(s.heat.points, store, s.filters, s.heat.since)
            : { type: 'FeatureCollection', features: [] },
        );
      if (map.getLayer('cc-heat-layer')) {
        map.setLayoutProperty('cc-heat-layer', 'visibility', s.heat ? 'visible' : 'none');
      }
      s.applied.incidents = store.incidentVersion;
    }
    if (inputsChanged || s.applied.units !== store.unitVersion) {
      const source = map.getSource<GeoJSONSource>(SOURCES.units);
      const pending = perf?.takePending() ?? [];
      if (source) {
        const units: PointCollection = s.showUnits
          ? unitCollection(store, s.filters)
          : { type: 'FeatureCollection', features: [] };
        const done = source.setData(units);
        container.dataset.unitPoints = String(units.features.length);
        if (perf && pending.length > 0) {
          void done.then(() => map.once('render', () => perf.recordPainted(pending, started)));
          map.triggerRepaint();
        }
      }
      s.applied.units = store.unitVersion;
    }
    s.applied.inputs = s.inputs;
  }, [store, perf]);

  useEffect(
    () =>
      throttledFrames(
        (listener) => {
          const a = store.subscribe(listener);
          const b = signal.subscribe(listener);
          return () => {
            a();
            b();
          };
        },
        flush,
        1000,
      ),
    [store, signal, flush],
  );

  const onLoad = useCallback(
    (map: MapLibreMap) => {
      mapRef.current = map;
      const s = state.current;
      const empty: PointCollection = { type: 'FeatureCollection', features: [] };
      map.addSource(SOURCES.heat, { type: 'geojson', data: empty });
      map.addLayer({
        id: 'cc-heat-layer',
        type: 'heatmap',
        source: SOURCES.heat,
        layout: { visibility: s.heat ? 'visible' : 'none' },
        paint: {
          'heatmap-weight': expr(['get', 'w']),
          'heatmap-radius': expr(['interpolate', ['linear'], ['zoom'], 7, 12, 12, 30]),
          'heatmap-intensity': expr(['interpolate', ['linear'], ['zoom'], 7, 0.6, 12, 1.5]),
          'heatmap-opacity': 0.7,
          'heatmap-color': expr([
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(255,255,255,0)',
            0.2,
            '#fde8a8',
            0.45,
            '#f5a25d',
            0.7,
            '#d9482b',
            1,
            '#7a0e0e',
          ]),
        },
      });
      map.addSource(SOURCES.units, { type: 'geojson', data: empty });
      map.addLayer({
        id: 'cc-units-layer',
        type: 'circle',
        source: SOURCES.units,
        paint: {
          'circle-color': expr(UNIT_COLOR_EXPRESSION),
          'circle-radius': expr(['interpolate', ['linear'], ['zoom'], 7, 3, 12, 6]),
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      });
      map.addSource(SOURCES.incidents, {
        type: 'geojson',
        data: empty,
        cluster: true,
        clusterRadius: 36,
        clusterMaxZoom: 12,
        clusterProperties: { minP: ['min', ['get', 'p']] },
      });
      map.addLayer({
        id: 'cc-incident-clusters',
        type: 'circle',
        source: SOURCES.incidents,
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': CLUSTER_COLOR,
          'circle-opacity': 0.85,
          'circle-radius': expr(['step', ['get', 'point_count'], 10, 10, 14, 50, 19, 200, 25]),
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
      map.addLayer({
        id: 'cc-incident-points',
        type: 'circle',
        source: SOURCES.incidents,
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': expr(PRIORITY_COLOR_EXPRESSION),
          'circle-radius': 7,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });

      const onPoint = (event: MapLayerMouseEvent) => {
        const id = event.features?.[0]?.properties?.id;
        if (typeof id === 'string') selectRef.current(id);
      };
      const onCluster = async (event: MapLayerMouseEvent) => {
        const feature = event.features?.[0];
        const clusterId = feature?.properties?.cluster_id;
        const source = map.getSource<GeoJSONSource>(SOURCES.incidents);
        if (typeof clusterId !== 'number' || !source || feature?.geometry.type !== 'Point') return;
        const zoom = await source.getClusterExpansionZoom(clusterId);
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        map.easeTo({ center: [lon, lat], zoom });
      };
      const pointer = () => {
        map.getCanvas().style.cursor = 'pointer';
      };
      const noPointer = () => {
        map.getCanvas().style.cursor = '';
      };
      map.on('click', 'cc-incident-points', onPoint);
      map.on('click', 'cc-incident-clusters', onCluster);
      for (const layer of ['cc-incident-points', 'cc-incident-clusters']) {
        map.on('mouseenter', layer, pointer);
        map.on('mouseleave', layer, noPointer);
      }
      // Everything is drawn in the next flush.
      s.applied = { incidents: -1, units: -1, inputs: -1 };
      signal.emit();
      return () => {
        mapRef.current = null;
        map.off('click', 'cc-incident-points', onPoint);
        map.off('click', 'cc-incident-clusters', onCluster);
      };
    },
    [signal],
  );

  return (
    <MapView label={t('cc.map.label')} className="cc-map" onLoad={onLoad}>
      <ul className="dx-legend" aria-label={t('cc.map.legend')}>
        {([1, 2, 3, 4] as const).map((p) => (
          <li key={p}>
            <span className="dx-legend__dot" style={{ background: PRIORITY_COLORS[p] }} aria-hidden="true" />
            {t(`dispatchx.priority.${p}`)}
          </li>
        ))}
        {showUnits
          ? UNIT_STATUSES.map((s) => (
              <li key={s}>
                <span
                  className="dx-legend__dot dx-legend__dot--small"
                  style={{ background: UNIT_STATUS_COLORS[s] }}
                  aria-hidden="true"
                />
                {t('cc.map.unit', { status: t(`dispatchx.unitStatus.${s}`) })}
              </li>
            ))
          : null}
        {heat ? <li>{t('cc.map.heatLegend')}</li> : null}
      </ul>
    </MapView>
  );
}
