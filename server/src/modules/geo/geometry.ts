/**
 * Planar geometry on WGS84 lon/lat for the few operations the geo module needs: bounding boxes,
 * ray-casting point-in-polygon (MultiPolygon and holes), area centroid and a representative point
 * guaranteed to lie inside. Good enough at El Salvador's scale (about 250 km across); no PostGIS.
 */

/** [lon, lat] */
export type Position = [number, number];
export type Ring = Position[];
/** First ring is the outer boundary, the others are holes. */
export type PolygonCoordinates = Ring[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoordinates;
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonCoordinates[];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export function polygonsOf(geometry: AreaGeometry): PolygonCoordinates[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function bboxOfRings(rings: Iterable<Ring>): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return box;
}

export function bboxOf(geometry: AreaGeometry): BBox {
  return bboxOfRings(polygonsOf(geometry).flat());
}

export function bboxContains(box: BBox, lon: number, lat: number): boolean {
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}

/** Even-odd ray casting (ray towards +x). Works whether or not the ring repeats its first vertex. */
export function ringContains(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polygonContains(polygon: PolygonCoordinates, lon: number, lat: number): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || !ringContains(outer, lon, lat)) return false;
  return !holes.some((hole) => ringContains(hole, lon, lat));
}

export function geometryContains(geometry: AreaGeometry, lon: number, lat: number): boolean {
  return polygonsOf(geometry).some((polygon) => polygonContains(polygon, lon, lat));
}

/** Signed planar area in square degrees (positive for counter-clockwise rings). */
export function ringSignedArea(ring: Ring): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    twice += xj * yi - xi * yj;
  }
  return twice / 2;
}

export function polygonArea(polygon: PolygonCoordinates): number {
  const [outer, ...holes] = polygon;
  if (!outer) return 0;
  return Math.abs(ringSignedArea(outer)) - holes.reduce((sum, h) => sum + Math.abs(ringSignedArea(h)), 0);
}

/** Area centroid of one ring, with its unsigned area; null for degenerate rings. */
function ringCentroid(ring: Ring): { x: number; y: number; area: number } | null {
  const origin = ring[0];
  if (!origin) return null;
  const [ox, oy] = origin; // shift to a local origin for numeric stability
  let twice = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0] - ox;
    const yi = ring[i]![1] - oy;
    const xj = ring[j]![0] - ox;
    const yj = ring[j]![1] - oy;
    const cross = xj * yi - xi * yj;
    twice += cross;
    cx += (xi + xj) * cross;
    cy += (yi + yj) * cross;
  }
  if (twice === 0) return null;
  return { x: ox + cx / (3 * twice), y: oy + cy / (3 * twice), area: Math.abs(twice / 2) };
}

/** Area centroid of a polygon with holes (may fall outside a concave polygon). */
export function polygonCentroid(polygon: PolygonCoordinates): Position | null {
  const [outer, ...holes] = polygon;
  const main = outer ? ringCentroid(outer) : null;
  if (!main) return null;
  let area = main.area;
  let sx = main.x * main.area;
  let sy = main.y * main.area;
  for (const hole of holes) {
    const c = ringCentroid(hole);
    if (!c) continue;
    area -= c.area;
    sx -= c.x * c.area;
    sy -= c.y * c.area;
  }
  return area > 0 ? [sx / area, sy / area] : [main.x, main.y];
}

/**
 * Midpoint of the widest inside stretch of the horizontal line at `lat` (even-odd over all rings,
 * so holes are respected); null if the line does not cross the polygon.
 */
function widestStretchMidpoint(polygon: PolygonCoordinates, lat: number): Position | null {
  const xs: number[] = [];
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat) xs.push(((xj - xi) * (lat - yi)) / (yj - yi) + xi);
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position | null = null;
  let bestWidth = 0;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    const width = xs[k + 1]! - xs[k]!;
    if (width > bestWidth) {
      bestWidth = width;
      best = [(xs[k]! + xs[k + 1]!) / 2, lat];
    }
  }
  return best;
}

/**
 * A point inside the polygon, for labels and search results: the area centroid when it is inside,
 * otherwise the middle of the widest inside stretch of a horizontal line through the centroid (then
 * through other latitudes of the bounding box). The largest polygon of a MultiPolygon is used.
 */
export function representativePoint(geometry: AreaGeometry): Position {
  let polygon: PolygonCoordinates | undefined;
  let largest = -1;
  for (const candidate of polygonsOf(geometry)) {
    const area = polygonArea(candidate);
    if (area > largest) {
      largest = area;
      polygon = candidate;
    }
  }
  if (!polygon?.[0]?.[0]) throw new Error('geometría vacía: no hay punto representativo');
  const centroid = polygonCentroid(polygon);
  if (centroid && polygonContains(polygon, centroid[0], centroid[1])) return centroid;
  const [, minLat, , maxLat] = bboxOfRings(polygon);
  const lats = centroid ? [centroid[1]] : [];
  for (const f of [0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875]) lats.push(minLat + (maxLat - minLat) * f);
  for (const lat of lats) {
    const point = widestStretchMidpoint(polygon, lat);
    if (point && polygonContains(polygon, point[0], point[1])) return point;
  }
  return polygon[0][0];
}

/**
 * Like `representativePoint`, but prefers a point that also satisfies `accept` (for example "inside
 * the district's municipality" when the two layers do not nest). Scans horizontal lines across the
 * geometry, samples each inside stretch, and returns the middle of the longest accepted run. Falls
 * back to `representativePoint` when no sample is accepted.
 */
export function representativePointWhere(
  geometry: AreaGeometry,
  accept: (lon: number, lat: number) => boolean,
): Position {
  const first = representativePoint(geometry);
  if (accept(first[0], first[1])) return first;
  const LINES = 41;
  const SAMPLES = 24;
  let best: Position | null = null;
  let bestLength = 0;
  for (const polygon of polygonsOf(geometry)) {
    const [, minLat, , maxLat] = bboxOfRings(polygon);
    for (let line = 1; line <= LINES; line++) {
      const lat = minLat + ((maxLat - minLat) * line) / (LINES + 1);
      const xs: number[] = [];
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i]!;
          const [xj, yj] = ring[j]!;
          if (yi > lat !== yj > lat) xs.push(((xj - xi) * (lat - yi)) / (yj - yi) + xi);
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const x0 = xs[k]!;
        const step = (xs[k + 1]! - x0) / (SAMPLES + 1);
        let runStart = -1;
        for (let s = 1; s <= SAMPLES + 1; s++) {
          const ok = s <= SAMPLES && accept(x0 + step * s, lat);
          if (ok && runStart < 0) runStart = s;
          if (!ok && runStart >= 0) {
            const length = (s - runStart) * step;
            if (length > bestLength) {
              bestLength = length;
              best = [x0 + (step * (runStart + s - 1)) / 2, lat];
            }
            runStart = -1;
          }
        }
      }
    }
  }
  return best ?? first;
}

/** Rounds coordinates to `decimals` (6 decimals is about 0.1 m). */
export function roundPosition([x, y]: Position, decimals: number): Position {
  const f = 10 ** decimals;
  return [Math.round(x * f) / f, Math.round(y * f) / f];
}
