import type { PointCollection } from '../../ui/map';
import { colors } from '../../ui/tokens';
import type { Incident, Unit, UnitStatus } from './types';

/** Unclassified incidents (no priority yet). */
export const NO_PRIORITY_COLOR = '#4a5563';

/** Unit colours by status (white outline on the map; each ≥ 3:1 against the land colour). */
export const UNIT_STATUS_COLORS: Record<UnitStatus, string> = {
  available: '#1e6b34',
  assigned: '#0b4f8a',
  en_route: '#6a1b9a',
  on_scene: '#8a4b00',
  out_of_service: '#5a6472',
};

export const PRIORITY_COLORS: Record<1 | 2 | 3 | 4, string> = {
  1: colors.priority.p1,
  2: colors.priority.p2,
  3: colors.priority.p3,
  4: colors.priority.p4,
};

/** MapLibre expression: the colour of an incident point by its `priority` property. */
export const PRIORITY_COLOR_EXPRESSION: unknown[] = [
  'match',
  ['get', 'priority'],
  1,
  PRIORITY_COLORS[1],
  2,
  PRIORITY_COLORS[2],
  3,
  PRIORITY_COLORS[3],
  4,
  PRIORITY_COLORS[4],
  NO_PRIORITY_COLOR,
];

/** MapLibre expression: the colour of a unit point by its `status` property. */
export const UNIT_COLOR_EXPRESSION: unknown[] = [
  'match',
  ['get', 'status'],
  ...Object.entries(UNIT_STATUS_COLORS).flat(),
  UNIT_STATUS_COLORS.out_of_service,
];

export function incidentPoints(incidents: Iterable<Incident>): PointCollection {
  const features: PointCollection['features'] = [];
  for (const i of incidents) {
    if (i.location.lon === null || i.location.lat === null) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
      properties: { id: i.id, folio: i.folio, priority: i.priority ?? 0, status: i.status },
    });
  }
  return { type: 'FeatureCollection', features };
}

export function unitPoints(units: Iterable<Unit>): PointCollection {
  const features: PointCollection['features'] = [];
  for (const u of units) {
    if (!u.position) continue;
    features.push({
      type: 'Feature',
      id: u.id,
      geometry: { type: 'Point', coordinates: [u.position.lon, u.position.lat] },
      properties: { id: u.id, callSign: u.callSign, status: u.status },
    });
  }
  return { type: 'FeatureCollection', features };
}
