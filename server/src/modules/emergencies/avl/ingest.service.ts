import { sql } from 'kysely';
import type { Counter } from 'prom-client';
import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { DISPATCH_PERMISSIONS as P } from '../dispatch/dispatch.policy.js';
import type { Attributes } from './attributes.js';

export type PositionSource = 'osmand' | 'api' | 'mqtt';

/** One fix as it arrives, before its unit is known. */
export interface PositionInput {
  /** The unit, or its device (`units.device_id`); when both are given they must agree. */
  unitId?: string | null;
  deviceId?: string | null;
  /** Null for a report without coordinates (keep-alive): the unit is checked, nothing is stored. */
  lon: number | null;
  lat: number | null;
  speedKmh?: number | null;
  heading?: number | null;
  accuracyM?: number | null;
  recordedAt: Date;
  /** The device's own validity flag; an invalid fix is kept in history but never becomes the latest. */
  valid?: boolean;
  source: PositionSource;
  attributes?: Attributes | null;
}

export type RejectCode =
  | 'AVL_UNKNOWN_DEVICE'
  | 'AVL_UNKNOWN_UNIT'
  | 'AVL_INVALID_COORDINATES'
  | 'AVL_TIMESTAMP_IN_FUTURE'
  | 'AVL_TIMESTAMP_TOO_OLD';

export type IngestOutcome =
  /** Stored in history; `latest` when it also became the unit's latest position. */
  | { status: 'stored'; unitId: string; latest: boolean }
  /** Same unit and fix time already stored (a re-sent fix): ignored. */
  | { status: 'duplicate'; unitId: string }
  /** Known unit, no coordinates: acknowledged, nothing stored. */
  | { status: 'no_fix'; unitId: string }
  | { status: 'rejected'; code: RejectCode; unitId: string | null };

export interface ResolvedUnit {
  id: string;
  callSign: string;
  departmentCode: string;
  municipalityPcode: string | null;
  deviceId: string | null;
}

export interface IngestOptions {
  /** Attribution of the outbox events (defaults to the system actor `avl:<source>`). */
  ctx?: RequestContext;
  /** Called once per distinct unit before anything is written; throw an AppError to refuse the batch. */
  authorize?: (unit: ResolvedUnit) => void;
}

export interface IngestResult {
  outcomes: IngestOutcome[];
  stored: number;
  duplicates: number;
  noFix: number;
  rejected: number;
  /** Units whose latest position moved forward. */
  moved: number;
}

/** A fix later than this (device clock ahead) is refused. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** A fix before this is a broken clock (e.g. GPS week roll-over), not history. */
export const OLDEST_FIX = new Date('2000-01-01T00:00:00Z');
/**
 * Poor fixes are kept in history but never become the latest position (which unit recommendation
 * reads): horizontal accuracy worse than this many metres, or an HDOP above MAX_LATEST_HDOP.
 */
export const MAX_LATEST_ACCURACY_M = 500;
export const MAX_LATEST_HDOP = 20;
const MAX_DEVICE_ID_LENGTH = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one realtime event of a batch (per department): the latest positions that moved. */
export const POSITIONS_EVENT = { type: 'unit.positions', topic: 'units' } as const;

const counters = new WeakMap<object, Counter<'source' | 'outcome'>>();
function positionsCounter(deps: AppDeps): Counter<'source' | 'outcome'> {
  let counter = counters.get(deps.metrics);
  if (!counter) {
    counter = deps.metrics.counter({
      name: 'centinela_avl_positions_total',
      help: 'Posiciones AVL recibidas, por origen y resultado (stored, duplicate, no_fix, rejected)',
      labelNames: ['source', 'outcome'],
    });
    counters.set(deps.metrics, counter);
  }
  return counter;
}

function systemCtx(source: PositionSource): RequestContext {
  return {
    actor: { type: 'system', id: null, name: `avl:${source}` },
    requestId: null,
    ip: null,
    locale: 'es',
  };
}

/** Units (active only) by id and by device id. Malformed ids simply do not match. */
async function resolveUnits(deps: AppDeps, positions: PositionInput[]) {
  const ids = new Set<string>();
  const devices = new Set<string>();
  for (const p of positions) {
    if (p.unitId && UUID.test(p.unitId)) ids.add(p.unitId.toLowerCase());
    if (p.deviceId && p.deviceId.length <= MAX_DEVICE_ID_LENGTH) devices.add(p.deviceId);
  }
  const byId = new Map<string, ResolvedUnit>();
  const byDevice = new Map<string, ResolvedUnit>();
  if (ids.size === 0 && devices.size === 0) return { byId, byDevice };
  // Array parameters: one parameter per list however many units the batch names.
  const rows = await deps.db
    .selectFrom('units')
    .select(['id', 'call_sign', 'department_code', 'municipality_pcode', 'device_id'])
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        ...(ids.size ? [eb('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)] : []),
        ...(devices.size ? [eb('device_id', '=', sql<string>`ANY(${[...devices]}::text[])`)] : []),
      ]),
    )
    .execute();
  for (const r of rows) {
    const unit: ResolvedUnit = {
      id: r.id,
      callSign: r.call_sign,
      departmentCode: r.department_code,
      municipalityPcode: r.municipality_pcode,
      deviceId: r.device_id,
    };
    byId.set(r.id, unit);
    if (r.device_id) byDevice.set(r.device_id, unit);
  }
  return { byId, byDevice };
}

const finiteOrNull = (v: number | null | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
const nonNegativeOrNull = (v: number | null | undefined) => {
  const n = finiteOrNull(v);
  return n !== null && n >= 0 ? n : null;
};

/** Why a fix with coordinates cannot be stored, or null. */
function implausible(p: PositionInput, lat: number, lon: number, now: Date): RejectCode | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return 'AVL_INVALID_COORDINATES';
  const at = p.recordedAt.getTime();
  if (Number.isNaN(at) || at > now.getTime() + MAX_FUTURE_MS) return 'AVL_TIMESTAMP_IN_FUTURE';
  if (at < OLDEST_FIX.getTime()) return 'AVL_TIMESTAMP_TOO_OLD';
  return null;
}

interface Row {
  index: number;
  unit: ResolvedUnit;
  lon: number;
  lat: number;
  speedKmh: number | null;
  heading: number | null;
  accuracyM: number | null;
  recordedAt: Date;
  promotable: boolean;
  source: PositionSource;
  attributes: Attributes | null;
}

/**
 * Stores a batch of fixes: resolves each one's unit, validates it, appends the history rows in
 * one INSERT … SELECT FROM unnest() (a fix already stored for the same unit and time is ignored),
 * moves each unit's latest position forward only when the new fix is newer (one upsert, same way), and emits one `unit.positions` event per
 * department with the latest positions that moved — so the volume of events follows the number of
 * batches, not the number of units.
 *
 * Positions are NOT written to the audit log: they are high-volume telemetry, and every audited
 * write serialises on the audit append lock (docs/adr/0002-audit-log-merkle-tree.md). The history
 * table itself is the record (append-only, one row per unit and fix time); the configuration that
 * gives positions meaning (units, their devices, crews) is audited where it changes.
 */
export async function ingestPositions(
  deps: AppDeps,
  positions: PositionInput[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const outcomes: (IngestOutcome | undefined)[] = new Array(positions.length);
  const { byId, byDevice } = await resolveUnits(deps, positions);

  const units: (ResolvedUnit | null)[] = positions.map((p, i) => {
    const fromId = p.unitId ? (byId.get(p.unitId.toLowerCase()) ?? null) : undefined;
    const fromDevice = p.deviceId ? (byDevice.get(p.deviceId) ?? null) : undefined;
    if (fromId === null || (fromId === undefined && fromDevice === undefined)) {
      outcomes[i] = { status: 'rejected', code: 'AVL_UNKNOWN_UNIT', unitId: null };
      return null;
    }
    if (fromDevice === null || (fromId && fromDevice && fromId.id !== fromDevice.id)) {
      outcomes[i] = { status: 'rejected', code: 'AVL_UNKNOWN_DEVICE', unitId: fromId?.id ?? null };
      return null;
    }
    return (fromId ?? fromDevice) as ResolvedUnit;
  });

  if (options.authorize) {
    const seen = new Set<string>();
    for (const unit of units) {
      if (!unit || seen.has(unit.id)) continue;
      seen.add(unit.id);
      options.authorize(unit);
    }
  }

  const now = deps.clock.now();
  const seen = new Set<string>();
  const rows: Row[] = [];
  positions.forEach((p, index) => {
    const unit = units[index];
    if (!unit) return;
    if (p.lat === null || p.lon === null) {
      outcomes[index] = { status: 'no_fix', unitId: unit.id };
      return;
    }
    const problem = implausible(p, p.lat, p.lon, now);
    if (problem) {
      outcomes[index] = { status: 'rejected', code: problem, unitId: unit.id };
      return;
    }
    const at = p.recordedAt.getTime();
    const key = `${unit.id}|${at}`;
    if (seen.has(key)) {
      outcomes[index] = { status: 'duplicate', unitId: unit.id };
      return;
    }
    seen.add(key);
    const heading = nonNegativeOrNull(p.heading);
    const accuracyM = nonNegativeOrNull(p.accuracyM);
    const hdop = p.attributes?.hdop;
    const attributes = p.attributes && Object.keys(p.attributes).length > 0 ? p.attributes : null;
    rows.push({
      index,
      unit,
      lon: p.lon,
      lat: p.lat,
      speedKmh: nonNegativeOrNull(p.speedKmh),
      heading: heading === null ? null : heading % 360,
      accuracyM,
      recordedAt: p.recordedAt,
      promotable:
        p.valid !== false &&
        (accuracyM === null || accuracyM <= MAX_LATEST_ACCURACY_M) &&
        (typeof hdop !== 'number' || hdop <= MAX_LATEST_HDOP),
      source: p.source,
      attributes,
    });
  });

  // A consistent order (unit, time) keeps concurrent batches from deadlocking on the same keys.
  rows.sort(
    (a, b) =>
      (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0) ||
      a.recordedAt.getTime() - b.recordedAt.getTime(),
  );
  const moved = new Set<string>();
  if (rows.length > 0) {
    const source = positions[rows[0]!.index]!.source;
    await deps.tx(options.ctx ?? systemCtx(source), async (uow) => {
      // History: one INSERT … SELECT FROM unnest() for the whole batch (one array parameter per column,
      // whatever the batch size); a fix already stored for the same unit and time is skipped by the
      // unique (unit_id, recorded_at) index, and only the rows actually inserted come back.
      const stored = await sql<{ unit_id: string; recorded_at: Date }>`
        INSERT INTO unit_positions
          (unit_id, recorded_at, received_at, lon, lat, speed_kmh, heading, accuracy_m, source, attributes)
        SELECT t.unit_id, t.recorded_at, ${uow.now}, t.lon, t.lat, t.speed_kmh, t.heading, t.accuracy_m,
          t.source, t.attributes::jsonb
        FROM unnest(
          ${rows.map((r) => r.unit.id)}::uuid[],
          ${rows.map((r) => r.recordedAt.toISOString())}::timestamptz[],
          ${rows.map((r) => r.lon)}::float8[],
          ${rows.map((r) => r.lat)}::float8[],
          ${rows.map((r) => r.speedKmh)}::float8[],
          ${rows.map((r) => r.heading)}::float8[],
          ${rows.map((r) => r.accuracyM)}::float8[],
          ${rows.map((r) => r.source)}::text[],
          ${rows.map((r) => (r.attributes ? JSON.stringify(r.attributes) : null))}::text[]
        ) AS t(unit_id, recorded_at, lon, lat, speed_kmh, heading, accuracy_m, source, attributes)
        ON CONFLICT (unit_id, recorded_at) DO NOTHING
        RETURNING unit_id, recorded_at`.execute(uow.db);
      const inserted = new Set<string>();
      for (const s of stored.rows) inserted.add(`${s.unit_id}|${new Date(s.recorded_at).getTime()}`);

      // The newest stored, usable fix of each unit; the upsert only moves the latest position forward.
      const newest = new Map<string, Row>();
      for (const r of rows) {
        const isNew = inserted.has(`${r.unit.id}|${r.recordedAt.getTime()}`);
        outcomes[r.index] = isNew
          ? { status: 'stored', unitId: r.unit.id, latest: false }
          : { status: 'duplicate', unitId: r.unit.id };
        if (!isNew || !r.promotable) continue;
        const current = newest.get(r.unit.id);
        if (!current || current.recordedAt < r.recordedAt) newest.set(r.unit.id, r);
      }
      const candidates = [...newest.values()];
      if (candidates.length > 0) {
        // One upsert for all units (one row per unit, so no row is touched twice by the statement).
        const updated = await sql<{ unit_id: string }>`
          INSERT INTO unit_latest_position
            (unit_id, lon, lat, speed_kmh, heading, accuracy_m, recorded_at, received_at)
          SELECT t.unit_id, t.lon, t.lat, t.speed_kmh, t.heading, t.accuracy_m, t.recorded_at, ${uow.now}
          FROM unnest(
            ${candidates.map((r) => r.unit.id)}::uuid[],
            ${candidates.map((r) => r.lon)}::float8[],
            ${candidates.map((r) => r.lat)}::float8[],
            ${candidates.map((r) => r.speedKmh)}::float8[],
            ${candidates.map((r) => r.heading)}::float8[],
            ${candidates.map((r) => r.accuracyM)}::float8[],
            ${candidates.map((r) => r.recordedAt.toISOString())}::timestamptz[]
          ) AS t(unit_id, lon, lat, speed_kmh, heading, accuracy_m, recorded_at)
          ON CONFLICT (unit_id) DO UPDATE SET
            lon = excluded.lon,
            lat = excluded.lat,
            speed_kmh = excluded.speed_kmh,
            heading = excluded.heading,
            accuracy_m = excluded.accuracy_m,
            recorded_at = excluded.recorded_at,
            received_at = excluded.received_at
          WHERE unit_latest_position.recorded_at < excluded.recorded_at
          RETURNING unit_id`.execute(uow.db);
        for (const u of updated.rows) moved.add(u.unit_id);
      }

      const byDepartment = new Map<string, Row[]>();
      for (const r of candidates) {
        if (!moved.has(r.unit.id)) continue;
        outcomes[r.index] = { status: 'stored', unitId: r.unit.id, latest: true };
        const list = byDepartment.get(r.unit.departmentCode) ?? [];
        list.push(r);
        byDepartment.set(r.unit.departmentCode, list);
      }
      for (const [department, list] of byDepartment) {
        uow.emit({
          ...POSITIONS_EVENT,
          entityType: 'unit',
          scope: { department },
          permission: P.positionsRead,
          payload: {
            positions: list.map((r) => ({
              unitId: r.unit.id,
              callSign: r.unit.callSign,
              lon: r.lon,
              lat: r.lat,
              speedKmh: r.speedKmh,
              heading: r.heading,
              accuracyM: r.accuracyM,
              recordedAt: r.recordedAt.toISOString(),
            })),
          },
        });
      }
    });
  }

  const result: IngestResult = {
    outcomes: outcomes as IngestOutcome[],
    stored: 0,
    duplicates: 0,
    noFix: 0,
    rejected: 0,
    moved: moved.size,
  };
  const counts = new Map<string, number>();
  positions.forEach((p, i) => {
    const o = outcomes[i]!;
    if (o.status === 'stored') result.stored++;
    else if (o.status === 'duplicate') result.duplicates++;
    else if (o.status === 'no_fix') result.noFix++;
    else result.rejected++;
    const key = `${p.source}|${o.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const counter = positionsCounter(deps);
  for (const [key, n] of counts) {
    const [source, outcome] = key.split('|') as [string, string];
    counter.inc({ source, outcome }, n);
  }
  return result;
}
