import { api, unwrap } from '../../api';

let cached: Promise<string> | null = null;

/**
 * The attribution the boundary licences require (GET /api/v1/geo/attribution), fetched once per
 * page. If the server cannot be reached the map still shows the sources by name.
 */
export function geoAttribution(): Promise<string> {
  cached ??= unwrap(api.GET('/api/v1/geo/attribution')).then(
    (a) => a.text,
    () => {
      cached = null;
      return 'Límites: OCHA/HDX COD-AB El Salvador (CC BY-IGO); geoBoundaries (CC BY 4.0); OpenStreetMap (ODbL)';
    },
  );
  return cached;
}
