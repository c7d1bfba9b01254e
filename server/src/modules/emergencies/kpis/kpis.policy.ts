import { definePolicy } from '../../../platform/http/permissions.js';

export const KPI_PERMISSIONS = { read: 'kpi.read' } as const;

/**
 * Who reads the 911 indicators: those who supervise or examine the service. Operational roles
 * (call-takers, dispatchers, field officers) do not, nor the administrator (a technical role).
 * Every figure is limited to the territory of the reader's grant of `kpi.read`.
 */
definePolicy('emergencies.kpis', {
  permissions: [
    {
      code: KPI_PERMISSIONS.read,
      description:
        'Ver y exportar los indicadores del 911 (volúmenes, tiempos, unidades, demoras, satisfacción)',
    },
  ],
  roles: {
    supervisor: [KPI_PERMISSIONS.read],
    analyst: [KPI_PERMISSIONS.read],
    auditor: [KPI_PERMISSIONS.read],
    internal_affairs: [KPI_PERMISSIONS.read],
  },
});
