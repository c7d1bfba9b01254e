import { registerMessages } from '../../../platform/i18n/catalog.js';

/**
 * Messages of the execution part of the grants module (agreements, disbursements, receipts,
 * monitoring, liquidation). The shared helpers' codes (AMOUNT_*, DATE_*, DOCUMENT_*) are registered
 * here too, with the same text wherever else they are registered.
 */
registerMessages({
  es: {
    'errors.AMOUNT_NOT_A_NUMBER': 'El monto ({field}) debe ser un número de centavos.',
    'errors.AMOUNT_FRACTIONAL_CENTS':
      'El monto ({field}) debe ser un número entero de centavos (sin fracciones de centavo).',
    'errors.AMOUNT_NEGATIVE': 'El monto ({field}) no puede ser negativo.',
    'errors.AMOUNT_ZERO': 'El monto ({field}) debe ser mayor que cero.',
    'errors.AMOUNT_TOO_LARGE': 'El monto ({field}) es demasiado grande.',
    'errors.DATE_INVALID': 'La fecha ({field}) no es válida: use AAAA-MM-DD.',
    'errors.DATES_OUT_OF_ORDER': 'Las fechas están en desorden: {from} no puede ser posterior a {to}.',
    'errors.DOCUMENT_NOT_BASE64': 'El archivo no está codificado en base64.',
    'errors.DOCUMENT_EMPTY': 'El archivo está vacío.',
    'errors.DOCUMENT_TOO_LARGE': 'El archivo supera el máximo de {maxMb} MB.',
    'errors.DOCUMENT_TYPE_UNSUPPORTED': 'Tipo de archivo no admitido: sólo PDF, JPEG o PNG.',
    'errors.DOCUMENT_TYPE_MISMATCH':
      'El archivo no es del tipo declarado ({declared}); su contenido es {detected}.',
    'errors.DOCUMENT_FILE_MISSING': 'El archivo ya no está disponible en el almacenamiento.',
    'errors.DOCUMENT_FILE_ALTERED': 'El archivo almacenado no coincide con su huella SHA-256: fue alterado.',
    'errors.ORGANISATION_NOT_FOUND': 'La organización no existe.',
    'errors.GRANT_PLAN_NOT_FOUND': 'El plan de trabajo no existe.',
    'errors.GRANT_AGREEMENT_NOT_FOUND': 'El convenio no existe.',
    'errors.GRANT_AGREEMENT_PLAN_NOT_APPROVED':
      'Sólo se firma convenio de un plan aprobado (estado actual: {status}).',
    'errors.GRANT_AGREEMENT_ABOVE_APPROVED':
      'El monto del convenio ({amount}) supera el monto aprobado del plan ({approved}).',
    'errors.GRANT_AGREEMENT_TRANCHES_MISMATCH':
      'La suma de los tramos ({tranches}) debe ser igual al monto del convenio ({amount}).',
    'errors.GRANT_AGREEMENT_FIRST_TRANCHE_CONDITION':
      'El primer tramo se paga a la firma: no puede exigir gasto justificado ni visita de monitoreo.',
    'errors.GRANT_AGREEMENT_ADMINISTRATOR_INVALID':
      'El administrador del convenio debe ser un usuario activo.',
    'errors.GRANT_AGREEMENT_ADMINISTRATOR_LINKED':
      'El administrador del convenio no puede estar vinculado a la organización.',
    'errors.GRANT_AGREEMENT_NUMBER_TAKEN': 'Ya existe un convenio con el número {number}.',
    'errors.GRANT_AGREEMENT_NOT_IN_EXECUTION':
      'El convenio no está en ejecución (estado del plan: {status}).',
    'errors.GRANT_CLOSE_NOT_LIQUIDATED':
      'Sólo se cierra un convenio con la liquidación aprobada (estado del plan: {status}).',
    'errors.GRANT_CLOSING_ACT_NOT_READY': 'El convenio todavía no tiene acta de cierre.',
    'errors.GRANT_TRANCHE_NOT_FOUND': 'El convenio no tiene un tramo {number}.',
    'errors.GRANT_DISBURSEMENT_NOT_FOUND': 'El desembolso no existe.',
    'errors.GRANT_DISBURSEMENT_ALREADY_REQUESTED':
      'El tramo {number} ya tiene un desembolso en curso ({status}).',
    'errors.GRANT_DISBURSEMENT_REQUEST_NOT_ALLOWED':
      'Sólo la propia organización o finanzas (UFI) pueden solicitar un desembolso.',
    'errors.GRANT_DISBURSEMENT_CONDITIONS_UNMET': 'No se cumplen las condiciones del tramo: {conditions}',
    'errors.GRANT_DISBURSEMENT_WRONG_STATUS':
      'El desembolso no está en el estado necesario para esta acción (estado: {status}).',
    'errors.GRANT_DISBURSEMENT_SEGREGATION':
      'Separación de funciones: quien paga no puede ser quien {other} el desembolso.',
    'errors.GRANT_PAYMENT_REFERENCE_REQUIRED':
      'Indique la referencia del pago o depósito (al menos 3 caracteres).',
    'errors.GRANT_PAYMENT_REFERENCE_TAKEN': 'La referencia {reference} ya fue registrada.',
    'errors.GRANT_LIQUIDATION_OVERDUE_BLOCKS_FUNDS':
      'La organización tiene fondos pendientes de liquidar fuera de plazo ({plans}): no puede recibir nuevos fondos ni aprobaciones hasta liquidarlos.',
    'errors.GRANT_EXPENSE_REPORT_NOT_FOUND': 'El informe de gastos no existe.',
    'errors.GRANT_EXPENSE_REPORT_NOT_OPEN': 'El informe de gastos ya fue presentado: no admite cambios.',
    'errors.GRANT_EXPENSE_REPORT_EMPTY': 'El informe de gastos no tiene comprobantes.',
    'errors.GRANT_EXPENSE_REPORT_NOT_SUBMITTED': 'El informe de gastos todavía no fue presentado.',
    'errors.GRANT_RECEIPT_NOT_FOUND': 'El comprobante no existe.',
    'errors.GRANT_RECEIPT_NIT_INVALID':
      'El NIT del proveedor ({nit}) no es válido (formato o dígito verificador).',
    'errors.GRANT_RECEIPT_DUI_INVALID': 'El DUI del proveedor no es válido.',
    'errors.GRANT_RECEIPT_GENERATION_CODE_INVALID': 'Un DTE necesita su código de generación (UUID).',
    'errors.GRANT_RECEIPT_GENERATION_CODE_PAPER':
      'Un documento no electrónico no tiene código de generación.',
    'errors.GRANT_RECEIPT_NUMBER_REQUIRED': 'Indique el número del documento.',
    'errors.GRANT_RECEIPT_BUDGET_LINE_UNKNOWN': 'La línea presupuestaria {line} no es del plan del convenio.',
    'errors.GRANT_RECEIPT_ALREADY_REVIEWED': 'El comprobante ya fue revisado ({status}).',
    'errors.GRANT_RECEIPT_REVIEWER_CONFLICT':
      'No puede revisar este comprobante: lo cargó usted o está vinculado a la organización.',
    'errors.GRANT_RECEIPT_DUPLICATE_NOT_APPROVABLE':
      'El comprobante ya fue utilizado en otro informe: no puede aprobarse.',
    'errors.GRANT_RECEIPT_BUDGET_LINE_EXCEEDED':
      'Aprobar este comprobante excedería la línea presupuestaria {line}.',
    'errors.GRANT_REASON_REQUIRED': 'Indique el motivo (al menos {min} caracteres).',
    'errors.GRANT_INDICATOR_UNKNOWN': 'El indicador {code} no es del plan del convenio.',
    'errors.GRANT_INDICATOR_VALUE_INVALID': 'El valor del indicador debe ser un número.',
    'errors.GRANT_INDICATOR_REPORT_NOT_ALLOWED':
      'Sólo la propia organización o monitoreo pueden informar avances.',
    'errors.GRANT_VISIT_NOT_FOUND': 'La visita de monitoreo no existe.',
    'errors.GRANT_VISIT_TEAM_REQUIRED': 'Indique al menos una persona del equipo de la visita.',
    'errors.GRANT_VISIT_IN_FUTURE': 'La fecha de la visita no puede ser futura.',
    'errors.GRANT_VISIT_PHOTO_NOT_IMAGE': 'Las fotos de una visita deben ser JPEG o PNG.',
    'errors.GRANT_VISIT_PHOTO_NOT_FOUND': 'La foto no existe.',
    'errors.GRANT_VISIT_ALREADY_APPROVED': 'El informe de la visita ya fue aprobado: no admite cambios.',
    'errors.GRANT_VISIT_ALREADY_DECIDED': 'El informe de la visita ya fue decidido ({status}).',
    'errors.GRANT_VISIT_SELF_APPROVAL': 'Quien registró la visita no puede aprobar su propio informe.',
    'errors.GRANT_REFUND_NOT_ALLOWED':
      'Sólo la propia organización o Tesorería pueden registrar un reintegro.',
    'errors.GRANT_REFUND_ABOVE_BALANCE':
      'El reintegro ({amount}) supera el saldo por justificar ({balance}).',
    'errors.GRANT_LIQUIDATION_NOT_FOUND': 'La liquidación no existe.',
    'errors.GRANT_LIQUIDATION_SUBMIT_NOT_ALLOWED':
      'Sólo la propia organización o el área de liquidaciones pueden presentar la liquidación.',
    'errors.GRANT_LIQUIDATION_REPORT_REQUIRED': 'El informe final debe tener al menos 10 caracteres.',
    'errors.GRANT_LIQUIDATION_WRONG_STATUS':
      'La liquidación no puede hacerse en el estado actual ({status}).',
    'errors.GRANT_LIQUIDATION_DISBURSEMENT_PENDING':
      'Hay un desembolso en trámite: resuélvalo antes de liquidar.',
    'errors.GRANT_LIQUIDATION_RECEIPTS_PENDING': 'Hay {count} comprobantes sin revisar u observados.',
    'errors.GRANT_LIQUIDATION_UNBALANCED':
      'La liquidación no cuadra: desembolsado {disbursed}, justificado {justified}, reintegrado {refunded}; saldo {balance}.',
    'notifications.grant_liquidation_overdue.subject': 'Liquidación vencida: {plan}',
    'notifications.grant_liquidation_overdue.text':
      'La organización {organisation} no liquidó los fondos del plan {plan}; el plazo venció el {due}. No puede recibir nuevos desembolsos ni aprobaciones hasta liquidar.',
  },
  en: {
    'errors.AMOUNT_NOT_A_NUMBER': 'The amount ({field}) must be a number of cents.',
    'errors.AMOUNT_FRACTIONAL_CENTS': 'The amount ({field}) must be a whole number of cents.',
    'errors.AMOUNT_NEGATIVE': 'The amount ({field}) cannot be negative.',
    'errors.AMOUNT_ZERO': 'The amount ({field}) must be greater than zero.',
    'errors.AMOUNT_TOO_LARGE': 'The amount ({field}) is too large.',
    'errors.DATE_INVALID': 'The date ({field}) is not valid: use YYYY-MM-DD.',
    'errors.DATES_OUT_OF_ORDER': 'Dates out of order: {from} cannot be after {to}.',
    'errors.DOCUMENT_NOT_BASE64': 'The file is not base64-encoded.',
    'errors.DOCUMENT_EMPTY': 'The file is empty.',
    'errors.DOCUMENT_TOO_LARGE': 'The file exceeds {maxMb} MB.',
    'errors.DOCUMENT_TYPE_UNSUPPORTED': 'Unsupported file type: PDF, JPEG or PNG only.',
    'errors.DOCUMENT_TYPE_MISMATCH':
      'The file is not of the declared type ({declared}); its content is {detected}.',
    'errors.DOCUMENT_FILE_MISSING': 'The file is no longer in storage.',
    'errors.DOCUMENT_FILE_ALTERED': 'The stored file does not match its SHA-256: it was altered.',
    'errors.ORGANISATION_NOT_FOUND': 'The organisation does not exist.',
    'errors.GRANT_PLAN_NOT_FOUND': 'The work plan does not exist.',
    'errors.GRANT_AGREEMENT_NOT_FOUND': 'The agreement does not exist.',
    'errors.GRANT_AGREEMENT_PLAN_NOT_APPROVED':
      'An agreement is signed only for an approved plan (current status: {status}).',
    'errors.GRANT_AGREEMENT_ABOVE_APPROVED':
      'The agreement amount ({amount}) exceeds the plan’s approved amount ({approved}).',
    'errors.GRANT_AGREEMENT_TRANCHES_MISMATCH':
      'The tranches ({tranches}) must add up to the agreement amount ({amount}).',
    'errors.GRANT_AGREEMENT_FIRST_TRANCHE_CONDITION':
      'The first tranche is paid on signature: it cannot require justified spending or a visit.',
    'errors.GRANT_AGREEMENT_ADMINISTRATOR_INVALID': 'The agreement administrator must be an active user.',
    'errors.GRANT_AGREEMENT_ADMINISTRATOR_LINKED':
      'The agreement administrator cannot be linked to the organisation.',
    'errors.GRANT_AGREEMENT_NUMBER_TAKEN': 'An agreement numbered {number} already exists.',
    'errors.GRANT_AGREEMENT_NOT_IN_EXECUTION': 'The agreement is not in execution (plan status: {status}).',
    'errors.GRANT_CLOSE_NOT_LIQUIDATED':
      'Only an agreement with an approved liquidation can be closed (plan status: {status}).',
    'errors.GRANT_CLOSING_ACT_NOT_READY': 'The agreement has no closing act yet.',
    'errors.GRANT_TRANCHE_NOT_FOUND': 'The agreement has no tranche {number}.',
    'errors.GRANT_DISBURSEMENT_NOT_FOUND': 'The disbursement does not exist.',
    'errors.GRANT_DISBURSEMENT_ALREADY_REQUESTED':
      'Tranche {number} already has a disbursement in progress ({status}).',
    'errors.GRANT_DISBURSEMENT_REQUEST_NOT_ALLOWED':
      'Only the organisation itself or finance can request a disbursement.',
    'errors.GRANT_DISBURSEMENT_CONDITIONS_UNMET': 'The tranche conditions are not met: {conditions}',
    'errors.GRANT_DISBURSEMENT_WRONG_STATUS':
      'The disbursement is not in the status this action needs (status: {status}).',
    'errors.GRANT_DISBURSEMENT_SEGREGATION':
      'Segregation of duties: the payer cannot be the person who {other} the disbursement.',
    'errors.GRANT_PAYMENT_REFERENCE_REQUIRED':
      'Give the payment or deposit reference (at least 3 characters).',
    'errors.GRANT_PAYMENT_REFERENCE_TAKEN': 'Reference {reference} was already recorded.',
    'errors.GRANT_LIQUIDATION_OVERDUE_BLOCKS_FUNDS':
      'The organisation has funds pending liquidation past the deadline ({plans}): no new funds or approvals until it liquidates.',
    'errors.GRANT_EXPENSE_REPORT_NOT_FOUND': 'The expense report does not exist.',
    'errors.GRANT_EXPENSE_REPORT_NOT_OPEN': 'The expense report was already submitted.',
    'errors.GRANT_EXPENSE_REPORT_EMPTY': 'The expense report has no receipts.',
    'errors.GRANT_EXPENSE_REPORT_NOT_SUBMITTED': 'The expense report has not been submitted yet.',
    'errors.GRANT_RECEIPT_NOT_FOUND': 'The receipt does not exist.',
    'errors.GRANT_RECEIPT_NIT_INVALID': 'The supplier NIT ({nit}) is not valid.',
    'errors.GRANT_RECEIPT_DUI_INVALID': 'The supplier DUI is not valid.',
    'errors.GRANT_RECEIPT_GENERATION_CODE_INVALID':
      'An electronic document needs its generation code (UUID).',
    'errors.GRANT_RECEIPT_GENERATION_CODE_PAPER': 'A paper document has no generation code.',
    'errors.GRANT_RECEIPT_NUMBER_REQUIRED': 'Give the document number.',
    'errors.GRANT_RECEIPT_BUDGET_LINE_UNKNOWN': 'Budget line {line} is not in the agreement’s plan.',
    'errors.GRANT_RECEIPT_ALREADY_REVIEWED': 'The receipt was already reviewed ({status}).',
    'errors.GRANT_RECEIPT_REVIEWER_CONFLICT':
      'You cannot review this receipt: you uploaded it or are linked to the organisation.',
    'errors.GRANT_RECEIPT_DUPLICATE_NOT_APPROVABLE':
      'The receipt was already used in another report: it cannot be approved.',
    'errors.GRANT_RECEIPT_BUDGET_LINE_EXCEEDED': 'Approving this receipt would exceed budget line {line}.',
    'errors.GRANT_REASON_REQUIRED': 'Give a reason (at least {min} characters).',
    'errors.GRANT_INDICATOR_UNKNOWN': 'Indicator {code} is not in the agreement’s plan.',
    'errors.GRANT_INDICATOR_VALUE_INVALID': 'The indicator value must be a number.',
    'errors.GRANT_INDICATOR_REPORT_NOT_ALLOWED':
      'Only the organisation itself or monitoring can report progress.',
    'errors.GRANT_VISIT_NOT_FOUND': 'The monitoring visit does not exist.',
    'errors.GRANT_VISIT_TEAM_REQUIRED': 'Name at least one member of the visit team.',
    'errors.GRANT_VISIT_IN_FUTURE': 'The visit date cannot be in the future.',
    'errors.GRANT_VISIT_PHOTO_NOT_IMAGE': 'Visit photos must be JPEG or PNG.',
    'errors.GRANT_VISIT_PHOTO_NOT_FOUND': 'The photo does not exist.',
    'errors.GRANT_VISIT_ALREADY_APPROVED': 'The visit report was already approved.',
    'errors.GRANT_VISIT_ALREADY_DECIDED': 'The visit report was already decided ({status}).',
    'errors.GRANT_VISIT_SELF_APPROVAL': 'Whoever recorded the visit cannot approve its report.',
    'errors.GRANT_REFUND_NOT_ALLOWED': 'Only the organisation itself or the treasury can record a refund.',
    'errors.GRANT_REFUND_ABOVE_BALANCE':
      'The refund ({amount}) exceeds the balance still to justify ({balance}).',
    'errors.GRANT_LIQUIDATION_NOT_FOUND': 'The liquidation does not exist.',
    'errors.GRANT_LIQUIDATION_SUBMIT_NOT_ALLOWED':
      'Only the organisation itself or liquidation staff can submit the liquidation.',
    'errors.GRANT_LIQUIDATION_REPORT_REQUIRED': 'The final report must have at least 10 characters.',
    'errors.GRANT_LIQUIDATION_WRONG_STATUS':
      'The liquidation cannot be done in the current status ({status}).',
    'errors.GRANT_LIQUIDATION_DISBURSEMENT_PENDING':
      'A disbursement is in progress: settle it before liquidating.',
    'errors.GRANT_LIQUIDATION_RECEIPTS_PENDING': '{count} receipts are not reviewed or are observed.',
    'errors.GRANT_LIQUIDATION_UNBALANCED':
      'The liquidation does not balance: disbursed {disbursed}, justified {justified}, refunded {refunded}; balance {balance}.',
    'notifications.grant_liquidation_overdue.subject': 'Liquidation overdue: {plan}',
    'notifications.grant_liquidation_overdue.text':
      'The organisation {organisation} did not liquidate the funds of plan {plan}; the deadline was {due}. It cannot receive new disbursements or approvals until it liquidates.',
  },
});
