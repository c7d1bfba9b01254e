import { useCallback, useEffect, useRef } from 'react';
import { throttledFrames } from '../../features/dispatch/hooks';
import type { DispatchStore } from '../../features/dispatch/live-store';
import {
  incidentPoints,
  PRIORITY_COLOR_EXPRESSION,
  PRIORITY_COLORS,
  UNIT_COLOR_EXPRESSION,
  UNIT_STATUS_COLORS,
  unitPoints,
} from '../../features/dispatch/map-layers';
import { UNIT_STATUSES } from '../../features/dispatch/types';
import { useI18n } from '../../i18n';
import { addPointLayer, type MapLibreMap, MapView, setPointData } from '../../ui/map';

/** Live incidents (by priority) and units (by status) of the board; repainted at most once a second. */
export function DispatchMap({
  store,
  onOpenIncident,
}: {
  store: DispatchStore;
  onOpenIncident: (id: string) => void;
}) {
  const { t } = useI18n();
  const mapRef = useRef<MapLibreMap | null>(null);
  const openRef = useRef(onOpenIncident);
  openRef.current = onOpenIncident;

  const flush = useCallback(() => {
    const map = mapRef.current;
    if (!map) return;
    const units = unitPoints(store.units.values());
    const incidents = incidentPoints(store.incidents.values());
    setPointData(map, 'dx-units', units);
    setPointData(map, 'dx-incidents', incidents);
    // What the map shows, readable by tests.
    map.getContainer().dataset.incidentPoints = String(incidents.features.length);
    map.getContainer().dataset.unitPoints = String(units.features.length);
  }, [store]);

  useEffect(() => throttledFrames(store.subscribe, flush, 1000), [store, flush]);

  const onLoad = useCallback(
    (map: MapLibreMap) => {
      mapRef.current = map;
      const removeUnits = addPointLayer(map, {
        id: 'dx-units',
        data: unitPoints(store.units.values()),
        color: UNIT_COLOR_EXPRESSION,
        radius: 5,
      });
      const removeIncidents = addPointLayer(map, {
        id: 'dx-incidents',
        data: incidentPoints(store.incidents.values()),
        color: PRIORITY_COLOR_EXPRESSION,
        radius: 8,
        onClick: (properties) => {
          if (typeof properties.id === 'string') openRef.current(properties.id);
        },
      });
      flush();
      return () => {
        mapRef.current = null;
        removeIncidents();
        removeUnits();
      };
    },
    [store, flush],
  );

  return (
    <MapView label={t('dispatch.map.label')} className="dx-map" onLoad={onLoad}>
      <ul className="dx-legend" aria-label={t('dispatch.map.legend')}>
        {([1, 2, 3, 4] as const).map((p) => (
          <li key={p}>
            <span className="dx-legend__dot" style={{ background: PRIORITY_COLORS[p] }} aria-hidden="true" />
            {t(`dispatchx.priority.${p}`)}
          </li>
        ))}
        {UNIT_STATUSES.filter((s) => s !== 'out_of_service').map((s) => (
          <li key={s}>
            <span
              className="dx-legend__dot dx-legend__dot--small"
              style={{ background: UNIT_STATUS_COLORS[s] }}
              aria-hidden="true"
            />
            {t('dispatch.map.unit', { status: t(`dispatchx.unitStatus.${s}`) })}
          </li>
        ))}
      </ul>
    </MapView>
  );
}
