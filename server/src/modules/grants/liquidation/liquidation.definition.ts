import { defineWorkflow, OPENER } from '../../workflow/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';

export const LIQUIDATION_APPROVAL = 'ngo_liquidation_approval';
export const LIQUIDATION_SUBJECT = 'ngo_liquidation';

/**
 * Approval of a liquidation: finance (UFI) and monitoring in parallel, two different people, neither
 * the one who submitted it nor anyone linked to the NGO. A return sends it back with observations.
 */
export const liquidationDefinition = defineWorkflow({
  code: LIQUIDATION_APPROVAL,
  version: 1,
  nameEs: 'Aprobación de liquidación de fondos a ONG',
  nameEn: 'NGO funds liquidation approval',
  steps: [
    {
      code: 'finance',
      nameEs: 'Aprobación financiera de la liquidación (UFI)',
      nameEn: 'Financial approval of the liquidation',
      permission: P.financeDisburse,
      checklist: [
        {
          code: 'reconciled',
          labelEs: 'Desembolsado = justificado + reintegrado',
          labelEn: 'Disbursed = justified + refunded',
        },
      ],
      requiredDocuments: [],
      outcomes: ['approve', 'return'],
      deadlineHours: 240,
      reminderHoursBefore: 48,
      escalationRole: 'ngo_authority',
    },
    {
      code: 'monitoring',
      nameEs: 'Aprobación técnica de la liquidación (monitoreo)',
      nameEn: 'Monitoring approval of the liquidation',
      permission: P.monitoringVisit,
      checklist: [
        {
          code: 'final_report',
          labelEs: 'Informe final técnico revisado',
          labelEn: 'Final technical report reviewed',
        },
      ],
      requiredDocuments: [],
      outcomes: ['approve', 'return'],
      deadlineHours: 240,
      reminderHoursBefore: 48,
      escalationRole: 'ngo_authority',
    },
  ],
  stages: [['finance', 'monitoring']],
  distinct: [[OPENER, 'finance', 'monitoring']],
});
