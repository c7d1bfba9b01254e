import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.WORKFLOW_DEFINITION_NOT_FOUND': 'No existe el flujo de aprobación «{code}».',
    'errors.WORKFLOW_CASE_NOT_FOUND': 'El expediente de aprobación no existe.',
    'errors.WORKFLOW_CASE_NOT_VISIBLE': 'No tiene acceso a este expediente de aprobación.',
    'errors.WORKFLOW_CASE_ALREADY_OPEN': 'Ya hay un expediente de aprobación abierto para este asunto.',
    'errors.WORKFLOW_CASE_CLOSED': 'El expediente de aprobación ya está cerrado ({status}).',
    'errors.WORKFLOW_STEP_UNKNOWN': 'El paso «{step}» no existe en este flujo.',
    'errors.WORKFLOW_STEP_WAITING': 'El paso «{step}» todavía no corresponde: faltan pasos anteriores.',
    'errors.WORKFLOW_STEP_DONE': 'El paso «{step}» ya fue resuelto.',
    'errors.WORKFLOW_NOT_ALLOWED': 'No tiene el permiso {permission} en el ámbito de este expediente.',
    'errors.WORKFLOW_ACTOR_EXCLUDED':
      'No puede actuar en este expediente: usted está vinculado a la organización o persona evaluada.',
    'errors.WORKFLOW_SEGREGATION_OF_DUTIES':
      'Separación de funciones: usted ya actuó en «{other}» de este expediente y no puede resolver «{step}».',
    'errors.WORKFLOW_OUTCOME_NOT_ALLOWED': 'El resultado «{outcome}» no está permitido en el paso «{step}».',
    'errors.WORKFLOW_REASON_REQUIRED':
      'Debe indicar el motivo (al menos {min} caracteres) para devolver con observaciones o rechazar.',
    'errors.WORKFLOW_CHECKLIST_UNKNOWN_ITEM':
      'El punto «{item}» no pertenece a la lista de verificación del paso.',
    'errors.WORKFLOW_CHECKLIST_DUPLICATE_ITEM':
      'El punto «{item}» de la lista de verificación se respondió dos veces.',
    'errors.WORKFLOW_CHECKLIST_INCOMPLETE':
      'Para aprobar, todos los puntos obligatorios de la lista de verificación deben estar cumplidos: {items}.',
    'errors.WORKFLOW_DOCUMENT_MISSING': 'Para aprobar falta adjuntar: {kinds}.',
    'errors.WORKFLOW_DOCUMENT_DUPLICATE': 'El mismo documento (SHA-256) se adjuntó dos veces.',
    'notifications.workflow_reminder.subject': 'Recordatorio: «{title}» vence el {due}',
    'notifications.workflow_reminder.text':
      'El paso «{step}» del expediente «{title}» vence el {due} (hora de El Salvador). Revise su bandeja de aprobaciones en Centinela.',
    'notifications.workflow_escalation.subject': 'Escalamiento: «{title}» está vencido',
    'notifications.workflow_escalation.text':
      'El paso «{step}» del expediente «{title}» venció el {due} (hora de El Salvador) sin resolverse. Se le notifica como responsable de escalamiento.',
  },
  en: {
    'errors.WORKFLOW_DEFINITION_NOT_FOUND': 'There is no approval workflow "{code}".',
    'errors.WORKFLOW_CASE_NOT_FOUND': 'The approval case does not exist.',
    'errors.WORKFLOW_CASE_NOT_VISIBLE': 'You have no access to this approval case.',
    'errors.WORKFLOW_CASE_ALREADY_OPEN': 'An approval case is already open for this subject.',
    'errors.WORKFLOW_CASE_CLOSED': 'The approval case is already closed ({status}).',
    'errors.WORKFLOW_STEP_UNKNOWN': 'Step "{step}" does not exist in this workflow.',
    'errors.WORKFLOW_STEP_WAITING': 'Step "{step}" is not due yet: earlier steps are pending.',
    'errors.WORKFLOW_STEP_DONE': 'Step "{step}" has already been decided.',
    'errors.WORKFLOW_NOT_ALLOWED': 'You do not hold permission {permission} in the scope of this case.',
    'errors.WORKFLOW_ACTOR_EXCLUDED':
      'You cannot act on this case: you are linked to the organisation or person under review.',
    'errors.WORKFLOW_SEGREGATION_OF_DUTIES':
      'Segregation of duties: you already acted on "{other}" of this case and cannot decide "{step}".',
    'errors.WORKFLOW_OUTCOME_NOT_ALLOWED': 'Outcome "{outcome}" is not allowed at step "{step}".',
    'errors.WORKFLOW_REASON_REQUIRED':
      'A reason (at least {min} characters) is required to return with observations or reject.',
    'errors.WORKFLOW_CHECKLIST_UNKNOWN_ITEM': 'Item "{item}" is not on the checklist of this step.',
    'errors.WORKFLOW_CHECKLIST_DUPLICATE_ITEM': 'Checklist item "{item}" was answered twice.',
    'errors.WORKFLOW_CHECKLIST_INCOMPLETE': 'To approve, every required checklist item must be met: {items}.',
    'errors.WORKFLOW_DOCUMENT_MISSING': 'To approve, attach: {kinds}.',
    'errors.WORKFLOW_DOCUMENT_DUPLICATE': 'The same document (SHA-256) was attached twice.',
    'notifications.workflow_reminder.subject': 'Reminder: "{title}" is due on {due}',
    'notifications.workflow_reminder.text':
      'Step "{step}" of case "{title}" is due on {due} (El Salvador time). Check your approvals inbox in Centinela.',
    'notifications.workflow_escalation.subject': 'Escalation: "{title}" is overdue',
    'notifications.workflow_escalation.text':
      'Step "{step}" of case "{title}" was due on {due} (El Salvador time) and is still undecided. You are notified as the escalation contact.',
  },
});
