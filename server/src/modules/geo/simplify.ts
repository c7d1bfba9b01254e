import { type AreaGeometry, type Position, type Ring, roundPosition } from './geometry.js';

/**
 * Douglas–Peucker simplification for a set of polygons that share boundaries (departments,
 * municipalities). Vertices where the set of rings through a point changes are kept fixed, so a
 * border shared by two polygons is simplified the same way on both sides and no gaps or slivers
 * open between neighbours. Used for the lighter boundary layers served to web maps; lookups always
 * use the full-resolution data.
 */

const keyOf = ([x, y]: Position) => `${x},${y}`;

function openRing(ring: Ring): Ring {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1]
    ? ring.slice(0, -1)
    : ring;
}

function segmentDistanceSq(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSq = dx * dx + dy * dy;
  let t = lengthSq === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSq;
  t = Math.max(0, Math.min(1, t));
  const ex = p[0] - (a[0] + t * dx);
  const ey = p[1] - (a[1] + t * dy);
  return ex * ex + ey * ey;
}

/** Marks in `keep` the vertices of `ring` (by index list `path`) that Douglas–Peucker retains. */
function douglasPeucker(ring: Ring, path: number[], toleranceSq: number, keep: boolean[]): void {
  const stack: [number, number][] = [[0, path.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    if (to - from < 2) continue;
    const a = ring[path[from]!]!;
    const b = ring[path[to]!]!;
    let worst = -1;
    let worstDistance = toleranceSq;
    for (let k = from + 1; k < to; k++) {
      const d = segmentDistanceSq(ring[path[k]!]!, a, b);
      if (d > worstDistance) {
        worstDistance = d;
        worst = k;
      }
    }
    if (worst < 0) continue;
    keep[path[worst]!] = true;
    stack.push([from, worst], [worst, to]);
  }
}

function farthestFrom(ring: Ring, index: number): number {
  const [x0, y0] = ring[index]!;
  let best = index;
  let bestDistance = -1;
  ring.forEach(([x, y], i) => {
    const d = (x - x0) ** 2 + (y - y0) ** 2;
    if (d > bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

export function simplifySharedBoundaries(
  geometries: readonly AreaGeometry[],
  tolerance: number,
  decimals = 5,
): AreaGeometry[] {
  const polygonSets = geometries.map((g) =>
    (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((polygon) => polygon.map(openRing)),
  );
  const rings = polygonSets.flat(2);

  // Which rings pass through each vertex.
  const members = new Map<string, number[]>();
  rings.forEach((ring, ringId) => {
    for (const p of ring) {
      const key = keyOf(p);
      const list = members.get(key);
      if (!list) members.set(key, [ringId]);
      else if (list[list.length - 1] !== ringId) list.push(ringId);
    }
  });
  const signatureOf = (p: Position) => members.get(keyOf(p))!.join(' ');

  // A vertex is fixed where the set of rings through it changes along some ring.
  const fixed = new Set<string>();
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const here = signatureOf(ring[i]!);
      if (here !== signatureOf(ring[(i + n - 1) % n]!) || here !== signatureOf(ring[(i + 1) % n]!)) {
        fixed.add(keyOf(ring[i]!));
      }
    }
  }

  const toleranceSq = tolerance * tolerance;
  const simplifyRing = (ring: Ring): Ring => {
    const n = ring.length;
    const anchors: number[] = [];
    ring.forEach((p, i) => {
      if (fixed.has(keyOf(p))) anchors.push(i);
    });
    if (anchors.length === 0) anchors.push(0);
    if (anchors.length === 1) {
      const other = farthestFrom(ring, anchors[0]!);
      if (other !== anchors[0]) anchors.push(other);
      anchors.sort((a, b) => a - b);
    }
    const keep = new Array<boolean>(n).fill(false);
    for (const a of anchors) keep[a] = true;
    for (let k = 0; k < anchors.length; k++) {
      const from = anchors[k]!;
      const to = k + 1 < anchors.length ? anchors[k + 1]! : anchors[0]! + n;
      const path: number[] = [];
      for (let i = from; i <= to; i++) path.push(i % n);
      douglasPeucker(ring, path, toleranceSq, keep);
    }
    const out: Ring = [];
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const p = roundPosition(ring[i]!, decimals);
      const prev = out[out.length - 1];
      if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
    }
    const first = out[0];
    const last = out[out.length - 1];
    if (first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
    if (out.length < 3) {
      // Tiny ring (an islet): keep its original shape rather than collapse it.
      return [...ring.map((p) => roundPosition(p, decimals)), roundPosition(ring[0]!, decimals)];
    }
    out.push(out[0]!);
    return out;
  };

  return polygonSets.map((polygons, i) => {
    const simplified = polygons.map((polygon) => polygon.map(simplifyRing));
    return geometries[i]!.type === 'Polygon'
      ? { type: 'Polygon', coordinates: simplified[0]! }
      : { type: 'MultiPolygon', coordinates: simplified };
  });
}
