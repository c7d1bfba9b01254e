import { definePolicy } from '../../platform/http/permissions.js';

/**
 * Permissions of the NGO funds module (all of them, for every part of the module: registry, calls,
 * plans, review, agreements, disbursements, monitoring, liquidation, transparency).
 *
 * Reading: `grant.read` lets a caller use the read routes; what it sees depends on `grant.read.all`.
 * Back-office roles hold both and see every organisation. NGO staff hold `grant.read` only and see
 * only the organisation their user is linked to (ngo_users): the services restrict every query to it,
 * so a role given `grant.read` alone sees nothing outside a linked organisation (fail closed).
 */
export const GRANT_PERMISSIONS = {
  read: 'grant.read',
  readAll: 'grant.read.all',
  redFlagsRead: 'grant.redflags.read',
  registryManage: 'grant.registry.manage',
  organisationStatus: 'grant.organisation.status',
  usersLink: 'grant.users.link',
  documentsUpload: 'grant.documents.upload',
  declarationsRecord: 'grant.declarations.record',
  callManage: 'grant.call.manage',
  ngoSubmit: 'grant.ngo.submit',
  reviewLegal: 'grant.review.legal',
  reviewFinancial: 'grant.review.financial',
  reviewMonitoring: 'grant.review.monitoring',
  approve: 'grant.approve',
  financeDisburse: 'grant.finance.disburse',
  financePay: 'grant.finance.pay',
  monitoringVisit: 'grant.monitoring.visit',
  liquidate: 'grant.liquidate',
  transparencyAdmin: 'grant.transparency.admin',
} as const;

const P = GRANT_PERMISSIONS;
/** What every back-office role of the module reads. */
const BACK_OFFICE_READ = [P.read, P.readAll, P.redFlagsRead];

definePolicy('grants', {
  permissions: [
    { code: P.read, description: 'Ver organizaciones, convocatorias y planes de fondos a ONG' },
    {
      code: P.readAll,
      description:
        'Ver todas las organizaciones (sin este permiso, sólo la organización vinculada al usuario)',
    },
    { code: P.redFlagsRead, description: 'Ver las alertas (banderas rojas) de las organizaciones' },
    {
      code: P.registryManage,
      description: 'Registrar y actualizar organizaciones y su junta directiva',
    },
    {
      code: P.organisationStatus,
      description: 'Suspender, inhabilitar o reactivar una organización (con motivo)',
    },
    { code: P.usersLink, description: 'Vincular usuarios del portal a una organización' },
    { code: P.documentsUpload, description: 'Cargar documentos de una organización o de un plan' },
    { code: P.declarationsRecord, description: 'Registrar declaraciones de conflicto de interés' },
    { code: P.callManage, description: 'Crear, publicar y cerrar convocatorias' },
    { code: P.ngoSubmit, description: 'Formular y presentar planes de trabajo de una organización' },
    { code: P.reviewLegal, description: 'Revisión jurídica de planes (Asesoría Jurídica)' },
    { code: P.reviewFinancial, description: 'Revisión financiera de planes (UFI)' },
    { code: P.reviewMonitoring, description: 'Revisión técnica, de monitoreo y control interno de planes' },
    { code: P.approve, description: 'Aprobación final de planes por la autoridad' },
    { code: P.financeDisburse, description: 'Autorizar desembolsos (UFI)' },
    { code: P.financePay, description: 'Registrar el pago de desembolsos (Tesorería)' },
    { code: P.monitoringVisit, description: 'Registrar visitas de monitoreo e informes de avance' },
    { code: P.liquidate, description: 'Revisar y aprobar liquidaciones de fondos' },
    { code: P.transparencyAdmin, description: 'Administrar la publicación de datos de transparencia' },
  ],
  roles: {
    administrator: [
      ...BACK_OFFICE_READ,
      P.registryManage,
      P.usersLink,
      P.documentsUpload,
      P.declarationsRecord,
      P.callManage,
      P.ngoSubmit,
      P.transparencyAdmin,
    ],
    auditor: [...BACK_OFFICE_READ],
    ngo_legal_reviewer: [
      ...BACK_OFFICE_READ,
      P.reviewLegal,
      P.registryManage,
      P.documentsUpload,
      P.declarationsRecord,
    ],
    ngo_financial_reviewer: [...BACK_OFFICE_READ, P.reviewFinancial, P.callManage],
    ngo_monitoring_reviewer: [...BACK_OFFICE_READ, P.reviewMonitoring, P.monitoringVisit, P.liquidate],
    ngo_finance: [...BACK_OFFICE_READ, P.financeDisburse, P.financePay, P.liquidate],
    ngo_authority: [...BACK_OFFICE_READ, P.approve, P.organisationStatus, P.callManage],
    ngo_staff: [P.read, P.ngoSubmit, P.documentsUpload, P.declarationsRecord],
  },
});
