import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MapLibre, type Map as MapLibreMap, Marker, NavigationControl } from 'maplibre-gl';
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';
import { formatNumber, useI18n } from '../../i18n';
import { Alert } from '../states';
import { colors } from '../tokens';
import { geoAttribution } from './attribution';
import { basemapStyle, EL_SALVADOR_BOUNDS, ONLINE_TILE_URL } from './basemap';
import { configureMapWorker } from './worker';

export interface LonLat {
  lon: number;
  lat: number;
}

export interface MapViewProps {
  /** Accessible name of the map region (default "Mapa de El Salvador"). */
  label?: string;
  className?: string;
  style?: CSSProperties;
  /** Initial view (west, south, east, north); default the whole country. */
  bounds?: [number, number, number, number];
  /**
   * Called when a map is ready (again after a language switch, which rebuilds it): add sources and
   * layers here (addPointLayer). May return a cleanup.
   */
  onLoad?: (map: MapLibreMap) => undefined | (() => void);
  /** Click-to-pick mode: a click (or Enter on the focused map: its centre) calls onPick. */
  picking?: boolean;
  onPick?: (position: LonLat) => void;
  /** Marker of the chosen position (controlled). */
  picked?: LonLat | null;
  /** Overlay content in the top-left corner (legend, filters). */
  children?: ReactNode;
}

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/**
 * MapLibre map on the offline El Salvador basemap (server boundaries), with the data licences'
 * attribution, zoom buttons, keyboard navigation and an optional pick-a-location mode.
 */
export function MapView({
  label,
  className,
  style,
  bounds = EL_SALVADOR_BOUNDS,
  onLoad,
  picking = false,
  onPick,
  picked = null,
  children,
}: MapViewProps) {
  const { t, locale } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'unavailable'>('loading');
  const onLoadRef = useRef(onLoad);
  onLoadRef.current = onLoad;
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const pickingRef = useRef(picking);
  pickingRef.current = picking;
  const name = label ?? t('map.label');
  const boundsKey = bounds.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only on language or bounds change
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    if (!webglAvailable()) {
      setStatus('unavailable');
      return;
    }
    configureMapWorker();
    let disposed = false;
    let instance: MapLibreMap | null = null;
    let cleanup: undefined | (() => void);
    setStatus('loading');
    void geoAttribution().then((attribution) => {
      if (disposed) return;
      try {
        instance = new MapLibre({
          container: element,
          style: basemapStyle({ tileUrl: ONLINE_TILE_URL, attribution }),
          bounds: bounds as [number, number, number, number],
          fitBoundsOptions: { padding: 12 },
          attributionControl: { compact: false },
          maplibreLogo: false,
          locale: {
            'Map.Title': name,
            'NavigationControl.ZoomIn': t('map.zoomIn'),
            'NavigationControl.ZoomOut': t('map.zoomOut'),
            'AttributionControl.ToggleAttribution': t('map.attribution'),
          },
        });
      } catch {
        setStatus('unavailable');
        return;
      }
      const created = instance;
      created.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      created.on('load', () => {
        if (disposed) return;
        setStatus('ready');
        setMap(created);
        cleanup = onLoadRef.current?.(created) ?? undefined;
      });
      created.on('click', (event) => {
        if (pickingRef.current) onPickRef.current?.({ lon: event.lngLat.lng, lat: event.lngLat.lat });
      });
      created.getCanvas().addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' || !pickingRef.current) return;
        const center = created.getCenter();
        onPickRef.current?.({ lon: center.lng, lat: center.lat });
      });
    });
    return () => {
      disposed = true;
      cleanup?.();
      setMap(null);
      instance?.remove();
    };
  }, [locale, boundsKey]);

  // The chosen-position marker follows `picked`.
  const marker = useRef<Marker | null>(null);
  useEffect(() => {
    if (!map) return;
    if (!picked) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    marker.current ??= new Marker({ color: colors.map.picked });
    marker.current.setLngLat([picked.lon, picked.lat]).addTo(map);
  }, [map, picked]);
  useEffect(
    () => () => {
      marker.current?.remove();
    },
    [],
  );

  const classes = ['map', picking ? 'map--picking' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <section className={classes} style={style} aria-label={name} data-map-status={status}>
      <div ref={container} className="map__canvas" />
      {status === 'unavailable' ? (
        <div className="map__overlay">
          <Alert tone="warning">{t('map.unavailable')}</Alert>
        </div>
      ) : null}
      {status === 'loading' ? (
        <div className="map__overlay" role="status">
          {t('map.loading')}
        </div>
      ) : null}
      {status === 'ready' && (picking || children) ? (
        <div className="map__overlay">
          {children}
          {picking ? (
            <p style={{ margin: 0 }} aria-live="polite">
              {picked
                ? t('map.picked', {
                    lat: formatNumber(picked.lat, locale, 5),
                    lon: formatNumber(picked.lon, locale, 5),
                  })
                : t('map.pickHint')}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
