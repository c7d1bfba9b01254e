import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AreaGeometry,
  type BBox,
  bboxOf,
  type Position,
  representativePoint,
  representativePointWhere,
} from './geometry.js';
import { type PreparedGeometry, preparedContains, prepareGeometry } from './point-index.js';

/**
 * The territorial data shipped with the module (see data/SOURCES.md): 14 departments, the 44
 * municipalities of the 2024 reform, the 262 districts (former municipalities) and 4 water bodies.
 * Read once per process from the module's own data folder; never from outside the repository.
 */

export const GEO_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export const GEO_DATA_FILES = [
  'departamentos.geojson',
  'municipios.geojson',
  'distritos.geojson',
  'cuerpos-de-agua.geojson',
  'division-territorial.csv',
] as const;

/** Bump when the derivation of stored rows changes (ids, label points...) so the seed reloads. */
const LOADER_VERSION = 'geo-loader-1';

export interface DepartmentRecord {
  /** ISO 3166-2, e.g. SV-SS. */
  code: string;
  /** Official number "01".."14" (DIGESTYC, Hacienda CAT-012), west to east. */
  officialCode: string;
  name: string;
  /** HDX pcode: alphabetical, NOT the official number. */
  hdxPcode: string;
  bbox: BBox;
  labelPoint: Position;
  geometry: AreaGeometry;
}

export interface MunicipalityRecord {
  /** HDX pcode, e.g. SV10001. */
  pcode: string;
  name: string;
  departmentCode: string;
  areaKm2: number;
  bbox: BBox;
  labelPoint: Position;
  geometry: AreaGeometry;
}

export interface DistrictRecord {
  /** `<municipality pcode>-<slug of the name>`, e.g. SV10001-san-salvador (stable across reloads). */
  id: string;
  name: string;
  municipalityPcode: string;
  departmentCode: string;
  /** Share of the district polygon inside its decree municipality's polygon (0..1). */
  overlapShare: number;
  gbShapeId: string;
  sourceName: string;
  bbox: BBox;
  labelPoint: Position;
  geometry: AreaGeometry;
}

export interface WaterBodyRecord {
  pcode: string;
  name: string;
  departmentCode: string;
  areaKm2: number;
  bbox: BBox;
  labelPoint: Position;
  geometry: AreaGeometry;
}

export interface GeoDataset {
  /** SHA-256 over the data files and the loader version. */
  checksum: string;
  departments: DepartmentRecord[];
  municipalities: MunicipalityRecord[];
  districts: DistrictRecord[];
  waterBodies: WaterBodyRecord[];
}

interface RawFeature {
  properties: Record<string, unknown>;
  geometry: AreaGeometry;
}

class GeoDataError extends Error {
  constructor(file: string, problem: string) {
    super(`datos geográficos inválidos (${file}): ${problem}`);
  }
}

function readFeatures(file: string, raw: string): RawFeature[] {
  const doc = JSON.parse(raw) as { type?: unknown; features?: unknown };
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new GeoDataError(file, 'no es una FeatureCollection');
  }
  return doc.features.map((f: { properties?: unknown; geometry?: { type?: unknown } }, i: number) => {
    const type = f.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') {
      throw new GeoDataError(file, `el elemento ${i} no es Polygon ni MultiPolygon`);
    }
    return {
      properties: (f.properties ?? {}) as Record<string, unknown>,
      geometry: f.geometry as AreaGeometry,
    };
  });
}

function text(file: string, props: Record<string, unknown>, key: string, pattern?: RegExp): string {
  const value = props[key];
  if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
    throw new GeoDataError(file, `propiedad ${key} inválida: ${JSON.stringify(value)}`);
  }
  return value;
}

function number(file: string, props: Record<string, unknown>, key: string): number {
  const value = props[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GeoDataError(file, `propiedad ${key} inválida: ${JSON.stringify(value)}`);
  }
  return value;
}

export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function expectCount(file: string, items: unknown[], expected: number): void {
  if (items.length !== expected) {
    throw new GeoDataError(file, `se esperaban ${expected} elementos y hay ${items.length}`);
  }
}

/** Reads, validates and derives the dataset (ids, bounding boxes, label points). Throws on bad data. */
export function loadGeoDataset(dir = GEO_DATA_DIR): GeoDataset {
  const hash = createHash('sha256').update(LOADER_VERSION);
  const raw = Object.fromEntries(
    GEO_DATA_FILES.map((file) => {
      const content = readFileSync(path.join(dir, file), 'utf8');
      hash.update(`\0${file}\0`).update(content);
      return [file, content];
    }),
  ) as Record<(typeof GEO_DATA_FILES)[number], string>;

  const departments = readFeatures('departamentos.geojson', raw['departamentos.geojson']).map(
    ({ properties: p, geometry }): DepartmentRecord => {
      const f = 'departamentos.geojson';
      return {
        code: text(f, p, 'code', /^SV-[A-Z]{2}$/),
        officialCode: text(f, p, 'official_code', /^(0[1-9]|1[0-4])$/),
        name: text(f, p, 'name'),
        hdxPcode: text(f, p, 'pcode', /^SV\d{2}$/),
        bbox: bboxOf(geometry),
        labelPoint: representativePoint(geometry),
        geometry,
      };
    },
  );
  expectCount('departamentos.geojson', departments, 14);
  const departmentCodes = new Set(departments.map((d) => d.code));
  if (departmentCodes.size !== 14 || new Set(departments.map((d) => d.officialCode)).size !== 14) {
    throw new GeoDataError('departamentos.geojson', 'códigos repetidos');
  }

  const municipalities = readFeatures('municipios.geojson', raw['municipios.geojson']).map(
    ({ properties: p, geometry }): MunicipalityRecord => {
      const f = 'municipios.geojson';
      const departmentCode = text(f, p, 'department_code');
      if (!departmentCodes.has(departmentCode)) throw new GeoDataError(f, `departamento ${departmentCode}`);
      return {
        pcode: text(f, p, 'pcode', /^SV\d{5}$/),
        name: text(f, p, 'name'),
        departmentCode,
        areaKm2: number(f, p, 'area_km2'),
        bbox: bboxOf(geometry),
        labelPoint: representativePoint(geometry),
        geometry,
      };
    },
  );
  expectCount('municipios.geojson', municipalities, 44);
  const municipalityByPcode = new Map(municipalities.map((m) => [m.pcode, m]));
  if (municipalityByPcode.size !== 44) throw new GeoDataError('municipios.geojson', 'pcodes repetidos');
  const preparedMunicipalities = new Map<string, PreparedGeometry>();

  const districts = readFeatures('distritos.geojson', raw['distritos.geojson']).map(
    ({ properties: p, geometry }): DistrictRecord => {
      const f = 'distritos.geojson';
      const name = text(f, p, 'name');
      const municipalityPcode = text(f, p, 'municipality_pcode');
      const municipality = municipalityByPcode.get(municipalityPcode);
      const departmentCode = text(f, p, 'department_code');
      if (!municipality || municipality.departmentCode !== departmentCode) {
        throw new GeoDataError(f, `${name}: municipio ${municipalityPcode} / ${departmentCode} desconocido`);
      }
      const overlapShare = number(f, p, 'municipality_overlap');
      if (overlapShare < 0 || overlapShare > 1) throw new GeoDataError(f, `${name}: municipality_overlap`);
      return {
        id: `${municipalityPcode}-${slugify(name)}`,
        name,
        municipalityPcode,
        departmentCode,
        overlapShare,
        gbShapeId: text(f, p, 'gb_shape_id'),
        sourceName: text(f, p, 'source_name'),
        bbox: bboxOf(geometry),
        // Prefer a point that is also inside the municipality, so that locating it finds this district.
        labelPoint: representativePointWhere(geometry, (x, y) => {
          let prepared = preparedMunicipalities.get(municipalityPcode);
          if (!prepared) {
            prepared = prepareGeometry(municipality.geometry);
            preparedMunicipalities.set(municipalityPcode, prepared);
          }
          return preparedContains(prepared, x, y);
        }),
        geometry,
      };
    },
  );
  expectCount('distritos.geojson', districts, 262);
  if (new Set(districts.map((d) => d.id)).size !== districts.length) {
    throw new GeoDataError('distritos.geojson', 'identificadores de distrito repetidos');
  }

  const waterBodies = readFeatures('cuerpos-de-agua.geojson', raw['cuerpos-de-agua.geojson']).map(
    ({ properties: p, geometry }): WaterBodyRecord => {
      const f = 'cuerpos-de-agua.geojson';
      const departmentCode = text(f, p, 'department_code');
      if (!departmentCodes.has(departmentCode)) throw new GeoDataError(f, `departamento ${departmentCode}`);
      return {
        pcode: text(f, p, 'pcode'),
        name: text(f, p, 'name'),
        departmentCode,
        areaKm2: number(f, p, 'area_km2'),
        bbox: bboxOf(geometry),
        labelPoint: representativePoint(geometry),
        geometry,
      };
    },
  );

  checkDecreeList(raw['division-territorial.csv'], departments, municipalities, districts);

  return {
    checksum: hash.digest('hex'),
    departments,
    municipalities,
    districts,
    waterBodies,
  };
}

/** The district list of Decreto 762 must match the districts layer exactly (names and grouping). */
function checkDecreeList(
  csv: string,
  departments: DepartmentRecord[],
  municipalities: MunicipalityRecord[],
  districts: DistrictRecord[],
): void {
  const f = 'division-territorial.csv';
  const [header, ...rows] = csv.trim().split('\n');
  if (header !== 'district,municipality,department,department_code') throw new GeoDataError(f, 'encabezado');
  const departmentName = new Map(departments.map((d) => [d.code, d.name]));
  const fromLayer = new Set(
    districts.map((d) => {
      const m = municipalities.find((x) => x.pcode === d.municipalityPcode)!;
      return [d.name, m.name, departmentName.get(d.departmentCode), d.departmentCode].join(',');
    }),
  );
  expectCount(f, rows, 262);
  for (const row of rows) {
    if (!fromLayer.has(row)) throw new GeoDataError(f, `fila sin distrito correspondiente: ${row}`);
  }
}

let cached: GeoDataset | undefined;

/** The shipped dataset, loaded on first use and kept for the life of the process. */
export function geoDataset(): GeoDataset {
  cached ??= loadGeoDataset();
  return cached;
}
