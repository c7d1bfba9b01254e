import type { EmergenciesDeps } from './incidents.deps.js';
import { type ResolvedType, resolveType } from './incidents.service.js';

/** How long a resolved type is trusted without hearing of a change (other server instances). */
const TTL_MS = 30_000;

/**
 * The incident types the call-taker intake resolves on every request, kept in memory: a change made
 * through this process (`incident_type.changed`, seen right after its commit) empties the cache at
 * once; a change made by another instance is seen within TTL_MS. Unknown or inactive codes are not
 * cached, so they are refused from the database every time.
 */
class IncidentTypeCache {
  private readonly entries = new Map<string, { type: ResolvedType; at: number }>();

  constructor(private readonly deps: EmergenciesDeps) {
    deps.events.listenCommitted((event) => {
      if (event.type === 'incident_type.changed') this.entries.clear();
    });
  }

  async resolve(code: string): Promise<ResolvedType> {
    const now = Date.now();
    const hit = this.entries.get(code);
    if (hit && now - hit.at < TTL_MS) return hit.type;
    const type = await resolveType(this.deps, code);
    this.entries.set(code, { type, at: now });
    return type;
  }
}

const caches = new WeakMap<object, IncidentTypeCache>();

export function incidentTypeCache(deps: EmergenciesDeps): IncidentTypeCache {
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = new IncidentTypeCache(deps);
    caches.set(deps.db, cache);
  }
  return cache;
}
