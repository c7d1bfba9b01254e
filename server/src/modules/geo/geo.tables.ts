import type { Json } from '../../platform/db/schema.js';
import type { AreaGeometry } from './geometry.js';

export interface GeoDatasetsTable {
  name: string;
  checksum: string;
  counts: Json<Record<string, number>>;
  loaded_at: Date;
}

interface BoxAndLabel {
  bbox_min_lon: number;
  bbox_min_lat: number;
  bbox_max_lon: number;
  bbox_max_lat: number;
  label_lon: number;
  label_lat: number;
}

export interface DepartmentsTable extends BoxAndLabel {
  code: string;
  official_code: string;
  name: string;
  hdx_pcode: string;
  geometry: Json<AreaGeometry>;
}

export interface MunicipalitiesTable extends BoxAndLabel {
  pcode: string;
  name: string;
  department_code: string;
  area_km2: number;
  geometry: Json<AreaGeometry>;
}

export interface DistrictsTable extends BoxAndLabel {
  id: string;
  name: string;
  municipality_pcode: string;
  department_code: string;
  overlap_share: number;
  gb_shape_id: string;
  source_name: string;
  geometry: Json<AreaGeometry>;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    geo_datasets: GeoDatasetsTable;
    departments: DepartmentsTable;
    municipalities: MunicipalitiesTable;
    districts: DistrictsTable;
  }
}
