import { defineWorkflow, OPENER } from '../../workflow/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';

export const DISBURSEMENT_AUTHORISATION = 'ngo_disbursement_authorisation';
export const DISBURSEMENT_SUBJECT = 'ngo_disbursement';

/**
 * Authorisation of a disbursement by finance (UFI): one step, never by the person who requested it
 * nor by anyone linked to the NGO. Payment (Tesorería) is recorded afterwards by a third person.
 */
export const disbursementDefinition = defineWorkflow({
  code: DISBURSEMENT_AUTHORISATION,
  version: 1,
  nameEs: 'Autorización de desembolso a ONG',
  nameEn: 'NGO disbursement authorisation',
  steps: [
    {
      code: 'authorise',
      nameEs: 'Autorización financiera (UFI)',
      nameEn: 'Financial authorisation',
      permission: P.financeDisburse,
      checklist: [
        {
          code: 'conditions_verified',
          labelEs: 'Condiciones del tramo verificadas',
          labelEn: 'Tranche conditions verified',
          required: false,
        },
      ],
      requiredDocuments: [],
      outcomes: ['approve', 'reject'],
      deadlineHours: 72,
      reminderHoursBefore: 24,
      escalationRole: 'ngo_authority',
    },
  ],
  stages: [['authorise']],
  distinct: [[OPENER, 'authorise']],
});
