import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../../platform/module.js';
import './geo.messages.js';
import { geoRoutes } from './geo.routes.js';
import { seedGeo } from './geo.seed.js';
import './geo.tables.js';

export type { GeoAttributionSource } from './geo.attribution.js';
export { GEO_ATTRIBUTION, GEO_ATTRIBUTION_TEXT, GEO_CODE_NOTE } from './geo.attribution.js';
export type {
  DepartmentRecord,
  DistrictRecord,
  GeoDataset,
  MunicipalityRecord,
  WaterBodyRecord,
} from './geo.data.js';
export { geoDataset } from './geo.data.js';
export { createLocator, type LocateResult, type Locator } from './geo.locate.js';
export type { DepartmentRow, DistrictRow, MunicipalityRow } from './geo.repo.js';
export type { PlaceKind, PlaceResult, SearchOptions } from './geo.search.js';
export {
  isValidLonLat,
  listDepartments,
  listDistricts,
  listMunicipalities,
  locate,
  searchPlaces,
} from './geo.service.js';

export const geoModule: ModuleDefinition = {
  name: 'geo',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: geoRoutes,
  seed: async (deps) => {
    await seedGeo(deps);
  },
};
