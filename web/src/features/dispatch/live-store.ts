import type { DomainEvent } from '../../realtime';
import { loadIncident, loadOpenIncidents, loadUnit, loadUnits } from './api';
import { type Incident, isOpen, type PositionUpdate, type Unit } from './types';

/** Live topics the store follows. */
export const STORE_TOPICS = ['incident', 'dispatch', 'units'] as const;

/** Wait this long after an event before re-reading the entity, so a burst costs one request. */
const REFETCH_DELAY_MS = 120;
const REFETCH_CONCURRENCY = 4;

/**
 * Re-reads entities named by live events: ids requested within a short window are read once, a few
 * at a time; a read that fails on the network is retried on the next event (nothing is polled).
 */
export class Refetcher<T> {
  private pending = new Set<string>();
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly load: (id: string) => Promise<T | null>,
    private readonly apply: (id: string, value: T | null) => void,
  ) {}

  request(id: string): void {
    if (this.disposed) return;
    this.pending.add(id);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.pump();
    }, REFETCH_DELAY_MS);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  /** Accepts requests again after dispose() (a remounted screen reuses its store). */
  resume(): void {
    this.disposed = false;
  }

  private pump(): void {
    while (!this.disposed && this.running < REFETCH_CONCURRENCY && this.pending.size > 0) {
      const id = this.pending.values().next().value as string;
      this.pending.delete(id);
      this.running += 1;
      this.load(id)
        .then(
          (value) => {
            if (!this.disposed) this.apply(id, value);
          },
          () => undefined,
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }
}

export interface StoreStatus {
  loading: boolean;
  error: unknown;
}

/**
 * In-memory state of the open incidents and the units of the user's scope, loaded once over HTTP and
 * then kept current by live events (no polling). Listeners are told synchronously that something
 * changed; each screen decides how often it repaints (see useStoreVersion).
 */
export class DispatchStore {
  readonly incidents = new Map<string, Incident>();
  readonly units = new Map<string, Unit>();
  private latestPosition = new Map<string, PositionUpdate>();
  private listeners = new Set<() => void>();
  private version = 0;
  private status: StoreStatus = { loading: true, error: null };
  private loadGeneration = 0;
  private touchedDuringLoad = new Set<string>();
  private loadingNow = false;
  private incidentRefetch: Refetcher<Incident>;
  private unitRefetch: Refetcher<Unit>;
  /** Called with the incident id of every dispatch event (e.g. to reload the assignments shown). */
  onDispatchEvent: ((incidentId: string, event: DomainEvent) => void) | null = null;
  /** Bumped whenever the set of incidents or one of them changes (not on unit moves). */
  incidentVersion = 0;
  /** Bumped whenever a unit is added, removed or changes (status, assignment or position). */
  unitVersion = 0;
  /** Called with every batch of live positions (the wall's latency probe listens here). */
  onPositions: ((event: DomainEvent, positions: readonly PositionUpdate[]) => void) | null = null;

  constructor(private readonly withUnits = true) {
    this.incidentRefetch = new Refetcher(loadIncident, (id, incident) => this.applyIncident(id, incident));
    this.unitRefetch = new Refetcher(loadUnit, (id, unit) => this.applyUnit(id, unit));
  }

  getVersion = (): number => this.version;
  getStatus = (): StoreStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }

  /** Loads everything again over HTTP (first load, retry, or after a `resync`). */
  async reload(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.incidentRefetch.resume();
    this.unitRefetch.resume();
    this.loadingNow = true;
    this.touchedDuringLoad.clear();
    this.status = { loading: true, error: this.status.error };
    this.changed();
    try {
      const [incidents, units] = await Promise.all([
        loadOpenIncidents(),
        this.withUnits ? loadUnits() : Promise.resolve(null),
      ]);
      if (generation !== this.loadGeneration) return;
      this.incidents.clear();
      for (const incident of incidents) this.incidents.set(incident.id, incident);
      this.incidentVersion += 1;
      if (units) {
        this.units.clear();
        for (const unit of units) this.units.set(unit.id, this.withLatestPosition(unit));
        this.unitVersion += 1;
      }
      this.status = { loading: false, error: null };
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      this.status = { loading: false, error };
    } finally {
      if (generation === this.loadGeneration) {
        this.loadingNow = false;
        // Entities re-read while the full load was in flight may have been overwritten by older data.
        for (const key of this.touchedDuringLoad) {
          const [kind, id] = key.split(':') as [string, string];
          if (kind === 'i') this.incidentRefetch.request(id);
          else this.unitRefetch.request(id);
        }
        this.touchedDuringLoad.clear();
        this.changed();
      }
    }
  }

  /** Stops re-reading entities and drops a load in flight (reload() starts again). */
  dispose(): void {
    this.loadGeneration += 1;
    this.loadingNow = false;
    this.incidentRefetch.dispose();
    this.unitRefetch.dispose();
  }

  /** Feeds one live event (topics incident, dispatch, units). */
  handleEvent = (event: DomainEvent): void => {
    const payload = event.payload as Record<string, unknown>;
    if (event.topic === 'incident') {
      const id = (typeof payload.id === 'string' ? payload.id : null) ?? event.entityId;
      if (id) this.refetchIncident(id);
      if (typeof payload.merged === 'string') this.refetchIncident(payload.merged);
      return;
    }
    if (event.topic === 'dispatch') {
      const incidentId = typeof payload.incidentId === 'string' ? payload.incidentId : event.entityId;
      if (incidentId) {
        this.refetchIncident(incidentId);
        this.onDispatchEvent?.(incidentId, event);
      }
      if (typeof payload.unitId === 'string') this.refetchUnit(payload.unitId);
      return;
    }
    if (event.topic === 'units') {
      if (event.type === 'unit.positions') {
        const positions = (payload.positions ?? []) as PositionUpdate[];
        const moved = this.applyPositions(positions);
        this.onPositions?.(event, positions);
        if (moved) this.changed();
        return;
      }
      const id = (typeof payload.id === 'string' ? payload.id : null) ?? event.entityId;
      if (id && this.withUnits) this.refetchUnit(id);
    }
  };

  refetchIncident(id: string): void {
    if (this.loadingNow) this.touchedDuringLoad.add(`i:${id}`);
    this.incidentRefetch.request(id);
  }

  refetchUnit(id: string): void {
    if (!this.withUnits) return;
    if (this.loadingNow) this.touchedDuringLoad.add(`u:${id}`);
    this.unitRefetch.request(id);
  }

  /** Applies an incident read from the server (null: gone or out of scope). */
  applyIncident(id: string, incident: Incident | null): void {
    if (incident && isOpen(incident.status)) this.incidents.set(id, incident);
    else if (!this.incidents.delete(id)) return;
    this.incidentVersion += 1;
    this.changed();
  }

  applyUnit(id: string, unit: Unit | null): void {
    if (unit) {
      this.units.set(id, this.withLatestPosition(unit));
    } else if (!this.units.delete(id)) return;
    this.unitVersion += 1;
    this.changed();
  }

  /** Patches unit positions in place; returns whether any unit moved. */
  applyPositions(positions: readonly PositionUpdate[]): boolean {
    let any = false;
    for (const p of positions) {
      const previous = this.latestPosition.get(p.unitId);
      if (previous && previous.recordedAt >= p.recordedAt) continue;
      this.latestPosition.set(p.unitId, p);
      const unit = this.units.get(p.unitId);
      if (!unit) continue;
      unit.position = {
        lon: p.lon,
        lat: p.lat,
        speedKmh: p.speedKmh ?? null,
        heading: p.heading ?? null,
        recordedAt: p.recordedAt,
      };
      any = true;
    }
    if (any) this.unitVersion += 1;
    return any;
  }

  private withLatestPosition(unit: Unit): Unit {
    const live = this.latestPosition.get(unit.id);
    if (live && (!unit.position || unit.position.recordedAt < live.recordedAt)) {
      return {
        ...unit,
        position: {
          lon: live.lon,
          lat: live.lat,
          speedKmh: live.speedKmh ?? null,
          heading: live.heading ?? null,
          recordedAt: live.recordedAt,
        },
      };
    }
    return unit;
  }
}
