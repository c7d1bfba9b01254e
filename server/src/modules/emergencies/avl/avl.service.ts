import type { RequestContext } from '../../../platform/context.js';
import type { AppDeps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, type Principal } from '../../../platform/http/principal.js';
import { t } from '../../../platform/i18n/catalog.js';
import { DISPATCH_PERMISSIONS as P } from '../dispatch/dispatch.policy.js';
import { capAttributes } from './attributes.js';
import type { PositionBatch, PositionBatchResult, Track, TrackQuery } from './avl.schemas.js';
import { ingestPositions, type PositionInput, type ResolvedUnit } from './ingest.service.js';

/** Who may post positions for which unit, and the unit a position without unitId/deviceId is for. */
interface Poster {
  defaultUnitId: string | null;
  /** Cheap check on an explicit unitId before any lookup. */
  checkUnitId(unitId: string): void;
  authorize(unit: ResolvedUnit): void;
}

async function posterFor(deps: AppDeps, principal: Principal): Promise<Poster> {
  if (principal.kind === 'user') {
    // A person reports only for the unit whose crew they are on now (the field app).
    const crew = await deps.db
      .selectFrom('unit_crew')
      .select('unit_id')
      .where('user_id', '=', principal.id)
      .where('to_at', 'is', null)
      .executeTakeFirst();
    if (!crew) throw new AppError('AVL_NOT_UNIT_CREW', 403);
    const own = (id: string) => {
      if (id.toLowerCase() !== crew.unit_id) throw new AppError('AVL_NOT_UNIT_CREW', 403);
    };
    return { defaultUnitId: crew.unit_id, checkUnitId: own, authorize: (unit) => own(unit.id) };
  }
  // An API key (a device or an integration): within its scope. A unit-scoped key defaults to its unit.
  const scopes = principal.grants.get(P.positionsWrite) ?? [];
  const unitScope = scopes.length === 1 && scopes[0]!.level === 'unit' ? scopes[0]!.code : null;
  return {
    defaultUnitId: unitScope,
    checkUnitId: (id) => {
      if (unitScope && id.toLowerCase() !== unitScope)
        throw new AppError('OUT_OF_SCOPE', 403, { permission: P.positionsWrite });
    },
    authorize: (unit) => {
      const target = { department: unit.departmentCode, municipality: unit.municipalityPcode, unit: unit.id };
      if (!canInScope(principal, P.positionsWrite, target))
        throw new AppError('OUT_OF_SCOPE', 403, { permission: P.positionsWrite });
    },
  };
}

/**
 * POST /avl/positions: a batch from the field app or a device integration (offline buffers are
 * re-sent whole: fixes already stored are counted as duplicates, never stored twice). The whole
 * batch is refused (403) if any position is for a unit the caller may not report for; positions
 * that fail the plausibility checks are listed in `rejected` and the rest are stored.
 */
export async function reportPositions(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  batch: PositionBatch,
): Promise<PositionBatchResult> {
  const poster = await posterFor(deps, principal);
  const missing: number[] = [];
  const inputs: PositionInput[] = batch.positions.map((p, index) => {
    if (p.unitId) poster.checkUnitId(p.unitId);
    const unitId = p.unitId ?? (p.deviceId ? null : poster.defaultUnitId);
    if (!unitId && !p.deviceId) missing.push(index);
    return {
      unitId,
      deviceId: p.deviceId ?? null,
      lon: p.lon,
      lat: p.lat,
      speedKmh: p.speedKmh ?? null,
      heading: p.heading ?? null,
      accuracyM: p.accuracyM ?? null,
      recordedAt: new Date(p.recordedAt),
      source: 'api',
      attributes: p.attributes ? capAttributes(p.attributes) : null,
    };
  });
  if (missing.length > 0) throw new AppError('AVL_UNIT_REQUIRED', 400, {}, { indexes: missing.slice(0, 20) });
  const result = await ingestPositions(deps, inputs, { ctx, authorize: poster.authorize });
  return {
    accepted: result.stored,
    duplicates: result.duplicates,
    rejected: result.outcomes.flatMap((o, index) =>
      o.status === 'rejected' ? [{ index, code: o.code, message: t(ctx.locale, `errors.${o.code}`) }] : [],
    ),
  };
}

export const MAX_TRACK_HOURS = 24;
export const MAX_TRACK_POINTS = 10_000;

/**
 * GET /avl/units/:id/track: the position history of a unit between two instants (at most 24 h,
 * at most MAX_TRACK_POINTS points; `truncated` says to ask again from the last one). Where a unit
 * was is where its crew was: every read is audited.
 */
export async function getUnitTrack(
  deps: AppDeps,
  ctx: RequestContext,
  principal: Principal,
  unitId: string,
  query: TrackQuery,
): Promise<Track> {
  const unit = await deps.db
    .selectFrom('units')
    .select(['id', 'department_code', 'municipality_pcode'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('AVL_UNIT_NOT_FOUND', 404);
  const target = { department: unit.department_code, municipality: unit.municipality_pcode, unit: unit.id };
  if (!canInScope(principal, P.positionsRead, target))
    throw new AppError('OUT_OF_SCOPE', 403, { permission: P.positionsRead });

  const to = query.to ? new Date(query.to) : deps.clock.now();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  if (from >= to) throw new AppError('AVL_TRACK_RANGE_INVALID', 400);
  if (to.getTime() - from.getTime() > MAX_TRACK_HOURS * 3_600_000)
    throw new AppError('AVL_TRACK_RANGE_TOO_LONG', 400, { hours: MAX_TRACK_HOURS });

  return deps.tx(ctx, async (uow) => {
    const rows = await uow.db
      .selectFrom('unit_positions')
      .select(['lon', 'lat', 'speed_kmh', 'heading', 'accuracy_m', 'recorded_at', 'source'])
      .where('unit_id', '=', unitId)
      .where('recorded_at', '>=', from)
      .where('recorded_at', '<', to)
      .orderBy('recorded_at')
      .limit(MAX_TRACK_POINTS + 1)
      .execute();
    uow.audit({
      action: 'avl.track.read',
      entityType: 'unit',
      entityId: unitId,
      changes: {
        from: from.toISOString(),
        to: to.toISOString(),
        points: Math.min(rows.length, MAX_TRACK_POINTS),
      },
    });
    return {
      unitId,
      from: from.toISOString(),
      to: to.toISOString(),
      points: rows.slice(0, MAX_TRACK_POINTS).map((r) => ({
        lon: r.lon,
        lat: r.lat,
        speedKmh: r.speed_kmh,
        heading: r.heading,
        accuracyM: r.accuracy_m,
        recordedAt: r.recorded_at.toISOString(),
        source: r.source,
      })),
      truncated: rows.length > MAX_TRACK_POINTS,
    };
  });
}
