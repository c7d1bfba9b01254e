import { systemContext } from '../../platform/context.js';
import type { AppDeps } from '../../platform/deps.js';
import { geoDataset } from './geo.data.js';
import {
  BOUNDARIES_DATASET,
  datasetCounts,
  findDatasetChecksum,
  lockDatasetLoad,
  replaceDataset,
} from './geo.repo.js';
import { warmGeoIndexes } from './geo.service.js';

export type GeoSeedOutcome = 'loaded' | 'unchanged';

/**
 * Loads the shipped territorial data into the geo tables. Runs at every start: it builds the
 * in-memory indexes, then skips the database work when the stored checksum equals the shipped data's.
 * A (re)load is one transaction with its audit entry.
 */
export async function seedGeo(deps: AppDeps): Promise<GeoSeedOutcome> {
  const data = geoDataset();
  warmGeoIndexes();
  if ((await findDatasetChecksum(deps.db)) === data.checksum) return 'unchanged';
  return deps.tx(systemContext(), async (uow) => {
    await lockDatasetLoad(uow.db);
    const previous = await findDatasetChecksum(uow.db);
    if (previous === data.checksum) return 'unchanged'; // another server loaded it meanwhile
    await replaceDataset(uow.db, data, uow.now);
    uow.audit({
      action: 'geo.dataset.loaded',
      entityType: 'geo_dataset',
      entityId: BOUNDARIES_DATASET,
      changes: { checksum: { before: previous, after: data.checksum }, counts: datasetCounts(data) },
      reason: 'Carga de límites territoriales incluidos en el módulo geo',
    });
    deps.logger.info({ checksum: data.checksum, counts: datasetCounts(data) }, 'geo: límites cargados');
    return 'loaded';
  });
}
