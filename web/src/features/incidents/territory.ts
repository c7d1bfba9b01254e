import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api';

interface Names {
  departments: Map<string, string>;
  municipalities: Map<string, string>;
}

let namesPromise: Promise<Names> | null = null;

/** Department and municipality names by code (one request each per page load). */
function loadNames(): Promise<Names> {
  namesPromise ??= Promise.all([
    unwrap(api.GET('/api/v1/geo/departments')),
    unwrap(api.GET('/api/v1/geo/municipalities', { params: { query: {} } })),
  ]).then(
    ([departments, municipalities]) => ({
      departments: new Map(departments.map((d) => [d.code, d.name])),
      municipalities: new Map(municipalities.map((m) => [m.pcode, m.name])),
    }),
    (error: unknown) => {
      namesPromise = null;
      throw error;
    },
  );
  return namesPromise;
}

/** "Distrito, Municipio, Departamento" for an incident's territory codes (codes until names load). */
export function useTerritoryLabel(
  departmentCode: string | null | undefined,
  municipalityPcode: string | null | undefined,
  districtName?: string | null,
): string {
  const [names, setNames] = useState<Names | null>(null);
  useEffect(() => {
    let current = true;
    loadNames().then(
      (loaded) => current && setNames(loaded),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  const parts: string[] = [];
  if (districtName) parts.push(districtName);
  if (municipalityPcode) parts.push(names?.municipalities.get(municipalityPcode) ?? municipalityPcode);
  if (departmentCode) parts.push(names?.departments.get(departmentCode) ?? departmentCode);
  return parts.join(', ');
}
