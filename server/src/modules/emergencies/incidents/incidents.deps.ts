import type { AppDeps } from '../../../platform/deps.js';

export interface LocatedPoint {
  insideCountry: boolean;
  departmentCode: string | null;
  municipalityPcode: string | null;
  districtName: string | null;
}

/** Territorial lookups the 911 module needs (implemented by the geo module). */
export interface Locator {
  locate(lon: number, lat: number): LocatedPoint;
  departmentOfMunicipality(pcode: string): string | null;
}

export interface EmergenciesDeps extends AppDeps {
  locator: Locator;
  duplicateWindow: { meters: number; minutes: number };
}
