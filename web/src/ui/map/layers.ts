import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent, Map as MapLibreMap } from 'maplibre-gl';
import { colors } from '../tokens';

export type PointCollection = FeatureCollection<Point, Record<string, unknown>>;

/**
 * Points for a map layer from any list: `pointFeatures(incidents, (i) => i.location && [i.location.lon,
 * i.location.lat], (i) => ({ id: i.id, priority: i.priority }))`. Items without a position are skipped.
 */
export function pointFeatures<T>(
  items: readonly T[],
  position: (item: T) => readonly [number, number] | null | undefined | false,
  properties: (item: T) => Record<string, unknown>,
): PointCollection {
  const features: Feature<Point, Record<string, unknown>>[] = [];
  for (const item of items) {
    const lonLat = position(item);
    if (!lonLat) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lonLat[0], lonLat[1]] },
      properties: properties(item),
    });
  }
  return { type: 'FeatureCollection', features };
}

export const EMPTY_POINTS: PointCollection = { type: 'FeatureCollection', features: [] };

/** A MapLibre colour expression or a plain colour (e.g. by priority: ['match', ['get', 'priority'], …]). */
export type ColorValue = string | unknown[];

export interface PointLayerOptions {
  /** Source id; layers are `<id>-points` and, with clustering, `<id>-clusters`. */
  id: string;
  data: PointCollection;
  color?: ColorValue;
  radius?: number;
  /** Group nearby points into clusters sized by count (clicking one zooms in). */
  cluster?: boolean;
  /** Click (or tap) on a single point: its properties (GeoJSON properties are flat values). */
  onClick?: (properties: Record<string, unknown>, lngLat: { lon: number; lat: number }) => void;
}

/**
 * Adds a GeoJSON point source with its circle layers (incidents, units, cameras…) above the basemap.
 * Call after the map's `load`; update with setPointData; the returned function removes it all.
 */
export function addPointLayer(map: MapLibreMap, options: PointLayerOptions): () => void {
  const { id, data, cluster = false, radius = 7 } = options;
  const color = (options.color ?? colors.map.incident) as string;
  map.addSource(id, {
    type: 'geojson',
    data,
    ...(cluster ? { cluster: true, clusterRadius: 40, clusterMaxZoom: 14 } : {}),
  });
  const pointsLayer = `${id}-points`;
  const clustersLayer = `${id}-clusters`;
  if (cluster) {
    map.addLayer({
      id: clustersLayer,
      type: 'circle',
      source: id,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': color,
        'circle-opacity': 0.75,
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 20, 50, 28],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  }
  map.addLayer({
    id: pointsLayer,
    type: 'circle',
    source: id,
    ...(cluster ? { filter: ['!', ['has', 'point_count']] } : {}),
    paint: {
      'circle-color': color,
      'circle-radius': radius,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });

  const onPointClick = (event: MapLayerMouseEvent) => {
    const feature = event.features?.[0];
    if (!feature || !options.onClick) return;
    options.onClick(feature.properties ?? {}, { lon: event.lngLat.lng, lat: event.lngLat.lat });
  };
  const onClusterClick = async (event: MapLayerMouseEvent) => {
    const feature = event.features?.[0];
    const clusterId = feature?.properties?.cluster_id;
    const source = map.getSource<GeoJSONSource>(id);
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
  const interactive = cluster ? [pointsLayer, clustersLayer] : [pointsLayer];
  map.on('click', pointsLayer, onPointClick);
  if (cluster) map.on('click', clustersLayer, onClusterClick);
  for (const layer of interactive) {
    map.on('mouseenter', layer, pointer);
    map.on('mouseleave', layer, noPointer);
  }

  return () => {
    map.off('click', pointsLayer, onPointClick);
    if (cluster) map.off('click', clustersLayer, onClusterClick);
    for (const layer of interactive) {
      map.off('mouseenter', layer, pointer);
      map.off('mouseleave', layer, noPointer);
      if (map.getLayer(layer)) map.removeLayer(layer);
    }
    if (map.getSource(id)) map.removeSource(id);
  };
}

/** Replaces the points of a layer added with addPointLayer (e.g. after a live event). */
export function setPointData(map: MapLibreMap, id: string, data: PointCollection): void {
  map.getSource<GeoJSONSource>(id)?.setData(data);
}

/** Moves the view to show every point (no-op without points). */
export function fitToPoints(map: MapLibreMap, data: PointCollection, maxZoom = 14): void {
  if (data.features.length === 0) return;
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const f of data.features) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  map.fitBounds(
    [
      [west, south],
      [east, north],
    ],
    { padding: 48, maxZoom, duration: 0 },
  );
}
