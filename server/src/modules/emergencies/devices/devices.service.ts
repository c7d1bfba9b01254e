import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { auditPersonalDataRead } from '../../../platform/audit/personal-data.js';
import type { RequestContext } from '../../../platform/context.js';
import type { UnitOfWork } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { canInScope, hasNationalPermission, type Principal } from '../../../platform/http/principal.js';
import { OPEN_STATUSES } from '../catalog.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import type { CallerInput } from '../incidents/incidents.schemas.js';
import { createIncidentInTx } from '../incidents/intake.js';
import { attachAlertToIncident } from '../video/alerts.service.js';
import { toLocalIso } from '../video/local-time.js';
import { isUniqueViolation, territoryOf } from '../video/territory.js';
import { DEVICE_PERMISSIONS as P } from './devices.policy.js';
import type {
  Device,
  DeviceAlertBody,
  DeviceAlertResult,
  DeviceCreate,
  DeviceListQuery,
  DeviceUpdate,
} from './devices.schemas.js';
import type {
  AlertDeviceRow,
  DeviceAlertKind,
  DeviceAlertOutcome,
  DeviceAlertRow,
} from './devices.tables.js';

/**
 * Panic buttons, alarm panels and apps. A panic alert opens a priority-1 incident (ALERTAS.PANICO) at
 * the device's fixed location unless the alert carries coordinates; while that incident is open, more
 * panics from the same device are added to its timeline. Alerts are idempotent by the device's alertId;
 * a `test` is logged only; a `cancel` is noted on the open incident (the dispatcher decides).
 */

const KINDS_ES: Record<AlertDeviceRow['kind'], string> = {
  panic_button: 'botón de pánico',
  alarm_panel: 'panel de alarma',
  app: 'aplicación',
};

export function toDevice(row: AlertDeviceRow): Device {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    description: row.description,
    hasOwner: !!(row.owner_name || row.owner_contact),
    location: {
      lon: row.lon,
      lat: row.lat,
      address: row.address,
      departmentCode: row.department_code,
      municipalityPcode: row.municipality_pcode,
      districtName: row.district_name,
    },
    active: row.active,
    apiKeyId: row.api_key_id,
    lastAlertAt: row.last_alert_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** What the audit log keeps: never the owner's name or contact (the log cannot forget them). */
function auditView(row: AlertDeviceRow) {
  const { hasOwner, createdAt: _c, updatedAt: _u, lastAlertAt: _l, ...rest } = toDevice(row);
  return { ...rest, ownerProvided: hasOwner };
}

function placeOf(deps: EmergenciesDeps, lon: number | null, lat: number | null) {
  if (lon === null || lat === null) {
    return { department_code: null, municipality_pcode: null, district_name: null };
  }
  const found = deps.locator.locate(lon, lat);
  if (!found.insideCountry) throw new AppError('LOCATION_OUTSIDE_COUNTRY', 400, { lon, lat });
  return {
    department_code: found.departmentCode,
    municipality_pcode: found.municipalityPcode,
    district_name: found.districtName,
  };
}

function assertManageScope(
  principal: Principal,
  place: { department_code: string | null; municipality_pcode: string | null },
) {
  if (
    !canInScope(principal, P.manage, {
      department: place.department_code,
      municipality: place.municipality_pcode,
    })
  ) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission: P.manage });
  }
}

function assertLocationRules(kind: AlertDeviceRow['kind'], lon: number | null, lat: number | null) {
  if ((lon === null) !== (lat === null)) throw new AppError('LOCATION_INCOMPLETE', 400);
  if (kind !== 'app' && lon === null) throw new AppError('DEVICE_LOCATION_REQUIRED', 400);
}

async function findDevice(deps: EmergenciesDeps, code: string): Promise<AlertDeviceRow> {
  const row = await deps.db
    .selectFrom('alert_devices')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw new AppError('DEVICE_NOT_FOUND', 404, { code });
  return row;
}

function assertReadScope(principal: Principal, permission: string, row: AlertDeviceRow) {
  if (
    !canInScope(principal, permission, {
      department: row.department_code,
      municipality: row.municipality_pcode,
    })
  ) {
    throw new AppError('OUT_OF_SCOPE', 403, { permission });
  }
}

export async function listDevices(deps: EmergenciesDeps, principal: Principal, query: DeviceListQuery) {
  const territory = territoryOf(principal, P.read);
  let q = deps.db.selectFrom('alert_devices').selectAll();
  if (!territory.national) {
    q = q.where((eb) => {
      const ors = [];
      if (territory.departments.length) ors.push(eb('department_code', 'in', territory.departments));
      if (territory.municipalities.length) ors.push(eb('municipality_pcode', 'in', territory.municipalities));
      return ors.length ? eb.or(ors) : eb.val(false);
    });
  }
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.active !== undefined) q = q.where('active', '=', query.active);
  const total = await q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const rows = await q
    .orderBy('code')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  return { items: rows.map(toDevice), total: total?.n ?? 0 };
}

export async function getDevice(deps: EmergenciesDeps, principal: Principal, code: string): Promise<Device> {
  const row = await findDevice(deps, code);
  assertReadScope(principal, P.read, row);
  return toDevice(row);
}

/** The owner's name and contact: audited (with its purpose) before they are returned. */
export async function readDeviceOwner(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  code: string,
  purpose: string,
) {
  const row = await findDevice(deps, code);
  assertReadScope(principal, P.ownerRead, row);
  await auditPersonalDataRead(deps, ctx, {
    entityType: 'alert_device',
    entityId: row.id,
    fields: ['ownerName', 'ownerContact'],
    purpose,
  });
  return { deviceId: row.id, code: row.code, ownerName: row.owner_name, ownerContact: row.owner_contact };
}

export async function createDevice(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  input: DeviceCreate,
): Promise<Device> {
  const lon = input.lon ?? null;
  const lat = input.lat ?? null;
  assertLocationRules(input.kind, lon, lat);
  const place = placeOf(deps, lon, lat);
  assertManageScope(principal, place);
  try {
    const row = await deps.tx(ctx, async (uow) => {
      const inserted = await uow.db
        .insertInto('alert_devices')
        .values({
          id: randomUUID(),
          code: input.code,
          kind: input.kind,
          description: input.description?.trim() || null,
          owner_name: input.ownerName?.trim() || null,
          owner_contact: input.ownerContact?.trim() || null,
          lon,
          lat,
          address: input.address?.trim() || null,
          ...place,
          active: input.active ?? true,
          api_key_id: input.apiKeyId ?? null,
          last_alert_at: null,
          created_at: uow.now,
          updated_at: uow.now,
          version: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      uow.audit({
        action: 'device.created',
        entityType: 'alert_device',
        entityId: inserted.id,
        after: auditView(inserted),
      });
      return inserted;
    });
    return toDevice(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('DEVICE_CODE_TAKEN', 409, { code: input.code });
    throw error;
  }
}

export async function updateDevice(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  code: string,
  input: DeviceUpdate,
): Promise<Device> {
  if ((input.lon === undefined) !== (input.lat === undefined)) throw new AppError('LOCATION_INCOMPLETE', 400);
  const row = await deps.tx(ctx, async (uow) => {
    const current = await uow.db
      .selectFrom('alert_devices')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('DEVICE_NOT_FOUND', 404, { code });
    assertManageScope(principal, current);
    const kind = input.kind ?? current.kind;
    const lon = input.lon ?? current.lon;
    const lat = input.lat ?? current.lat;
    assertLocationRules(kind, lon, lat);
    const set: Record<string, unknown> = { updated_at: uow.now, version: current.version + 1, kind };
    if (input.lon !== undefined && input.lat !== undefined) {
      const place = placeOf(deps, input.lon, input.lat);
      assertManageScope(principal, place);
      Object.assign(set, { lon: input.lon, lat: input.lat, ...place });
    }
    if (input.description !== undefined) set.description = input.description?.trim() || null;
    if (input.ownerName !== undefined) set.owner_name = input.ownerName?.trim() || null;
    if (input.ownerContact !== undefined) set.owner_contact = input.ownerContact?.trim() || null;
    if (input.address !== undefined) set.address = input.address?.trim() || null;
    if (input.active !== undefined) set.active = input.active;
    if (input.apiKeyId !== undefined) set.api_key_id = input.apiKeyId;
    const updated = await uow.db
      .updateTable('alert_devices')
      .set(set)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const ownerChanged = input.ownerName !== undefined || input.ownerContact !== undefined;
    uow.audit({
      action: input.active === false && current.active ? 'device.deactivated' : 'device.updated',
      entityType: 'alert_device',
      entityId: current.id,
      before: auditView(current),
      after: { ...auditView(updated), ...(ownerChanged ? { ownerDataChanged: true } : {}) },
    });
    return updated;
  });
  return toDevice(row);
}

export async function deactivateDevice(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  code: string,
) {
  return updateDevice(deps, ctx, principal, code, { active: false });
}

function toDeviceAlertEntry(row: DeviceAlertRow) {
  return {
    id: row.id,
    alertId: row.alert_id,
    kind: row.kind,
    outcome: row.outcome,
    lon: row.lon,
    lat: row.lat,
    triggeredAt: row.triggered_at?.toISOString() ?? null,
    receivedAt: row.received_at.toISOString(),
    incidentId: row.incident_id,
  };
}

export async function listDeviceAlerts(deps: EmergenciesDeps, principal: Principal, code: string) {
  const device = await findDevice(deps, code);
  assertReadScope(principal, P.read, device);
  const rows = await deps.db
    .selectFrom('device_alerts')
    .selectAll()
    .where('device_id', '=', device.id)
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
  return { items: rows.map(toDeviceAlertEntry) };
}

/**
 * Who may send a device's alerts: a national key (a gateway relaying many devices), or the device's
 * own key: the key linked to it (api_key_id) or, while no key is linked, a key whose unit scope is the
 * device's code. Once a key is linked, only that one speaks for the device.
 */
function assertMayAlert(principal: Principal, device: AlertDeviceRow) {
  if (hasNationalPermission(principal, P.alertSend)) return;
  if (principal.kind === 'api_key') {
    if (device.api_key_id === principal.id) return;
    const unitScoped = (principal.grants.get(P.alertSend) ?? []).some(
      (s) => s.level === 'unit' && s.code === device.code,
    );
    if (device.api_key_id === null && unitScoped) return;
  }
  throw new AppError('DEVICE_KEY_MISMATCH', 403, { code: device.code });
}

/** The owner as the incident's caller: their data then lives where caller data lives (audited reads). */
function ownerAsCaller(device: AlertDeviceRow): CallerInput | undefined {
  if (!device.owner_name && !device.owner_contact) return undefined;
  const contact = device.owner_contact ?? '';
  return {
    ...(device.owner_name ? { name: device.owner_name } : {}),
    ...(/^\+?[0-9 ()-]{3,20}$/.test(contact) ? { phone: contact } : {}),
    ...(/^[^@\s]+@[^@\s]+$/.test(contact) ? { email: contact } : {}),
  };
}

async function openIncidentOfDevice(uow: UnitOfWork, deviceId: string) {
  return uow.db
    .selectFrom('device_alerts as d')
    .innerJoin('incidents as i', 'i.id', 'd.incident_id')
    .select(['i.id', 'i.folio', 'i.department_code', 'i.municipality_pcode'])
    .where('d.device_id', '=', deviceId)
    .where('i.status', 'in', OPEN_STATUSES)
    .orderBy('d.received_at', 'desc')
    .executeTakeFirst();
}

export async function receiveDeviceAlert(
  deps: EmergenciesDeps,
  ctx: RequestContext,
  principal: Principal,
  code: string,
  body: DeviceAlertBody,
): Promise<DeviceAlertResult> {
  const kind: DeviceAlertKind = body.kind ?? 'panic';
  if ((body.lon === undefined) !== (body.lat === undefined)) throw new AppError('LOCATION_INCOMPLETE', 400);
  const triggeredAt = body.triggeredAt ? new Date(body.triggeredAt) : null;
  const run = () =>
    deps.tx(ctx, async (uow) => {
      const device = await uow.db
        .selectFrom('alert_devices')
        .selectAll()
        .where('code', '=', code)
        .forUpdate()
        .executeTakeFirst();
      if (!device) throw new AppError('DEVICE_NOT_FOUND', 404, { code });
      assertMayAlert(principal, device);
      const result = (row: DeviceAlertRow, folio: string | null, duplicate: boolean): DeviceAlertResult => ({
        id: row.id,
        alertId: row.alert_id,
        deviceCode: device.code,
        kind: row.kind,
        outcome: row.outcome,
        incidentId: row.incident_id,
        folio,
        receivedAt: row.received_at.toISOString(),
        duplicate,
      });
      const previous = await uow.db
        .selectFrom('device_alerts')
        .selectAll()
        .where('device_id', '=', device.id)
        .where('alert_id', '=', body.alertId)
        .executeTakeFirst();
      if (previous) {
        if (previous.kind !== kind) {
          throw new AppError('DEVICE_ALERT_ID_CONFLICT', 409, { alertId: body.alertId, kind: previous.kind });
        }
        const incident = previous.incident_id
          ? await uow.db
              .selectFrom('incidents')
              .select('folio')
              .where('id', '=', previous.incident_id)
              .executeTakeFirst()
          : undefined;
        return result(previous, incident?.folio ?? null, true);
      }
      if (!device.active) throw new AppError('DEVICE_INACTIVE', 409, { code });

      const sentLocation = body.lon !== undefined && body.lat !== undefined;
      const alertData = {
        deviceCode: device.code,
        alertId: body.alertId,
        kind,
        triggeredAt: triggeredAt?.toISOString() ?? null,
        ...(sentLocation ? { lon: body.lon, lat: body.lat } : {}),
      };
      const open = kind === 'test' ? undefined : await openIncidentOfDevice(uow, device.id);
      let outcome: DeviceAlertOutcome;
      let incident: { id: string; folio: string } | null = null;
      if (kind === 'test') {
        outcome = 'test_logged';
      } else if (kind === 'cancel') {
        outcome = open ? 'cancel_noted' : 'cancel_without_incident';
        if (open) {
          await attachAlertToIncident(uow, open, 'device_cancel_received', alertData);
          incident = open;
        }
      } else if (open) {
        outcome = 'attached';
        await attachAlertToIncident(uow, open, 'device_panic_repeated', alertData);
        incident = open;
      } else {
        outcome = 'incident_created';
        const where = sentLocation
          ? 'ubicación enviada por el dispositivo'
          : 'ubicación registrada del dispositivo';
        const located = sentLocation
          ? { lon: body.lon!, lat: body.lat! }
          : device.lon !== null && device.lat !== null
            ? { lon: device.lon, lat: device.lat }
            : {};
        const created = await createIncidentInTx(deps, uow, {
          channel: 'panic',
          typeCode: 'ALERTAS.PANICO',
          priority: 1,
          narrative:
            `Alerta de pánico del ${KINDS_ES[device.kind]} ${device.code}` +
            `${device.description ? ` (${device.description})` : ''}; ${where}` +
            `${device.address ? `: ${device.address}` : ''}.` +
            `${triggeredAt ? ` Activada ${toLocalIso(triggeredAt)}.` : ''}`,
          summary: `Botón de pánico ${device.code}${device.description ? ` — ${device.description}` : ''}`,
          location: {
            ...located,
            ...(device.address
              ? { text: device.address }
              : 'lon' in located
                ? {}
                : { text: `Dispositivo ${device.code} (sin ubicación registrada)` }),
          },
          caller: ownerAsCaller(device),
          external: { source: 'device', ref: `${device.code}:${body.alertId}` },
        });
        incident = { id: created.id, folio: created.folio };
      }
      const row = await uow.db
        .insertInto('device_alerts')
        .values({
          id: randomUUID(),
          device_id: device.id,
          alert_id: body.alertId,
          kind,
          lon: body.lon ?? null,
          lat: body.lat ?? null,
          triggered_at: triggeredAt,
          received_at: uow.now,
          outcome,
          incident_id: incident?.id ?? null,
          actor_type: uow.ctx.actor.type,
          actor_id: uow.ctx.actor.id,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await uow.db
        .updateTable('alert_devices')
        .set({ last_alert_at: uow.now })
        .where('id', '=', device.id)
        .execute();
      uow.audit({
        action: 'device.alert.received',
        entityType: 'alert_device',
        entityId: device.id,
        after: { alertId: body.alertId, kind, outcome, incidentId: incident?.id ?? null },
      });
      return result(row, incident?.folio ?? null, false);
    });
  try {
    return await run();
  } catch (error) {
    // The same alert delivered twice at once: the device row lock serialises them, but a unique
    // violation can still surface on PostgreSQL; the retry then finds the stored alert.
    if (isUniqueViolation(error)) return run();
    throw error;
  }
}
