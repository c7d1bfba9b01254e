import { definePolicy } from '../../../platform/http/permissions.js';

export const DISPATCH_PERMISSIONS = {
  unitsRead: 'unit.read',
  unitsManage: 'unit.manage',
  unitStatus: 'unit.status.set',
  assign: 'dispatch.assign',
  release: 'dispatch.release',
  recommend: 'dispatch.recommend',
  field: 'field.operate',
  targetsManage: 'dispatch.targets.manage',
  escalationsRead: 'dispatch.escalations.read',
  escalationsAck: 'dispatch.escalations.acknowledge',
  positionsWrite: 'avl.position.write',
  positionsRead: 'avl.position.read',
} as const;

const P = DISPATCH_PERMISSIONS;

definePolicy('emergencies.dispatch', {
  permissions: [
    { code: P.unitsRead, description: 'Ver unidades, su estado y tripulación' },
    { code: P.unitsManage, description: 'Crear y modificar unidades, estaciones y tripulaciones' },
    { code: P.unitStatus, description: 'Cambiar el estado operativo de una unidad' },
    { code: P.assign, description: 'Asignar unidades a incidentes' },
    { code: P.release, description: 'Liberar unidades de incidentes (con motivo)' },
    { code: P.recommend, description: 'Ver unidades recomendadas para un incidente' },
    { code: P.field, description: 'Operar como agente de campo (acuse, en camino, en el lugar, informe)' },
    { code: P.targetsManage, description: 'Configurar tiempos objetivo de respuesta por prioridad' },
    { code: P.escalationsRead, description: 'Ver escalamientos por demoras' },
    { code: P.escalationsAck, description: 'Dar por recibidos los escalamientos' },
    { code: P.positionsWrite, description: 'Enviar posiciones AVL (dispositivos y aplicación de campo)' },
    { code: P.positionsRead, description: 'Ver posiciones de unidades e historial' },
  ],
  roles: {
    dispatcher: [
      P.unitsRead,
      P.unitStatus,
      P.assign,
      P.release,
      P.recommend,
      P.escalationsRead,
      P.positionsRead,
    ],
    supervisor: [
      P.unitsRead,
      P.unitsManage,
      P.unitStatus,
      P.assign,
      P.release,
      P.recommend,
      P.targetsManage,
      P.escalationsRead,
      P.escalationsAck,
      P.positionsRead,
    ],
    call_taker: [P.unitsRead, P.positionsRead],
    field_officer: [P.field, P.positionsWrite, P.unitsRead],
    analyst: [P.unitsRead, P.positionsRead],
    auditor: [P.unitsRead, P.positionsRead],
    internal_affairs: [P.unitsRead, P.positionsRead],
    administrator: [P.unitsRead, P.unitsManage, P.targetsManage],
  },
});
