/**
 * Maps (MapLibre GL, ~1 MB): import from 'ui/map' only in lazily loaded surfaces so the login and
 * shell stay light.
 */
export type { Map as MapLibreMap } from 'maplibre-gl';
export { geoAttribution } from './attribution';
export { BASEMAP_TOP_LAYER, basemapStyle, EL_SALVADOR_BOUNDS, ONLINE_TILE_URL } from './basemap';
export {
  addPointLayer,
  type ColorValue,
  EMPTY_POINTS,
  fitToPoints,
  type PointCollection,
  type PointLayerOptions,
  pointFeatures,
  setPointData,
} from './layers';
export { type LonLat, MapView, type MapViewProps } from './MapView';
