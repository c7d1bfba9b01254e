import type { AddLayerObject, MapOptions } from 'maplibre-gl';
import { colors } from '../tokens';

export type MapStyle = Exclude<MapOptions['style'], string | undefined>;

/** El Salvador in WGS84 (west, south, east, north), with a small margin. */
export const EL_SALVADOR_BOUNDS: [number, number, number, number] = [-90.2, 13.1, -87.6, 14.5];

/** Optional online raster tiles (e.g. https://tile.example.org/{z}/{x}/{y}.png), set at build time. */
export const ONLINE_TILE_URL: string | undefined = import.meta.env.VITE_TILE_URL || undefined;
export const ONLINE_TILE_ATTRIBUTION: string | undefined = import.meta.env.VITE_TILE_ATTRIBUTION || undefined;

const absolute = (path: string) => new URL(path, window.location.origin).href;

export const BOUNDARY_URLS = {
  departments: '/api/v1/geo/boundaries/departments.geojson',
  municipalities: '/api/v1/geo/boundaries/municipalities.geojson',
} as const;

/** Ids of the basemap's layers: add your own layers above BASEMAP_TOP_LAYER. */
export const BASEMAP_TOP_LAYER = 'sv-departments-line';

/**
 * The offline basemap: sea background, department fills, municipality and department borders, all
 * from the server's shipped boundaries (no tile server, no glyphs: no text labels). With
 * VITE_TILE_URL set, online raster tiles go underneath and the fills become translucent.
 */
export function basemapStyle(options: { tileUrl?: string | undefined; attribution: string }): MapStyle {
  const online = Boolean(options.tileUrl);
  const layers: AddLayerObject[] = [
    { id: 'background', type: 'background', paint: { 'background-color': colors.map.water } },
  ];
  if (online) layers.push({ id: 'online-tiles', type: 'raster', source: 'online-tiles' });
  layers.push(
    {
      id: 'sv-departments-fill',
      type: 'fill',
      source: 'sv-departments',
      paint: { 'fill-color': colors.map.departmentFill, 'fill-opacity': online ? 0.15 : 1 },
    },
    {
      id: 'sv-municipalities-line',
      type: 'line',
      source: 'sv-municipalities',
      minzoom: 7.5,
      paint: { 'line-color': colors.map.municipalityLine, 'line-width': 0.7, 'line-dasharray': [3, 2] },
    },
    {
      id: BASEMAP_TOP_LAYER,
      type: 'line',
      source: 'sv-departments',
      paint: {
        'line-color': colors.map.departmentLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1, 12, 2.5],
      },
    },
  );
  return {
    version: 8,
    name: 'Centinela El Salvador (sin conexión)',
    sources: {
      'sv-departments': {
        type: 'geojson',
        data: absolute(BOUNDARY_URLS.departments),
        attribution: options.attribution,
      },
      'sv-municipalities': { type: 'geojson', data: absolute(BOUNDARY_URLS.municipalities) },
      ...(online && options.tileUrl
        ? {
            'online-tiles': {
              type: 'raster' as const,
              tiles: [options.tileUrl],
              tileSize: 256,
              ...(ONLINE_TILE_ATTRIBUTION ? { attribution: ONLINE_TILE_ATTRIBUTION } : {}),
            },
          }
        : {}),
    },
    layers: layers as MapStyle['layers'],
  };
}
