import { defineWorkflow, OPENER, type WorkflowStepDef } from '../../workflow/index.js';
import { GRANT_PERMISSIONS as P } from '../grants.policy.js';

export const PLAN_REVIEW = 'ngo_plan_review';
export const PLAN_SUBJECT = 'ngo_plan';

const item = (code: string, labelEs: string, labelEn: string, required = true) => ({
  code,
  labelEs,
  labelEn,
  required,
});

/** The three reviews run in parallel (any order), each by a different person, within 5 days. */
const review = {
  outcomes: ['approve', 'return', 'reject'],
  deadlineHours: 120,
  reminderHoursBefore: 24,
  escalationRole: 'ngo_authority',
} satisfies Partial<WorkflowStepDef>;

/**
 * NGO plan review (domain notes fondos-ong.md §2 steps 4–7, §7 segregation of duties): legal
 * (Asesoría Jurídica), financial (UFI) and technical/monitoring (programme unit + internal control)
 * reviews, then the authority's approval. The requester (the NGO user who submitted the plan) and
 * people linked to the NGO never act; the four sign-offs are four different people.
 */
export const planReviewDefinition = defineWorkflow({
  code: PLAN_REVIEW,
  version: 1,
  nameEs: 'Revisión y aprobación de plan de trabajo de ONG',
  nameEn: 'NGO work plan review and approval',
  steps: [
    {
      code: 'legal',
      nameEs: 'Revisión jurídica',
      nameEn: 'Legal review',
      permission: P.reviewLegal,
      checklist: [
        item(
          'personalidad_juridica',
          'Personalidad jurídica vigente e inscrita en el Registro de Asociaciones y Fundaciones sin Fines de Lucro',
          'Legal personality in force and registered with the RAFSFL',
        ),
        item(
          'junta_directiva',
          'Junta Directiva y credencial del representante legal vigentes',
          "Board and legal representative's credential in force",
        ),
        item(
          'fines_estatutarios',
          'Los fines estatutarios son compatibles con el programa de la convocatoria',
          "The statutory purpose fits the call's programme",
        ),
        item(
          'solvencias',
          'Solvencias tributaria y de seguridad social vigentes',
          'Tax and social-security clearances in force',
        ),
        item(
          'raex',
          'Situación en el RAEX (Ley de Agentes Extranjeros) resuelta',
          'RAEX (foreign agents) status resolved',
        ),
        item(
          'conflicto_interes',
          'Declaraciones de conflicto de interés presentadas, sin conflicto sin resolver',
          'Conflict-of-interest declarations filed, no unresolved conflict',
        ),
        item(
          'compras_lcp',
          'El borrador de convenio indica las reglas de compras aplicables (LCP art. 2 c)',
          'The draft agreement states the applicable procurement rules (LCP art. 2 c)',
          false,
        ),
      ],
      requiredDocuments: [
        { kind: 'dictamen_juridico', labelEs: 'Dictamen jurídico', labelEn: 'Legal opinion' },
      ],
      ...review,
    },
    {
      code: 'financial',
      nameEs: 'Revisión financiera (UFI)',
      nameEn: 'Financial review (finance unit)',
      permission: P.reviewFinancial,
      checklist: [
        item(
          'disponibilidad',
          'Certificación de disponibilidad presupuestaria emitida (específico 56303)',
          'Budget availability certificate issued (object 56303)',
        ),
        item(
          'costos_razonables',
          'Costos razonables y coherentes con las actividades',
          'Costs reasonable and consistent with the activities',
        ),
        item(
          'lineas_presupuesto',
          'Líneas de presupuesto completas y por fuente de financiamiento (MJSP / contrapartida)',
          'Budget lines complete, by funding source (ministry / counterpart)',
        ),
        item(
          'plan_desembolsos',
          'Plan de desembolsos por tramos definido',
          'Disbursement plan by tranches defined',
        ),
        item(
          'estados_financieros',
          'Estados financieros inscritos en el Registro',
          'Financial statements filed with the Registry',
        ),
        item(
          'cuenta_bancaria',
          'Cuenta bancaria exclusiva del proyecto a nombre de la organización',
          "Project bank account in the organisation's name",
        ),
        item(
          'sin_fondos_pendientes',
          'Sin fondos anteriores pendientes de liquidar',
          'No previous funds pending liquidation',
        ),
      ],
      requiredDocuments: [
        {
          kind: 'certificacion_disponibilidad',
          labelEs: 'Certificación de disponibilidad presupuestaria',
          labelEn: 'Budget availability certificate',
        },
      ],
      ...review,
    },
    {
      code: 'monitoring',
      nameEs: 'Revisión técnica, de monitoreo y control interno',
      nameEn: 'Technical, monitoring and internal-control review',
      permission: P.reviewMonitoring,
      checklist: [
        item(
          'indicadores',
          'Indicadores con línea base, meta, frecuencia y medio de verificación',
          'Indicators with baseline, target, frequency and means of verification',
        ),
        item(
          'poblacion_cobertura',
          'Población objetivo y cobertura territorial definidas',
          'Target population and territory defined',
        ),
        item('cronograma', 'Cronograma de actividades factible', 'Feasible schedule of activities'),
        item('plan_monitoreo', 'Plan de monitoreo y visitas definido', 'Monitoring and visit plan defined'),
        item(
          'riesgos',
          'Riesgos identificados con medidas de mitigación',
          'Risks identified with mitigation',
        ),
        item(
          'banderas_rojas',
          'Banderas rojas de la organización revisadas y justificadas',
          "The organisation's red flags reviewed and explained",
        ),
      ],
      requiredDocuments: [
        { kind: 'dictamen_tecnico', labelEs: 'Dictamen técnico', labelEn: 'Technical opinion' },
      ],
      ...review,
    },
    {
      code: 'authority',
      nameEs: 'Aprobación de la autoridad',
      nameEn: 'Approval by the authority',
      permission: P.approve,
      checklist: [
        item(
          'dictamenes',
          'Dictámenes jurídico, financiero y técnico favorables revisados',
          'Favourable legal, financial and technical opinions reviewed',
        ),
        item(
          'monto_techo',
          'Monto aprobado dentro del techo disponible de la convocatoria',
          "Approved amount within the call's remaining envelope",
        ),
      ],
      requiredDocuments: [
        {
          kind: 'acuerdo_aprobacion',
          labelEs: 'Acuerdo o resolución de aprobación',
          labelEn: 'Approval resolution',
        },
      ],
      outcomes: ['approve', 'return', 'reject'],
      deadlineHours: 72,
      reminderHoursBefore: 24,
      escalationRole: 'auditor',
    },
  ],
  stages: [['legal', 'financial', 'monitoring'], ['authority']],
  distinct: [[OPENER, 'legal', 'financial', 'monitoring', 'authority']],
});
