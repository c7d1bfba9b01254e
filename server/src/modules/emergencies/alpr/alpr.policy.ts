import { definePolicy } from '../../../platform/http/permissions.js';

export const ALPR_PERMISSIONS = {
  watchlistRead: 'alpr.watchlist.read',
  watchlistManage: 'alpr.watchlist.manage',
  readIngest: 'alpr.read.ingest',
  readsSearch: 'alpr.reads.search',
} as const;

const P = ALPR_PERMISSIONS;

definePolicy('emergencies.alpr', {
  permissions: [
    { code: P.watchlistRead, description: 'Ver la lista de placas buscadas' },
    { code: P.watchlistManage, description: 'Agregar, modificar y retirar placas buscadas (con motivo)' },
    { code: P.readIngest, description: 'Enviar lecturas de placas (clave de API de lectores ALPR)' },
    { code: P.readsSearch, description: 'Consultar el historial de lecturas de placas (consulta auditada)' },
  ],
  roles: {
    dispatcher: [P.watchlistRead],
    call_taker: [P.watchlistRead],
    supervisor: [P.watchlistRead, P.watchlistManage, P.readsSearch],
    analyst: [P.watchlistRead, P.readsSearch],
    // Administrators issue the readers' API keys.
    administrator: [P.readIngest],
  },
});
