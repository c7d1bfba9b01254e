import type { Locale } from '../../../platform/context.js';
import type { Db } from '../../../platform/db/database.js';
import { boundingDeltas, distanceMeters } from '../geo-math.js';
import type { UnitKind } from './dispatch.tables.js';

/** Average urban speeds by unit kind (km/h), and a factor for roads not being straight lines. */
export const SPEED_KMH: Record<UnitKind, number> = {
  patrol_car: 40,
  motorcycle: 45,
  foot: 5,
  specialised: 35,
};
export const ROAD_FACTOR = 1.35;
/** A position older than this is stale: the unit is still listed, with a penalty and a warning. */
export const STALE_AFTER_MS = 10 * 60_000;
const STALE_PENALTY_S = 300;
const OUT_OF_TERRITORY_PENALTY_S = 600;

export interface Candidate {
  unitId: string;
  callSign: string;
  kind: UnitKind;
  departmentCode: string;
  lon: number;
  lat: number;
  positionAt: Date | null;
  fromStation: boolean;
}

export interface Recommendation {
  unitId: string;
  callSign: string;
  kind: UnitKind;
  distanceM: number;
  etaSeconds: number;
  score: number;
  sameTerritory: boolean;
  stalePosition: boolean;
  reasons: string[];
}

export function etaSeconds(distanceM: number, kind: UnitKind): number {
  return Math.round(((distanceM * ROAD_FACTOR) / 1000 / SPEED_KMH[kind]) * 3600);
}

const fmtKm = (m: number) => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);
const fmtMin = (s: number) => `${Math.max(1, Math.round(s / 60))} min`;

/**
 * Ranks candidates by estimated travel time, honouring territory (units of the incident's department
 * first) and penalising stale positions. Pure: every reason shown to the dispatcher is computed here.
 */
export function rankCandidates(
  incident: { lon: number; lat: number; departmentCode: string | null },
  candidates: Candidate[],
  now: Date,
  locale: Locale = 'es',
  limit = 5,
): Recommendation[] {
  const es = locale === 'es';
  // Score every candidate, but word the reasons only for the ones returned.
  const scored = candidates.map((c) => {
    const distance = distanceMeters(incident.lon, incident.lat, c.lon, c.lat);
    const eta = etaSeconds(distance, c.kind);
    const sameTerritory = !incident.departmentCode || c.departmentCode === incident.departmentCode;
    const stalePosition =
      c.fromStation || !c.positionAt || now.getTime() - c.positionAt.getTime() > STALE_AFTER_MS;
    const score =
      eta + (stalePosition ? STALE_PENALTY_S : 0) + (sameTerritory ? 0 : OUT_OF_TERRITORY_PENALTY_S);
    return { c, distance, distanceM: Math.round(distance), eta, sameTerritory, stalePosition, score };
  });
  scored.sort((a, b) => a.score - b.score || a.distanceM - b.distanceM);
  return scored
    .slice(0, limit)
    .map(({ c, distance, distanceM, eta, sameTerritory, stalePosition, score }) => {
      const reasons = [
        es
          ? `A ${fmtKm(distance)}, llegada estimada en ${fmtMin(eta)}`
          : `${fmtKm(distance)} away, ETA ${fmtMin(eta)}`,
        sameTerritory
          ? es
            ? 'Misma jurisdicción del incidente'
            : 'Same territory as the incident'
          : es
            ? `Fuera de la jurisdicción (${c.departmentCode})`
            : `Outside the territory (${c.departmentCode})`,
      ];
      if (c.fromStation)
        reasons.push(
          es
            ? 'Sin posición AVL: se usa la ubicación de su estación'
            : 'No AVL position: station location used',
        );
      else if (stalePosition) {
        const ageMin = c.positionAt ? Math.round((now.getTime() - c.positionAt.getTime()) / 60_000) : null;
        reasons.push(
          es ? `Posición desactualizada (hace ${ageMin} min)` : `Stale position (${ageMin} min old)`,
        );
      }
      return {
        unitId: c.unitId,
        callSign: c.callSign,
        kind: c.kind,
        distanceM,
        etaSeconds: eta,
        score,
        sameTerritory,
        stalePosition,
        reasons,
      };
    });
}

/** Search radii around the incident, widened until enough units are found (null: everywhere). */
export const SEARCH_RADII_M: readonly (number | null)[] = [15_000, 60_000, null];

/**
 * Available units near a point (expanding search radius), with their latest or station position,
 * read from the database. Recommendation reads the same from memory (unit-index.ts
 * `nearestCandidates`); this is the reference it must agree with, and its fallback.
 */
export async function loadCandidates(db: Db, lon: number, lat: number, wanted: number): Promise<Candidate[]> {
  for (const radius of SEARCH_RADII_M) {
    let q = db
      .selectFrom('units')
      .leftJoin('unit_latest_position as p', 'p.unit_id', 'units.id')
      .leftJoin('stations as s', 's.id', 'units.station_id')
      .select([
        'units.id',
        'units.call_sign',
        'units.kind',
        'units.department_code',
        'p.lon as plon',
        'p.lat as plat',
        'p.recorded_at',
        's.lon as slon',
        's.lat as slat',
      ])
      .where('units.status', '=', 'available')
      .where('units.active', '=', true);
    if (radius !== null) {
      const { dLat, dLon } = boundingDeltas(lat, radius);
      q = q
        .where('p.lat', '>=', lat - dLat)
        .where('p.lat', '<=', lat + dLat)
        .where('p.lon', '>=', lon - dLon)
        .where('p.lon', '<=', lon + dLon);
    }
    const rows = await q.execute();
    const candidates = rows.flatMap((r): Candidate[] => {
      if (r.plon !== null && r.plat !== null) {
        return [
          {
            unitId: r.id,
            callSign: r.call_sign,
            kind: r.kind,
            departmentCode: r.department_code,
            lon: r.plon,
            lat: r.plat,
            positionAt: r.recorded_at,
            fromStation: false,
          },
        ];
      }
      if (r.slon !== null && r.slat !== null) {
        return [
          {
            unitId: r.id,
            callSign: r.call_sign,
            kind: r.kind,
            departmentCode: r.department_code,
            lon: r.slon,
            lat: r.slat,
            positionAt: null,
            fromStation: true,
          },
        ];
      }
      return [];
    });
    if (candidates.length >= wanted || radius === null) return candidates;
  }
  return [];
}
