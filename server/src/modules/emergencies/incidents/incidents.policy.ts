import { definePolicy } from '../../../platform/http/permissions.js';

export const PERMISSIONS = {
  create: 'incident.create',
  read: 'incident.read',
  classify: 'incident.classify',
  note: 'incident.note.add',
  priority: 'incident.priority.change',
  cancel: 'incident.cancel',
  close: 'incident.close',
  reopen: 'incident.reopen',
  merge: 'incident.merge',
  callerRead: 'incident.caller.read',
  typesManage: 'incident.types.manage',
} as const;

const P = PERMISSIONS;

definePolicy('emergencies.incidents', {
  permissions: [
    { code: P.create, description: 'Registrar incidentes (recepción de llamadas)' },
    { code: P.read, description: 'Ver incidentes de su ámbito' },
    { code: P.classify, description: 'Clasificar incidentes recibidos' },
    { code: P.note, description: 'Agregar notas y correcciones' },
    { code: P.priority, description: 'Cambiar la prioridad (con motivo)' },
    { code: P.cancel, description: 'Cancelar incidentes (con motivo)' },
    { code: P.close, description: 'Cerrar incidentes con código de cierre' },
    { code: P.reopen, description: 'Reabrir incidentes cerrados (con motivo)' },
    { code: P.merge, description: 'Unir incidentes duplicados' },
    { code: P.callerRead, description: 'Ver datos personales del llamante (lectura auditada)' },
    { code: P.typesManage, description: 'Administrar el catálogo de tipos de incidente' },
  ],
  roles: {
    call_taker: [P.create, P.read, P.classify, P.note, P.merge, P.callerRead],
    dispatcher: [P.create, P.read, P.classify, P.note, P.priority, P.cancel, P.close, P.merge, P.callerRead],
    supervisor: [
      P.create,
      P.read,
      P.classify,
      P.note,
      P.priority,
      P.cancel,
      P.close,
      P.reopen,
      P.merge,
      P.callerRead,
    ],
    field_officer: [P.read, P.note],
    analyst: [P.read],
    internal_affairs: [P.read, P.callerRead],
    auditor: [P.read],
    administrator: [P.typesManage],
  },
});
