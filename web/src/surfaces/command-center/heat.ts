import { loadIncidents } from '../../features/dispatch/api';

export type HeatWindow = 'off' | '24h' | '7d';

export const HEAT_WINDOW_MS: Record<Exclude<HeatWindow, 'off'>, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

/** Most incidents drawn in the heat layer (the list is paged 500 at a time). */
export const HEAT_MAX = 5_000;

export interface HeatPoint {
  id: string;
  lon: number;
  lat: number;
  priority: number | null;
}

/**
 * Statuses loaded for the heat layer: the finished incidents of the window. The open ones are already
 * in the wall's live store and are added from there; cancelled calls and duplicates are left out (a
 * duplicate is the same event counted twice).
 */
const FINISHED = 'resolved,closed';

/** Finished incidents created since `since` (with the wall's filters), as heat points. */
export async function loadHeatPoints(
  since: number,
  filters: { department?: string; priority?: string; family?: string },
): Promise<{ points: HeatPoint[]; truncated: boolean }> {
  const items = await loadIncidents(
    {
      status: FINISHED,
      from: new Date(since).toISOString(),
      ...(filters.department ? { department: filters.department } : {}),
      ...(filters.priority ? { priority: Number(filters.priority) } : {}),
      ...(filters.family ? { type: filters.family } : {}),
    },
    HEAT_MAX,
  );
  const points: HeatPoint[] = [];
  for (const i of items) {
    if (i.location.lon === null || i.location.lat === null) continue;
    points.push({ id: i.id, lon: i.location.lon, lat: i.location.lat, priority: i.priority });
  }
  return { points, truncated: items.length >= HEAT_MAX };
}
