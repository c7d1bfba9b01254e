import { describe, expect, it } from 'vitest';
import {
  type AreaGeometry,
  bboxOf,
  geometryContains,
  type Position,
  polygonCentroid,
  representativePoint,
  representativePointWhere,
  ringSignedArea,
} from './geometry.js';
import { PointIndex, preparedContains, prepareGeometry } from './point-index.js';
import { simplifySharedBoundaries } from './simplify.js';

const square = (x0: number, y0: number, size: number): Position[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

/** 10×10 square with a 4×4 hole in the middle, plus a separate 2×2 island at x 20. */
const withHoleAndIsland: AreaGeometry = {
  type: 'MultiPolygon',
  coordinates: [[square(0, 0, 10), square(3, 3, 4).reverse()], [square(20, 0, 2)]],
};

/** A "C" whose area centroid lies in the notch, outside the shape. */
const cShape: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [10, 0],
      [10, 2],
      [2, 2],
      [2, 8],
      [10, 8],
      [10, 10],
      [0, 10],
      [0, 0],
    ],
  ],
};

const cases: [string, number, number, boolean][] = [
  ['inside the outer ring', 1, 1, true],
  ['inside the hole', 5, 5, false],
  ['between hole and edge', 8, 5, true],
  ['on the island', 21, 1, true],
  ['between the polygons', 15, 1, false],
  ['left of everything', -1, 5, false],
  ['above everything', 5, 11, false],
];

describe('point in polygon', () => {
  it.each(cases)('simple ray casting: %s', (_label, x, y, expected) => {
    expect(geometryContains(withHoleAndIsland, x, y)).toBe(expected);
  });

  it.each(cases)('prepared (banded) ray casting agrees: %s', (_label, x, y, expected) => {
    expect(preparedContains(prepareGeometry(withHoleAndIsland), x, y)).toBe(expected);
  });

  it('agrees with plain ray casting on many points of a ragged polygon', () => {
    // A star with 200 spikes: many edges per latitude, so the bands matter.
    const ring: Position[] = [];
    for (let i = 0; i < 400; i++) {
      const angle = (i / 400) * 2 * Math.PI;
      const radius = i % 2 === 0 ? 10 : 6 + (i % 7);
      ring.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    }
    ring.push(ring[0]!);
    const geometry: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
    const prepared = prepareGeometry(geometry);
    let inside = 0;
    for (let x = -11; x <= 11; x += 0.37) {
      for (let y = -11; y <= 11; y += 0.41) {
        const expected = geometryContains(geometry, x, y);
        expect(preparedContains(prepared, x, y)).toBe(expected);
        if (expected) inside++;
      }
    }
    expect(inside).toBeGreaterThan(1000);
  });

  it('gives a point on a shared edge to exactly one of two neighbours', () => {
    const index = new PointIndex(
      [
        { id: 'west', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1)] } as AreaGeometry },
        { id: 'east', geometry: { type: 'Polygon', coordinates: [square(1, 0, 1)] } as AreaGeometry },
      ],
      (f) => f.geometry,
    );
    expect(index.findAll(1, 0.5).map((f) => f.id)).toHaveLength(1);
    expect(index.find(0.5, 0.5)?.id).toBe('west');
    expect(index.find(1.5, 0.5)?.id).toBe('east');
    expect(index.find(2.5, 0.5)).toBeNull();
  });

  it('computes bounding boxes over all polygons', () => {
    expect(bboxOf(withHoleAndIsland)).toEqual([0, 0, 22, 10]);
  });
});

describe('representative point', () => {
  it('uses the area centroid when it is inside', () => {
    expect(representativePoint({ type: 'Polygon', coordinates: [square(0, 0, 10)] })).toEqual([5, 5]);
  });

  it('accounts for holes in the centroid', () => {
    // (100 × 5 − 25 × 2.5) / 75
    const [x, y] = polygonCentroid([square(0, 0, 10), square(0, 0, 5).reverse()])!;
    expect(x).toBeCloseTo(5.8333, 3);
    expect(y).toBeCloseTo(5.8333, 3);
  });

  it('falls back to an interior point when the centroid is outside the polygon', () => {
    const centroid = polygonCentroid((cShape as { coordinates: Position[][] }).coordinates)!;
    expect(geometryContains(cShape, centroid[0], centroid[1])).toBe(false);
    const [x, y] = representativePoint(cShape);
    expect(geometryContains(cShape, x, y)).toBe(true);
  });

  it('falls back to an interior point when the centroid is in a hole', () => {
    const ring: AreaGeometry = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10), square(2, 2, 6).reverse()],
    };
    const [x, y] = representativePoint(ring);
    expect(geometryContains(ring, x, y)).toBe(true);
  });

  it('picks the largest polygon of a MultiPolygon', () => {
    const [x] = representativePoint(withHoleAndIsland);
    expect(x).toBeLessThan(10);
  });

  it('prefers a point that satisfies a constraint when there is one', () => {
    const geometry: AreaGeometry = { type: 'Polygon', coordinates: [square(0, 0, 10)] };
    const [x, y] = representativePointWhere(geometry, (lon) => lon > 7);
    expect(x).toBeGreaterThan(7);
    expect(geometryContains(geometry, x, y)).toBe(true);
    expect(representativePointWhere(geometry, () => false)).toEqual([5, 5]);
  });
});

describe('shared-boundary simplification', () => {
  // Two polygons sharing a wiggly border along x ≈ 5.
  const border: Position[] = [];
  for (let i = 0; i <= 50; i++) border.push([5 + 0.01 * Math.sin(i), i / 5]);
  const west: AreaGeometry = {
    type: 'Polygon',
    coordinates: [[[0, 0], ...border, [0, 10], [0, 0]]],
  };
  const east: AreaGeometry = {
    type: 'Polygon',
    coordinates: [[[10, 0], [10, 10], ...[...border].reverse(), [10, 0]]],
  };

  it('simplifies a shared border identically on both sides', () => {
    const [w, e] = simplifySharedBoundaries([west, east], 0.05);
    const pointsOf = (g: AreaGeometry | undefined) =>
      (g as { coordinates: Position[][] }).coordinates[0]!.filter(([x]) => x > 4 && x < 6).map((p) =>
        p.join(),
      );
    const westBorder = pointsOf(w);
    const eastBorder = pointsOf(e);
    expect(westBorder.length).toBeLessThan(border.length);
    expect(westBorder.length).toBeGreaterThanOrEqual(2);
    expect(new Set(westBorder)).toEqual(new Set(eastBorder));
  });

  it('keeps rings closed and valid, and keeps tiny islands', () => {
    const islet: AreaGeometry = { type: 'Polygon', coordinates: [square(30, 30, 0.00001)] };
    const [w, i] = simplifySharedBoundaries([west, islet], 0.05);
    for (const g of [w, i]) {
      const ring = (g as { coordinates: Position[][] }).coordinates[0]!;
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(Math.abs(ringSignedArea(ring))).toBeGreaterThan(0);
    }
  });
});
