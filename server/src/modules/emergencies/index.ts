import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../../platform/deps.js';
import type { ModuleDefinition } from '../../platform/module.js';
import { geoDataset, locate } from '../geo/index.js';
import { avlRoutes, startAvl, stopAvl } from './avl/index.js';
import { citizenChannelRoutes, startCitizenFollowup, stopCitizenFollowup } from './citizen/index.js';
import './dispatch/dispatch.policy.js';
import { dispatchRoutes } from './dispatch/dispatch.routes.js';
import './dispatch/dispatch.tables.js';
import { raiseEscalations } from './dispatch/escalation.js';
import { fieldRoutes } from './dispatch/field.routes.js';
import { stopUnitIndex, unitIndex } from './dispatch/unit-index.js';
import './emergencies.messages.js';
import { seedEmergenciesDemo } from './emergencies.demo.js';
import { seedEmergenciesReference } from './emergencies.seed.js';
import { fieldEvidenceRoutes } from './field/index.js';
import { catalogRoutes } from './incidents/catalog.routes.js';
import type { EmergenciesDeps, Locator } from './incidents/incidents.deps.js';
import './incidents/incidents.policy.js';
import { incidentRoutes } from './incidents/incidents.routes.js';
import './incidents/incidents.tables.js';
import { kpiRoutes } from './kpis/index.js';
import { createOpen311Module } from './open311/index.js';
import { machineIntakeRoutes, startMachineIntake, stopMachineIntake } from './video/machine-intake.js';

export { ingestPositions, osmandPort, POSITIONS_EVENT, type PositionInput } from './avl/index.js';
export { DISPATCH_PERMISSIONS } from './dispatch/dispatch.policy.js';
export { raiseEscalations } from './dispatch/escalation.js';
export type { EmergenciesDeps, Locator } from './incidents/incidents.deps.js';
export { PERMISSIONS as INCIDENT_PERMISSIONS } from './incidents/incidents.policy.js';
export type { NewIncident } from './incidents/incidents.service.js';
export { createIncident, createIncidentInTx } from './incidents/intake.js';

/** Adapts the geo module's point-in-polygon to what the 911 module needs. */
export function geoLocator(): Locator {
  const data = geoDataset();
  const departmentByMunicipality = new Map(data.municipalities.map((m) => [m.pcode, m.departmentCode]));
  return {
    locate(lon, lat) {
      const found = locate(lon, lat);
      return {
        insideCountry: found.insideCountry,
        departmentCode: found.department?.code ?? null,
        municipalityPcode: found.municipality?.pcode ?? null,
        districtName: found.district?.name ?? null,
      };
    },
    departmentOfMunicipality: (pcode) => departmentByMunicipality.get(pcode) ?? null,
  };
}

let locator: Locator | undefined;
let escalationTimer: NodeJS.Timeout | undefined;
const ESCALATION_CHECK_MS = 15_000;

export function emergenciesDeps(deps: AppDeps): EmergenciesDeps {
  locator ??= geoLocator();
  // Prototype link, not a copy: later additions to the app's deps (events runtime…) stay visible.
  return Object.assign(Object.create(deps) as AppDeps, {
    locator,
    duplicateWindow: { meters: 500, minutes: 30 },
  });
}

export const emergenciesModule: ModuleDefinition = {
  name: 'emergencies',
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  routes: async (app, deps) => {
    const e = emergenciesDeps(deps);
    await incidentRoutes(app, e);
    await catalogRoutes(app, e);
    await dispatchRoutes(app, e);
    await fieldRoutes(app, e);
    await fieldEvidenceRoutes(app, e);
    await machineIntakeRoutes(app, e);
    await avlRoutes(app, deps);
    await citizenChannelRoutes(app, e);
    await kpiRoutes(app, e);
  },
  seed: seedEmergenciesReference,
  seedDemo: seedEmergenciesDemo,
  start: async (deps) => {
    const e = emergenciesDeps(deps);
    escalationTimer = setInterval(() => {
      raiseEscalations(e).catch((error: unknown) =>
        deps.logger.error({ err: error }, 'escalation check failed'),
      );
    }, ESCALATION_CHECK_MS);
    escalationTimer.unref();
    await startMachineIntake(e);
    await startAvl(deps);
    await startCitizenFollowup(deps, e);
    // Loaded now rather than on the first recommendation; a failure here is retried by that request.
    await unitIndex(deps)
      .start()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'unit index: first load failed'));
  },
  stop: async (deps) => {
    await stopUnitIndex(deps);
    await stopCitizenFollowup(deps);
    await stopAvl(deps);
    stopMachineIntake();
    if (escalationTimer) clearInterval(escalationTimer);
    escalationTimer = undefined;
  },
};

/** Open311 GeoReport v2 of the 911 module, mounted at /open311/v2. */
export const open311Module: ModuleDefinition = createOpen311Module(emergenciesDeps);
