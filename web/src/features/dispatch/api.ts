import { ApiError, api, unwrap } from '../../api';
import type { Incident, Unit } from './types';
import { OPEN_STATUSES } from './types';

/** Most incidents the list endpoint returns per page. */
const PAGE = 500;
/** Safety cap for one screen's load (the wall is sized for 2,000 open incidents). */
const MAX_INCIDENTS = 10_000;

export interface IncidentFilters {
  department?: string;
  priority?: number;
  type?: string;
  from?: string;
  status?: string;
}

/** Every open incident of the user's scope (paged through the list endpoint). */
export async function loadOpenIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
  return loadIncidents({ status: OPEN_STATUSES.join(','), ...filters });
}

/** Incidents matching `filters`, following pages up to `max`. */
export async function loadIncidents(filters: IncidentFilters, max = MAX_INCIDENTS): Promise<Incident[]> {
  const out: Incident[] = [];
  for (let offset = 0; offset < max; offset += PAGE) {
    const page = await unwrap(
      api.GET('/api/v1/incidents', {
        params: { query: { ...filters, limit: Math.min(PAGE, max - offset), offset } },
      }),
    );
    out.push(...page.items);
    if (page.items.length === 0 || offset + page.items.length >= page.total) break;
  }
  return out;
}

/** One incident, or null when it no longer exists or left the user's scope (404/403). */
export async function loadIncident(id: string): Promise<Incident | null> {
  try {
    return await unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id } } }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

export async function loadUnits(): Promise<Unit[]> {
  return (await unwrap(api.GET('/api/v1/units'))).items;
}

export async function loadUnit(id: string): Promise<Unit | null> {
  try {
    return await unwrap(api.GET('/api/v1/units/{id}', { params: { path: { id } } }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}
