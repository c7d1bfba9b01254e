import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/http/errors.js';
import { type BoundaryDocument, type BoundaryLayer, buildBoundaryDocuments } from './geo.boundaries.js';
import { geoDataset } from './geo.data.js';
import { createLocator, type LocateResult, type Locator } from './geo.locate.js';
import {
  type DepartmentRow,
  type DistrictRow,
  departmentExists,
  listDepartmentRows,
  listDistrictRows,
  listMunicipalityRows,
  type MunicipalityRow,
  municipalityExists,
} from './geo.repo.js';
import { createPlaceSearch, type PlaceResult, type PlaceSearch, type SearchOptions } from './geo.search.js';

/*
 * In-memory indexes are built once per process from the shipped data (the seed warms them at start)
 * and never change at run time, so they need no dependencies and other modules can call `locate` and
 * `searchPlaces` directly.
 */
let locator: Locator | undefined;
let placeSearch: PlaceSearch | undefined;
let boundaries: Record<BoundaryLayer, BoundaryDocument> | undefined;

export function warmGeoIndexes(): void {
  locator ??= createLocator(geoDataset());
  placeSearch ??= createPlaceSearch(geoDataset());
}

export function isValidLonLat(lon: number, lat: number): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/**
 * Department, municipality, district and water body at a WGS84 point. Points outside El Salvador
 * give `insideCountry: false`. Throws GEO_INVALID_COORDINATES (400) for impossible coordinates.
 */
export function locate(lon: number, lat: number): LocateResult {
  if (!isValidLonLat(lon, lat)) throw new AppError('GEO_INVALID_COORDINATES', 400, { lon, lat });
  warmGeoIndexes();
  return locator!(lon, lat);
}

/** Departments, municipalities, districts and water bodies by name (accent- and case-insensitive). */
export function searchPlaces(query: string, options: SearchOptions = {}): PlaceResult[] {
  warmGeoIndexes();
  return placeSearch!(query, options);
}

export function boundaryDocument(layer: BoundaryLayer): BoundaryDocument {
  boundaries ??= buildBoundaryDocuments(geoDataset());
  return boundaries[layer];
}

const collator = new Intl.Collator('es', { sensitivity: 'base', numeric: true });

export async function listDepartments(deps: Pick<AppDeps, 'db'>): Promise<DepartmentRow[]> {
  return listDepartmentRows(deps.db);
}

export async function listMunicipalities(
  deps: Pick<AppDeps, 'db'>,
  filter: { department?: string | undefined } = {},
): Promise<MunicipalityRow[]> {
  if (filter.department && !(await departmentExists(deps.db, filter.department))) {
    throw new AppError('GEO_DEPARTMENT_NOT_FOUND', 404, { code: filter.department });
  }
  const rows = await listMunicipalityRows(deps.db, { departmentCode: filter.department });
  return rows.sort(
    (a, b) => a.departmentCode.localeCompare(b.departmentCode) || collator.compare(a.name, b.name),
  );
}

export async function listDistricts(
  deps: Pick<AppDeps, 'db'>,
  filter: { municipality?: string | undefined; department?: string | undefined } = {},
): Promise<DistrictRow[]> {
  if (filter.municipality && !(await municipalityExists(deps.db, filter.municipality))) {
    throw new AppError('GEO_MUNICIPALITY_NOT_FOUND', 404, { pcode: filter.municipality });
  }
  if (filter.department && !(await departmentExists(deps.db, filter.department))) {
    throw new AppError('GEO_DEPARTMENT_NOT_FOUND', 404, { code: filter.department });
  }
  const rows = await listDistrictRows(deps.db, {
    municipalityPcode: filter.municipality,
    departmentCode: filter.department,
  });
  return rows.sort(
    (a, b) => a.municipalityPcode.localeCompare(b.municipalityPcode) || collator.compare(a.name, b.name),
  );
}
