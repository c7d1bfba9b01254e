import { type AreaGeometry, type BBox, bboxOf, polygonsOf, type Ring } from './geometry.js';

/**
 * Point-in-polygon index for many lookups against a fixed set of polygons. Each ring keeps its
 * vertices in typed arrays and its edges bucketed into horizontal bands, so a ray cast only looks at
 * the edges whose latitude range can cross the point's latitude (a few dozen instead of thousands).
 * Features and polygons are also prefiltered by bounding box.
 */

interface PreparedRing {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  xs: Float64Array;
  ys: Float64Array;
  bandCount: number;
  bandHeight: number;
  /** Edges of band b are bandEdges[bandStart[b] .. bandStart[b + 1]); edge i joins vertex i and i + 1. */
  bandStart: Int32Array;
  bandEdges: Int32Array;
}

interface PreparedPolygon {
  outer: PreparedRing;
  holes: PreparedRing[];
}

export interface PreparedGeometry {
  bbox: BBox;
  polygons: PreparedPolygon[];
}

/** About this many edges per band; enough bands to keep each ray cast short. */
const EDGES_PER_BAND = 4;
const MAX_BANDS = 4096;

function prepareRing(ring: Ring): PreparedRing {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = first && last && first[0] === last[0] && first[1] === last[1];
  const n = ring.length + (closed ? 0 : 1);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  ring.forEach(([x, y], i) => {
    xs[i] = x;
    ys[i] = y;
  });
  if (!closed && first) {
    xs[n - 1] = first[0];
    ys[n - 1] = first[1];
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const edgeCount = Math.max(0, n - 1);
  const bandCount = Math.min(MAX_BANDS, Math.max(1, Math.ceil(edgeCount / EDGES_PER_BAND)));
  const bandHeight = (maxY - minY) / bandCount || 1;
  const bandOf = (y: number) => Math.min(bandCount - 1, Math.max(0, Math.floor((y - minY) / bandHeight)));

  const counts = new Int32Array(bandCount + 1);
  for (let i = 0; i < edgeCount; i++) {
    const b0 = bandOf(Math.min(ys[i]!, ys[i + 1]!));
    const b1 = bandOf(Math.max(ys[i]!, ys[i + 1]!));
    for (let b = b0; b <= b1; b++) counts[b + 1]!++;
  }
  const bandStart = new Int32Array(bandCount + 1);
  for (let b = 0; b < bandCount; b++) bandStart[b + 1] = bandStart[b]! + counts[b + 1]!;
  const cursor = bandStart.slice(0, bandCount);
  const bandEdges = new Int32Array(bandStart[bandCount]!);
  for (let i = 0; i < edgeCount; i++) {
    const b0 = bandOf(Math.min(ys[i]!, ys[i + 1]!));
    const b1 = bandOf(Math.max(ys[i]!, ys[i + 1]!));
    for (let b = b0; b <= b1; b++) bandEdges[cursor[b]!++] = i;
  }
  return { minX, minY, maxX, maxY, xs, ys, bandCount, bandHeight, bandStart, bandEdges };
}

function preparedRingContains(r: PreparedRing, x: number, y: number): boolean {
  if (x < r.minX || x > r.maxX || y < r.minY || y > r.maxY) return false;
  const band = Math.min(r.bandCount - 1, Math.floor((y - r.minY) / r.bandHeight));
  const { xs, ys, bandEdges } = r;
  const end = r.bandStart[band + 1]!;
  let inside = false;
  for (let k = r.bandStart[band]!; k < end; k++) {
    const i = bandEdges[k]!;
    const yi = ys[i]!;
    const yj = ys[i + 1]!;
    if (yi > y !== yj > y) {
      const xi = xs[i]!;
      if (x < ((xs[i + 1]! - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function prepareGeometry(geometry: AreaGeometry): PreparedGeometry {
  return {
    bbox: bboxOf(geometry),
    polygons: polygonsOf(geometry)
      .filter((polygon) => polygon[0] && polygon[0].length >= 3)
      .map(([outer, ...holes]) => ({ outer: prepareRing(outer!), holes: holes.map(prepareRing) })),
  };
}

export function preparedContains(g: PreparedGeometry, x: number, y: number): boolean {
  const box = g.bbox;
  if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false;
  for (const polygon of g.polygons) {
    if (!preparedRingContains(polygon.outer, x, y)) continue;
    let inHole = false;
    for (const hole of polygon.holes) {
      if (preparedRingContains(hole, x, y)) {
        inHole = true;
        break;
      }
    }
    if (!inHole) return true;
  }
  return false;
}

/** A list of features with prepared geometry; `find` returns the first one containing the point. */
export class PointIndex<T> {
  private readonly entries: { item: T; geometry: PreparedGeometry }[];

  constructor(items: readonly T[], geometryOf: (item: T) => AreaGeometry) {
    this.entries = items.map((item) => ({ item, geometry: prepareGeometry(geometryOf(item)) }));
  }

  find(lon: number, lat: number): T | null {
    for (const entry of this.entries) {
      if (preparedContains(entry.geometry, lon, lat)) return entry.item;
    }
    return null;
  }

  findAll(lon: number, lat: number): T[] {
    return this.entries.filter((e) => preparedContains(e.geometry, lon, lat)).map((e) => e.item);
  }
}
