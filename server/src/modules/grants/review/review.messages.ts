import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.GRANT_REVIEW_PLAN_NOT_FOUND': 'El plan de trabajo no existe.',
    'errors.GRANT_REVIEW_PLAN_NOT_SUBMITTABLE':
      'El plan no puede pasar a revisión en su estado actual ({status}).',
    'errors.GRANT_REVIEW_PLAN_NOT_UNDER_REVIEW': 'El plan no está en revisión (estado: {status}).',
    'errors.GRANT_REVIEW_AMOUNT_INVALID':
      'El monto aprobado debe ser un número entero de centavos mayor que cero (approvedCents).',
    'errors.GRANT_REVIEW_AMOUNT_ABOVE_REQUEST':
      'El monto aprobado ({approved}) no puede superar el monto solicitado ({requested}).',
    'errors.GRANT_REVIEW_AMOUNT_ABOVE_PLAN_MAX':
      'El monto aprobado ({approved}) supera el máximo por plan de la convocatoria ({max}).',
    'errors.GRANT_REVIEW_ENVELOPE_EXCEEDED':
      'El monto aprobado ({approved}) supera el techo disponible de la convocatoria ({remaining}).',
    'errors.GRANT_REVIEW_CALL_CANCELLED': 'La convocatoria del plan fue cancelada: no se aprueban planes.',
  },
  en: {
    'errors.GRANT_REVIEW_PLAN_NOT_FOUND': 'The work plan does not exist.',
    'errors.GRANT_REVIEW_PLAN_NOT_SUBMITTABLE':
      'The plan cannot go to review in its current status ({status}).',
    'errors.GRANT_REVIEW_PLAN_NOT_UNDER_REVIEW': 'The plan is not under review (status: {status}).',
    'errors.GRANT_REVIEW_AMOUNT_INVALID':
      'The approved amount must be a whole number of cents greater than zero (approvedCents).',
    'errors.GRANT_REVIEW_AMOUNT_ABOVE_REQUEST':
      'The approved amount ({approved}) cannot exceed the requested amount ({requested}).',
    'errors.GRANT_REVIEW_AMOUNT_ABOVE_PLAN_MAX':
      "The approved amount ({approved}) exceeds the call's maximum per plan ({max}).",
    'errors.GRANT_REVIEW_ENVELOPE_EXCEEDED':
      "The approved amount ({approved}) exceeds the call's remaining envelope ({remaining}).",
    'errors.GRANT_REVIEW_CALL_CANCELLED': "The plan's call was cancelled: no plans are approved.",
  },
});
