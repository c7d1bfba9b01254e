import type {
  DepartmentRecord,
  DistrictRecord,
  GeoDataset,
  MunicipalityRecord,
  WaterBodyRecord,
} from './geo.data.js';
import { type BBox, bboxContains } from './geometry.js';
import { PointIndex } from './point-index.js';

export interface LocateResult {
  lon: number;
  lat: number;
  insideCountry: boolean;
  department: { code: string; officialCode: string; name: string } | null;
  municipality: { pcode: string; name: string } | null;
  /** Only when the district polygon containing the point belongs to the municipality found. */
  district: { id: string; name: string } | null;
  waterBody: { pcode: string; name: string } | null;
}

/**
 * Resolves a point to department / municipality / district / water body:
 * - municipality by point-in-polygon on the 2024 municipalities (HDX); the department is then the
 *   municipality's, so the two always nest;
 * - lakes are gaps in the municipalities: a point there gets its water body, and its department by
 *   point-in-polygon on the departments layer (which includes the lakes);
 * - the district comes from a different source (geoBoundaries) that does not nest cleanly, so it is
 *   only reported when the district containing the point belongs to the municipality found.
 */
export type Locator = (lon: number, lat: number) => LocateResult;

export function createLocator(data: GeoDataset): Locator {
  const departments = new PointIndex(data.departments, (d) => d.geometry);
  const municipalities = new PointIndex(data.municipalities, (m) => m.geometry);
  const waterBodies = new PointIndex(data.waterBodies, (w) => w.geometry);
  const departmentByCode = new Map(data.departments.map((d) => [d.code, d]));
  const districtsByMunicipality = new Map<string, PointIndex<DistrictRecord>>();
  for (const m of data.municipalities) {
    districtsByMunicipality.set(
      m.pcode,
      new PointIndex(
        data.districts.filter((d) => d.municipalityPcode === m.pcode),
        (d) => d.geometry,
      ),
    );
  }
  const country: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const d of data.departments) {
    country[0] = Math.min(country[0], d.bbox[0]);
    country[1] = Math.min(country[1], d.bbox[1]);
    country[2] = Math.max(country[2], d.bbox[2]);
    country[3] = Math.max(country[3], d.bbox[3]);
  }

  const describeDepartment = (d: DepartmentRecord) => ({
    code: d.code,
    officialCode: d.officialCode,
    name: d.name,
  });

  return (lon, lat) => {
    const result: LocateResult = {
      lon,
      lat,
      insideCountry: false,
      department: null,
      municipality: null,
      district: null,
      waterBody: null,
    };
    if (!bboxContains(country, lon, lat)) return result;

    const municipality: MunicipalityRecord | null = municipalities.find(lon, lat);
    let department: DepartmentRecord | null | undefined;
    if (municipality) {
      department = departmentByCode.get(municipality.departmentCode);
      result.municipality = { pcode: municipality.pcode, name: municipality.name };
      const district = districtsByMunicipality.get(municipality.pcode)?.find(lon, lat);
      if (district) result.district = { id: district.id, name: district.name };
    } else {
      const water: WaterBodyRecord | null = waterBodies.find(lon, lat);
      if (water) result.waterBody = { pcode: water.pcode, name: water.name };
      department = departments.find(lon, lat) ?? (water ? departmentByCode.get(water.departmentCode) : null);
    }
    if (department) {
      result.department = describeDepartment(department);
      result.insideCountry = true;
    }
    return result;
  };
}
