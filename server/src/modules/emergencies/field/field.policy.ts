import { definePolicy } from '../../../platform/http/permissions.js';

export const FIELD_PERMISSIONS = {
  reportWrite: 'field.report.write',
  evidenceCollect: 'evidence.collect',
  evidenceCustody: 'evidence.custody',
  evidenceRead: 'evidence.read',
} as const;

const P = FIELD_PERMISSIONS;

definePolicy('emergencies.field', {
  permissions: [
    { code: P.reportWrite, description: 'Redactar informes de campo de los incidentes de su unidad' },
    {
      code: P.evidenceCollect,
      description: 'Registrar evidencias (fotos, archivos) con su cadena de custodia',
    },
    { code: P.evidenceCustody, description: 'Registrar entregas y recepciones de evidencia' },
    { code: P.evidenceRead, description: 'Ver evidencias y su cadena de custodia (consulta auditada)' },
  ],
  roles: {
    field_officer: [P.reportWrite, P.evidenceCollect, P.evidenceCustody, P.evidenceRead],
    analyst: [P.evidenceCustody, P.evidenceRead],
    supervisor: [P.evidenceRead],
    internal_affairs: [P.evidenceRead, P.evidenceCustody],
    auditor: [P.evidenceRead],
    dispatcher: [P.evidenceRead],
  },
});
