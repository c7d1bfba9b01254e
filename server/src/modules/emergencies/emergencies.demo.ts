import { randomUUID } from 'node:crypto';
import { systemContext } from '../../platform/context.js';
import type { AppDeps } from '../../platform/deps.js';
import type { DemoCredential } from '../../platform/module.js';

/**
 * Demo data for development: police stations in the 14 departmental capitals, units in service with a
 * position near their station, and the demo field officer ("agente") on the crew of PNC-SS-01.
 * Idempotent: skipped when the demo stations already exist. Never runs in production.
 */
const STATIONS: { code: string; name: string; department: string; lon: number; lat: number }[] = [
  { code: 'DT-SS', name: 'Delegación San Salvador Centro', department: 'SV-SS', lon: -89.1914, lat: 13.6985 },
  { code: 'DT-SA', name: 'Delegación Santa Ana', department: 'SV-SA', lon: -89.5597, lat: 13.9946 },
  { code: 'DT-SM', name: 'Delegación San Miguel', department: 'SV-SM', lon: -88.1833, lat: 13.4833 },
  {
    code: 'DT-LL',
    name: 'Delegación La Libertad (Santa Tecla)',
    department: 'SV-LI',
    lon: -89.2795,
    lat: 13.6769,
  },
  { code: 'DT-SO', name: 'Delegación Sonsonate', department: 'SV-SO', lon: -89.7242, lat: 13.7189 },
  { code: 'DT-AH', name: 'Delegación Ahuachapán', department: 'SV-AH', lon: -89.845, lat: 13.9214 },
  { code: 'DT-US', name: 'Delegación Usulután', department: 'SV-US', lon: -88.435, lat: 13.3444 },
  {
    code: 'DT-LP',
    name: 'Delegación La Paz (Zacatecoluca)',
    department: 'SV-PA',
    lon: -88.8678,
    lat: 13.5083,
  },
  { code: 'DT-CH', name: 'Delegación Chalatenango', department: 'SV-CH', lon: -88.9392, lat: 14.0333 },
  {
    code: 'DT-CU',
    name: 'Delegación Cuscatlán (Cojutepeque)',
    department: 'SV-CU',
    lon: -88.9333,
    lat: 13.7167,
  },
  {
    code: 'DT-CA',
    name: 'Delegación Cabañas (Sensuntepeque)',
    department: 'SV-CA',
    lon: -88.6333,
    lat: 13.8667,
  },
  { code: 'DT-SV', name: 'Delegación San Vicente', department: 'SV-SV', lon: -88.7833, lat: 13.6333 },
  {
    code: 'DT-MO',
    name: 'Delegación Morazán (San Francisco Gotera)',
    department: 'SV-MO',
    lon: -88.1,
    lat: 13.7,
  },
  { code: 'DT-UN', name: 'Delegación La Unión', department: 'SV-UN', lon: -87.8439, lat: 13.3369 },
];

export async function seedEmergenciesDemo(deps: AppDeps): Promise<DemoCredential[] | undefined> {
  const exists = await deps.db
    .selectFrom('stations')
    .select('id')
    .where('code', '=', 'DT-SS')
    .executeTakeFirst();
  if (exists) return undefined;
  const officer = await deps.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'agente')
    .executeTakeFirst();
  await deps.tx(systemContext(), async (uow) => {
    for (const s of STATIONS) {
      const stationId = randomUUID();
      await uow.db
        .insertInto('stations')
        .values({
          id: stationId,
          code: s.code,
          name: s.name,
          department_code: s.department,
          municipality_pcode: null,
          lon: s.lon,
          lat: s.lat,
        })
        .execute();
      const perStation = s.department === 'SV-SS' ? 6 : 3;
      for (let i = 1; i <= perStation; i++) {
        const unitId = randomUUID();
        const callSign = `PNC-${s.code.slice(3)}-${String(i).padStart(2, '0')}`;
        const kind = i % 3 === 0 ? 'motorcycle' : 'patrol_car';
        await uow.db
          .insertInto('units')
          .values({
            id: unitId,
            call_sign: callSign,
            kind,
            capabilities: JSON.stringify([]),
            station_id: stationId,
            department_code: s.department,
            municipality_pcode: null,
            status: 'available',
            status_changed_at: uow.now,
            device_id: `DEMO-${callSign}`,
            active: true,
            created_at: uow.now,
            updated_at: uow.now,
          })
          .execute();
        const angle = (i / perStation) * 2 * Math.PI;
        await uow.db
          .insertInto('unit_latest_position')
          .values({
            unit_id: unitId,
            lon: s.lon + 0.012 * Math.cos(angle),
            lat: s.lat + 0.012 * Math.sin(angle),
            speed_kmh: 0,
            heading: null,
            accuracy_m: 10,
            recorded_at: uow.now,
            received_at: uow.now,
          })
          .execute();
        if (officer && callSign === 'PNC-SS-01') {
          await uow.db
            .insertInto('unit_crew')
            .values({
              id: randomUUID(),
              unit_id: unitId,
              user_id: officer.id,
              role: 'jefe de patrulla',
              from_at: uow.now,
              to_at: null,
            })
            .execute();
        }
      }
    }
    uow.audit({
      action: 'demo.seeded',
      entityType: 'module',
      entityId: 'emergencies',
      after: { stations: STATIONS.length },
    });
  });
  return undefined;
}
