import { sql } from 'kysely';
import type { AppDeps } from '../../../platform/deps.js';
import type { EventSubscription } from '../../../platform/events/bus.js';
import type { CommittedEvent } from '../../../platform/events/types.js';
import { boundingDeltas } from '../geo-math.js';
import type { UnitKind, UnitStatus } from './dispatch.tables.js';
import { type Candidate, loadCandidates, SEARCH_RADII_M } from './recommend.js';

/**
 * In-memory index of the units that recommendation reads (per server process): every active unit
 * with its status, its latest AVL position and its station's location, and a grid of the available
 * units that have a position, so that "available units near a point" costs microseconds instead of a
 * query. It answers exactly what `loadCandidates` (the SQL form) answers for the same data.
 *
 * Kept current by the `units` events: `unit.status_changed` and `unit.positions` from this process's
 * commits at once (`events.listenCommitted`, so a change is visible to the next request), and from
 * every instance once published (`events.listen`); `unit.created` and any unit it does not know yet
 * are loaded from the database. Events may arrive twice or late: a status is applied only if not
 * older than the one held, a position only if newer. Rebuilt from the database at start and every
 * REBUILD_INTERVAL_MS as a safety net (rows written without an event, e.g. seeds). The database stays
 * the authority: `assignUnit` locks the unit and refuses one that is no longer available.
 */
export const REBUILD_INTERVAL_MS = 30_000;
/** Grid cell size in degrees (~5.5 km): a 15 km search looks at about 7 × 7 cells. */
const CELL_DEG = 0.05;

interface IndexedUnit {
  id: string;
  callSign: string;
  kind: UnitKind;
  departmentCode: string;
  status: UnitStatus;
  /** status_changed_at (ms): an event older than this does not change the status. */
  statusAt: number;
  position: { lon: number; lat: number; at: Date } | null;
  station: { lon: number; lat: number } | null;
  /** Grid cell the unit is filed under (available with a position), or null. */
  cell: number | null;
}

interface UnitRow {
  id: string;
  call_sign: string;
  kind: UnitKind;
  department_code: string;
  status: UnitStatus;
  status_changed_at: Date;
  plon: number | null;
  plat: number | null;
  recorded_at: Date | null;
  slon: number | null;
  slat: number | null;
}

const cellOf = (lon: number, lat: number) => Math.floor(lat / CELL_DEG) * 10_000 + Math.floor(lon / CELL_DEG);

function fromRow(r: UnitRow): IndexedUnit {
  return {
    id: r.id,
    callSign: r.call_sign,
    kind: r.kind,
    departmentCode: r.department_code,
    status: r.status,
    statusAt: new Date(r.status_changed_at).getTime(),
    position:
      r.plon !== null && r.plat !== null && r.recorded_at
        ? { lon: r.plon, lat: r.plat, at: new Date(r.recorded_at) }
        : null,
    station: r.slon !== null && r.slat !== null ? { lon: r.slon, lat: r.slat } : null,
    cell: null,
  };
}

/** Active units (with status, latest position and station) from the database; all, or only `ids`. */
async function selectUnits(deps: AppDeps, ids?: string[]): Promise<UnitRow[]> {
  let q = deps.db
    .selectFrom('units')
    .leftJoin('unit_latest_position as p', 'p.unit_id', 'units.id')
    .leftJoin('stations as s', 's.id', 'units.station_id')
    .select([
      'units.id',
      'units.call_sign',
      'units.kind',
      'units.department_code',
      'units.status',
      'units.status_changed_at',
      'p.lon as plon',
      'p.lat as plat',
      'p.recorded_at',
      's.lon as slon',
      's.lat as slat',
    ])
    .where('units.active', '=', true);
  if (ids) q = q.where('units.id', '=', sql<string>`ANY(${ids}::uuid[])`);
  return q.execute();
}

class UnitIndex {
  private units = new Map<string, IndexedUnit>();
  private grid = new Map<number, Set<IndexedUnit>>();
  private loaded: Promise<void> | null = null;
  /** Events seen while a rebuild reads the database, applied again on top of what it read. */
  private replay: CommittedEvent[] | null = null;
  private missing = new Set<string>();
  private fetching: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private subscriptions: EventSubscription[] = [];
  private stopped = false;

  constructor(private readonly deps: AppDeps) {}

  /** Subscribes to the events, loads everything and schedules the periodic rebuild (idempotent). */
  start(): Promise<void> {
    if (!this.loaded) {
      this.subscriptions.push(this.deps.events.listenCommitted((event) => this.apply(event)));
      this.loaded = (async () => {
        this.subscriptions.push(await this.deps.events.listen((event) => this.apply(event)));
        await this.rebuild();
        if (this.stopped) return;
        this.timer = setInterval(() => {
          this.rebuild().catch((error: unknown) =>
            this.deps.logger.warn({ err: error }, 'unit index rebuild failed; keeping the current one'),
          );
        }, REBUILD_INTERVAL_MS);
        this.timer.unref();
      })();
      // A failed first load is retried by the next caller.
      this.loaded.catch(() => {
        this.loaded = null;
        this.stopSubscriptions();
      });
    }
    return this.loaded;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopSubscriptions();
    await this.loaded?.catch(() => undefined);
    await this.fetching?.catch(() => undefined);
  }

  private stopSubscriptions(): void {
    for (const s of this.subscriptions.splice(0)) void s.stop().catch(() => undefined);
  }

  /** Replaces the whole index with the database's view, then re-applies the events seen meanwhile. */
  async rebuild(): Promise<void> {
    if (this.replay) return; // one rebuild at a time
    this.replay = [];
    try {
      const rows = await selectUnits(this.deps);
      const replay = this.replay;
      this.units = new Map();
      this.grid = new Map();
      for (const r of rows) this.put(fromRow(r));
      this.replay = null;
      for (const event of replay) this.apply(event);
    } finally {
      this.replay = null;
    }
  }

  /** Resolves once every unit that an event named but the index did not know has been loaded. */
  private async settled(): Promise<void> {
    while (this.fetching) await this.fetching;
  }

  /** Available units near a point: the same answer as `loadCandidates` (recommend.ts). */
  async candidates(lon: number, lat: number, wanted: number): Promise<Candidate[]> {
    await this.start();
    if (this.missing.size > 0 || this.fetching) await this.settled();
    for (const radius of SEARCH_RADII_M) {
      if (radius === null) return this.everyAvailable();
      const { dLat, dLon } = boundingDeltas(lat, radius);
      const minLat = lat - dLat;
      const maxLat = lat + dLat;
      const minLon = lon - dLon;
      const maxLon = lon + dLon;
      const out: Candidate[] = [];
      const top = Math.floor(maxLat / CELL_DEG);
      const right = Math.floor(maxLon / CELL_DEG);
      for (let row = Math.floor(minLat / CELL_DEG); row <= top; row++) {
        for (let col = Math.floor(minLon / CELL_DEG); col <= right; col++) {
          const cell = this.grid.get(row * 10_000 + col);
          if (!cell) continue;
          for (const u of cell) {
            const p = u.position!;
            if (p.lat >= minLat && p.lat <= maxLat && p.lon >= minLon && p.lon <= maxLon) {
              out.push(candidateOf(u, p, false));
            }
          }
        }
      }
      if (out.length >= wanted) return out;
    }
    return [];
  }

  private everyAvailable(): Candidate[] {
    const out: Candidate[] = [];
    for (const u of this.units.values()) {
      if (u.status !== 'available') continue;
      if (u.position) out.push(candidateOf(u, u.position, false));
      else if (u.station) out.push(candidateOf(u, u.station, true));
    }
    return out;
  }

  /** Applies one `units` event (from this process's commits or from the bus). */
  apply(event: Pick<CommittedEvent, 'type' | 'payload' | 'occurredAt'>): void {
    if (this.stopped) return;
    if (this.replay) this.replay.push(event as CommittedEvent);
    if (event.type === 'unit.status_changed') {
      const { id, to } = event.payload as { id?: string; to?: UnitStatus };
      if (!id || !to) return;
      const unit = this.units.get(id);
      if (!unit) {
        this.fetch(id);
        return;
      }
      const at = Date.parse(event.occurredAt);
      if (at < unit.statusAt) return;
      unit.status = to;
      unit.statusAt = at;
      this.file(unit);
    } else if (event.type === 'unit.positions') {
      const { positions } = event.payload as {
        positions?: { unitId: string; lon: number; lat: number; recordedAt: string }[];
      };
      for (const p of positions ?? []) {
        const unit = this.units.get(p.unitId);
        if (!unit) {
          this.fetch(p.unitId);
          continue;
        }
        const at = new Date(p.recordedAt);
        if (unit.position && unit.position.at.getTime() >= at.getTime()) continue;
        unit.position = { lon: p.lon, lat: p.lat, at };
        this.file(unit);
      }
    } else if (event.type === 'unit.created') {
      const { id } = event.payload as { id?: string };
      if (id && !this.units.has(id)) this.fetch(id);
    }
  }

  /** Loads units named by events but unknown here (new units), coalescing concurrent requests. */
  private fetch(id: string): void {
    if (!this.loaded) return; // not started: the first rebuild reads everything
    this.missing.add(id);
    if (this.fetching) return;
    this.fetching = (async () => {
      while (this.missing.size > 0 && !this.stopped) {
        const ids = [...this.missing];
        this.missing.clear();
        try {
          for (const r of await selectUnits(this.deps, ids)) this.merge(fromRow(r));
        } catch (error) {
          this.deps.logger.warn(
            { err: error },
            'unit index: loading new units failed (next rebuild retries)',
          );
        }
      }
    })().finally(() => {
      this.fetching = null;
    });
  }

  /** A unit read from the database while events kept arriving: the newer of both wins. */
  private merge(fresh: IndexedUnit): void {
    const held = this.units.get(fresh.id);
    if (!held) {
      this.put(fresh);
      return;
    }
    if (fresh.statusAt > held.statusAt) {
      held.status = fresh.status;
      held.statusAt = fresh.statusAt;
    }
    if (fresh.position && (!held.position || fresh.position.at > held.position.at))
      held.position = fresh.position;
    held.station = fresh.station;
    this.file(held);
  }

  private put(unit: IndexedUnit): void {
    this.units.set(unit.id, unit);
    this.file(unit);
  }

  /** Files the unit in the grid cell of its position when available, or takes it out. */
  private file(unit: IndexedUnit): void {
    const cell =
      unit.status === 'available' && unit.position ? cellOf(unit.position.lon, unit.position.lat) : null;
    if (cell === unit.cell) return;
    if (unit.cell !== null) {
      const set = this.grid.get(unit.cell);
      set?.delete(unit);
      if (set?.size === 0) this.grid.delete(unit.cell);
    }
    unit.cell = cell;
    if (cell !== null) {
      let set = this.grid.get(cell);
      if (!set) {
        set = new Set();
        this.grid.set(cell, set);
      }
      set.add(unit);
    }
  }
}

function candidateOf(u: IndexedUnit, at: { lon: number; lat: number }, fromStation: boolean): Candidate {
  return {
    unitId: u.id,
    callSign: u.callSign,
    kind: u.kind,
    departmentCode: u.departmentCode,
    lon: at.lon,
    lat: at.lat,
    positionAt: fromStation ? null : (u.position?.at ?? null),
    fromStation,
  };
}

/** One index per app (its events runtime is per app). */
const indexes = new WeakMap<object, UnitIndex>();

export function unitIndex(deps: AppDeps): UnitIndex {
  let index = indexes.get(deps.events);
  if (!index) {
    index = new UnitIndex(deps);
    indexes.set(deps.events, index);
  }
  return index;
}

export async function stopUnitIndex(deps: AppDeps): Promise<void> {
  const index = indexes.get(deps.events);
  if (!index) return;
  indexes.delete(deps.events);
  await index.stop();
}

/**
 * Available units near a point, for recommendation: from the in-memory index; from the database
 * (`loadCandidates`) while the index cannot be loaded.
 */
export async function nearestCandidates(
  deps: AppDeps,
  lon: number,
  lat: number,
  wanted: number,
): Promise<Candidate[]> {
  try {
    return await unitIndex(deps).candidates(lon, lat, wanted);
  } catch (error) {
    deps.logger.warn({ err: error }, 'unit index unavailable; recommending from the database');
    return loadCandidates(deps.db, lon, lat, wanted);
  }
}
