import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../../platform/http/request-context.js';
import { requirePrincipal } from '../../../platform/http/route-config.js';
import type { EmergenciesDeps } from '../incidents/incidents.deps.js';
import { DEVICE_PERMISSIONS as P } from './devices.policy.js';
import {
  CodeParams,
  Device,
  DeviceAlertBody,
  DeviceAlertList,
  DeviceAlertResult,
  DeviceCreate,
  DeviceList,
  DeviceListQuery,
  DeviceOwner,
  DeviceUpdate,
  PurposeQuery,
} from './devices.schemas.js';
import {
  createDevice,
  deactivateDevice,
  getDevice,
  listDeviceAlerts,
  listDevices,
  readDeviceOwner,
  receiveDeviceAlert,
  updateDevice,
} from './devices.service.js';
import './devices.messages.js';
import './devices.tables.js';

const tags = ['911 dispositivos de alerta'];
const bearer = [{ bearerAuth: [] }];
const machine: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { bearerAuth: [] }];

export async function deviceRoutes(app: FastifyInstance, deps: EmergenciesDeps): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/devices/:code/alerts',
    {
      config: { permission: P.alertSend, apiKey: true },
      schema: {
        tags,
        security: machine,
        summary: 'Alerta de un botón de pánico, panel o aplicación (idempotente por alertId)',
        description:
          'Clave de API con `device.alert.send`: la vinculada al dispositivo o una clave de ámbito nacional. ' +
          '`panic` (por defecto) crea un incidente de prioridad 1 en la ubicación del dispositivo (o en las ' +
          'coordenadas enviadas); si el dispositivo ya tiene un incidente abierto, la alerta se agrega a él. ' +
          '`test` solo se registra; `cancel` se anota en el incidente abierto.',
        params: CodeParams,
        body: DeviceAlertBody,
        response: { 200: DeviceAlertResult, 201: DeviceAlertResult },
      },
    },
    async (request, reply) => {
      const result = await receiveDeviceAlert(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.code,
        request.body,
      );
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  r.get(
    '/devices',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security: bearer,
        summary: 'Dispositivos de alerta de su ámbito (sin datos del titular)',
        querystring: DeviceListQuery,
        response: { 200: DeviceList },
      },
    },
    async (request) => listDevices(deps, requirePrincipal(request), request.query),
  );

  r.post(
    '/devices',
    {
      config: { permission: P.manage },
      schema: {
        tags,
        security: bearer,
        summary: 'Registrar un dispositivo de alerta',
        body: DeviceCreate,
        response: { 201: Device },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createDevice(deps, requestContext(request), requirePrincipal(request), request.body)),
  );

  r.get(
    '/devices/:code',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security: bearer,
        summary: 'Detalle de un dispositivo',
        params: CodeParams,
        response: { 200: Device },
      },
    },
    async (request) => getDevice(deps, requirePrincipal(request), request.params.code),
  );

  r.patch(
    '/devices/:code',
    {
      config: { permission: P.manage },
      schema: {
        tags,
        security: bearer,
        summary: 'Modificar un dispositivo (ubicación, titular, clave vinculada, activo)',
        params: CodeParams,
        body: DeviceUpdate,
        response: { 200: Device },
      },
    },
    async (request) =>
      updateDevice(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.code,
        request.body,
      ),
  );

  r.delete(
    '/devices/:code',
    {
      config: { permission: P.manage },
      schema: {
        tags,
        security: bearer,
        summary: 'Desactivar un dispositivo (se conserva con su historial)',
        params: CodeParams,
        response: { 200: Device },
      },
    },
    async (request) =>
      deactivateDevice(deps, requestContext(request), requirePrincipal(request), request.params.code),
  );

  r.get(
    '/devices/:code/owner',
    {
      config: { permission: P.ownerRead },
      schema: {
        tags,
        security: bearer,
        summary: 'Titular y contacto del dispositivo (datos personales: lectura auditada con su propósito)',
        params: CodeParams,
        querystring: PurposeQuery,
        response: { 200: DeviceOwner },
      },
    },
    async (request) =>
      readDeviceOwner(
        deps,
        requestContext(request),
        requirePrincipal(request),
        request.params.code,
        request.query.purpose,
      ),
  );

  r.get(
    '/devices/:code/alerts',
    {
      config: { permission: P.read },
      schema: {
        tags,
        security: bearer,
        summary: 'Alertas recibidas de un dispositivo (incluidas las de prueba)',
        params: CodeParams,
        response: { 200: DeviceAlertList },
      },
    },
    async (request) => listDeviceAlerts(deps, requirePrincipal(request), request.params.code),
  );
}
