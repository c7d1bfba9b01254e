import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GEO_ATTRIBUTION_TEXT } from './geo.attribution.js';
import type { GeoDataset } from './geo.data.js';
import { roundPosition } from './geometry.js';
import { simplifySharedBoundaries } from './simplify.js';

export type BoundaryLayer = 'departments' | 'municipalities';

/** Simplification tolerance in degrees (0.0005° ≈ 55 m): fine for a national or city map. */
export const BOUNDARY_TOLERANCE_DEGREES = 0.0005;

export interface BoundaryDocument {
  /** The FeatureCollection, serialised once. */
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  featureCount: number;
}

/**
 * Lighter copies of the department and municipality layers for web maps (the citizen portal and the
 * command centre). Built once from the shipped data; each feature carries its codes and a label point.
 */
export function buildBoundaryDocuments(data: GeoDataset): Record<BoundaryLayer, BoundaryDocument> {
  const departmentName = new Map(data.departments.map((d) => [d.code, d.name]));
  const simplifiedDepartments = simplifySharedBoundaries(
    data.departments.map((d) => d.geometry),
    BOUNDARY_TOLERANCE_DEGREES,
  );
  const simplifiedMunicipalities = simplifySharedBoundaries(
    data.municipalities.map((m) => m.geometry),
    BOUNDARY_TOLERANCE_DEGREES,
  );
  const departments = data.departments.map((d, i) => ({
    type: 'Feature',
    id: d.code,
    properties: {
      code: d.code,
      officialCode: d.officialCode,
      name: d.name,
      labelPoint: roundPosition(d.labelPoint, 5),
    },
    geometry: simplifiedDepartments[i],
  }));
  const municipalities = data.municipalities.map((m, i) => ({
    type: 'Feature',
    id: m.pcode,
    properties: {
      pcode: m.pcode,
      name: m.name,
      departmentCode: m.departmentCode,
      departmentName: departmentName.get(m.departmentCode),
      areaKm2: m.areaKm2,
      labelPoint: roundPosition(m.labelPoint, 5),
    },
    geometry: simplifiedMunicipalities[i],
  }));
  const document = (features: unknown[]): BoundaryDocument => {
    const body = Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        attribution: GEO_ATTRIBUTION_TEXT,
        features,
      }),
      'utf8',
    );
    return {
      body,
      gzipped: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
      featureCount: features.length,
    };
  };
  return { departments: document(departments), municipalities: document(municipalities) };
}
