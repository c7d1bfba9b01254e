import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.AMOUNT_NOT_A_NUMBER': 'El monto de «{field}» debe ser un número entero de centavos.',
    'errors.AMOUNT_FRACTIONAL_CENTS':
      'El monto de «{field}» tiene fracciones de centavo: indíquelo en centavos enteros (p. ej. 1050 = US$10.50).',
    'errors.AMOUNT_NEGATIVE': 'El monto de «{field}» no puede ser negativo.',
    'errors.AMOUNT_ZERO': 'El monto de «{field}» debe ser mayor que cero.',
    'errors.AMOUNT_TOO_LARGE': 'El monto de «{field}» excede el máximo admitido (2^53 − 1 centavos).',
    'errors.AMOUNT_EXCEEDS_ENVELOPE':
      'El monto solicitado ({requested} centavos) excede el disponible de la convocatoria ({remaining} centavos).',
    'errors.AMOUNT_EXCEEDS_PLAN_MAX':
      'El monto solicitado ({requested} centavos) excede el máximo por plan de la convocatoria ({max} centavos).',
    'errors.DATE_INVALID': 'La fecha de «{field}» no es válida (use AAAA-MM-DD).',
    'errors.DATES_OUT_OF_ORDER': 'La fecha «{to}» no puede ser anterior a «{from}».',
    'errors.NIT_INVALID': 'El NIT no es válido (formato 0000-000000-000-0 con dígito verificador correcto).',
    'errors.BANK_ACCOUNT_INVALID': 'La cuenta bancaria debe tener entre 6 y 30 dígitos.',
    'errors.ORGANISATION_NOT_FOUND': 'La organización no existe.',
    'errors.ORGANISATION_NIT_TAKEN': 'Ya hay una organización registrada con el NIT {nit}.',
    'errors.ORGANISATION_REGISTRY_TAKEN': 'Ya hay una organización con el número de registro {number}.',
    'errors.ORGANISATION_STATUS_UNCHANGED': 'La organización ya está en estado «{status}».',
    'errors.ORGANISATION_DISSOLVED': 'La organización está disuelta: su estado ya no cambia.',
    'errors.ORGANISATION_NOT_ACTIVE': 'La organización no está activa (estado «{status}»).',
    'errors.ORGANISATION_PENDING_LIQUIDATION':
      'La organización tiene fondos pendientes de liquidar fuera de plazo: no puede recibir nuevos fondos.',
    'errors.BOARD_MEMBER_DUPLICATE': 'Esa persona ya integra la junta directiva en ese período.',
    'errors.BOARD_MEMBER_NOT_FOUND': 'El miembro de la junta directiva no existe en esta organización.',
    'errors.DOCUMENT_NOT_FOUND': 'El documento no existe en esta organización.',
    'errors.DOCUMENT_NOT_BASE64': 'El contenido del documento no es base64 válido.',
    'errors.DOCUMENT_EMPTY': 'El documento está vacío.',
    'errors.DOCUMENT_TOO_LARGE': 'El documento excede el tamaño máximo de {maxMb} MB.',
    'errors.DOCUMENT_TYPE_UNSUPPORTED': 'Sólo se admiten documentos PDF, JPEG o PNG.',
    'errors.DOCUMENT_TYPE_MISMATCH':
      'El documento se declaró como {declared} pero su contenido es {detected}.',
    'errors.DOCUMENT_FILE_MISSING': 'El archivo del documento ya no está en el almacenamiento.',
    'errors.DOCUMENT_FILE_ALTERED':
      'El archivo del documento no coincide con su SHA-256 registrado: fue alterado.',
    'errors.DECLARATION_DESCRIPTION_REQUIRED': 'Describa el conflicto de interés declarado.',
    'errors.NGO_USER_ROLE_REQUIRED': 'Sólo se vinculan usuarios con el rol «Personal de ONG».',
    'errors.NGO_USER_HAS_MINISTRY_ROLE':
      'El usuario tiene roles del ministerio: un usuario del portal de ONG sólo puede tener el rol «Personal de ONG».',
    'errors.NGO_USER_ALREADY_LINKED': 'El usuario ya está vinculado a una organización.',
    'errors.NGO_USER_NOT_LINKED': 'El usuario no está vinculado a ninguna organización.',
    'errors.CALL_NOT_FOUND': 'La convocatoria no existe.',
    'errors.CALL_NOT_EDITABLE': 'Sólo se corrige una convocatoria en borrador (estado «{status}»).',
    'errors.CALL_ILLEGAL_TRANSITION': 'No se puede {action} una convocatoria en estado «{status}».',
    'errors.CALL_CLOSES_IN_PAST':
      'La convocatoria cierra el {closesOn}, fecha ya pasada: corríjala antes de publicar.',
    'errors.CALL_ELIGIBILITY_DUPLICATE': 'El criterio de elegibilidad «{code}» está repetido.',
    'errors.CALL_HAS_PLANS': 'La convocatoria tiene planes presentados: no se puede anular.',
    'errors.CALL_NOT_OPEN':
      'La convocatoria no está abierta (estado «{status}», del {opensOn} al {closesOn}).',
    'errors.PLAN_NOT_FOUND': 'El plan no existe.',
    'errors.PLAN_VERSION_NOT_FOUND': 'El plan no tiene la versión {version}.',
    'errors.PLAN_ORGANISATION_REQUIRED': 'Indique la organización para registrar el plan.',
    'errors.PLAN_NOT_EDITABLE':
      'El plan está en estado «{status}»: sólo se edita un borrador o un plan devuelto.',
    'errors.PLAN_NOT_SUBMITTABLE':
      'El plan está en estado «{status}»: sólo se presenta un borrador o un plan devuelto.',
    'errors.PLAN_RESUBMIT_WITHOUT_CHANGES':
      'La versión {version} ya fue presentada: guarde las correcciones (nueva versión) antes de volver a presentar.',
    'errors.PLAN_INCOMPLETE': 'El plan está incompleto; falta: {missing}.',
    'errors.PLAN_CODE_DUPLICATE': 'El código «{code}» está repetido en {section}.',
    'errors.PLAN_BUDGET_LINE_DUPLICATE': 'La línea presupuestaria «{lineCode}» está repetida.',
    'errors.PLAN_NOT_WITHDRAWABLE':
      'El plan está en estado «{status}»: sólo se retira un borrador o un plan devuelto.',
    'errors.PLAN_DIFF_SAME_VERSION': 'Elija dos versiones distintas para comparar (ambas son la {version}).',
    'grants.legalRepresentative': 'Representante legal',
    'grants.redFlag.REGISTRY_EXPIRED':
      'La inscripción en el registro de asociaciones y fundaciones venció el {validUntil}.',
    'grants.redFlag.REGISTRY_EXPIRING':
      'La inscripción en el registro vence el {validUntil} (en menos de 30 días).',
    'grants.redFlag.LEGAL_REP_CREDENTIAL_EXPIRED':
      'La credencial del representante legal ({name}) venció el {validUntil}.',
    'grants.redFlag.LEGAL_REP_CREDENTIAL_EXPIRING':
      'La credencial del representante legal ({name}) vence el {validUntil} (en menos de 30 días).',
    'grants.redFlag.BOARD_EXPIRED': 'El período de la junta directiva venció el {validUntil}.',
    'grants.redFlag.BOARD_EXPIRING':
      'El período de la junta directiva vence el {validUntil} (en menos de 30 días).',
    'grants.redFlag.DOCUMENT_EXPIRED': 'El documento «{kind}» ({fileName}) venció el {validUntil}.',
    'grants.redFlag.DOCUMENT_EXPIRING':
      'El documento «{kind}» ({fileName}) vence el {validUntil} (en menos de 30 días).',
    'grants.redFlag.PENDING_LIQUIDATION':
      'El plan {plan} tiene fondos sin liquidar y su plazo de liquidación venció el {dueAt}: la organización no puede recibir nuevos fondos.',
    'grants.redFlag.BOARD_MEMBER_ON_OTHER_FUNDED_NGO':
      '{name} ({role}, DUI {dui}) también integra la junta directiva o representa a «{otherOrganisation}», que recibe fondos públicos.',
    'grants.redFlag.BOARD_MEMBER_IS_MINISTRY_EMPLOYEE':
      '{name} ({role}, DUI {dui}) es empleado del ministerio: usuario «{employee}» del directorio.',
    'grants.redFlag.BANK_ACCOUNT_SHARED':
      'La cuenta bancaria {bankAccount} también está registrada para «{otherOrganisation}».',
    'grants.redFlag.RAEX_PENDING':
      'El estado en el Registro de Agentes Extranjeros (RAEX) está pendiente de resolver.',
    'grants.redFlag.CONFLICT_DECLARED':
      '{name} declaró un conflicto de interés el {declaredOn} (persona relacionada: {relatedPerson}, cargo: {relatedPosition}).',
    'grants.documentKind.legal_personality': 'Personalidad jurídica',
    'grants.documentKind.statutes': 'Estatutos',
    'grants.documentKind.board_credential': 'Credencial de la junta directiva',
    'grants.documentKind.legal_rep_credential': 'Credencial del representante legal',
    'grants.documentKind.registry_certificate': 'Constancia del registro',
    'grants.documentKind.financial_statements': 'Estados financieros',
    'grants.documentKind.tax_solvency': 'Solvencia tributaria',
    'grants.documentKind.social_security_solvency': 'Solvencia de seguridad social',
    'grants.documentKind.bank_certificate': 'Constancia bancaria',
    'grants.documentKind.raex_certificate': 'Constancia RAEX',
    'grants.documentKind.conflict_declaration': 'Declaración de conflicto de interés',
    'grants.documentKind.plan_annex': 'Anexo del plan',
    'grants.documentKind.other': 'Otro',
  },
  en: {
    'errors.AMOUNT_NOT_A_NUMBER': 'The amount of “{field}” must be a whole number of cents.',
    'errors.AMOUNT_FRACTIONAL_CENTS':
      'The amount of “{field}” has fractions of a cent: give it in whole cents (e.g. 1050 = US$10.50).',
    'errors.AMOUNT_NEGATIVE': 'The amount of “{field}” cannot be negative.',
    'errors.AMOUNT_ZERO': 'The amount of “{field}” must be greater than zero.',
    'errors.AMOUNT_TOO_LARGE': 'The amount of “{field}” exceeds the maximum accepted (2^53 − 1 cents).',
    'errors.AMOUNT_EXCEEDS_ENVELOPE':
      'The requested amount ({requested} cents) exceeds what remains of the call ({remaining} cents).',
    'errors.AMOUNT_EXCEEDS_PLAN_MAX':
      'The requested amount ({requested} cents) exceeds the call’s maximum per plan ({max} cents).',
    'errors.DATE_INVALID': 'The date of “{field}” is not valid (use YYYY-MM-DD).',
    'errors.DATES_OUT_OF_ORDER': 'The date “{to}” cannot be earlier than “{from}”.',
    'errors.NIT_INVALID': 'The NIT is not valid (format 0000-000000-000-0 with a correct check digit).',
    'errors.BANK_ACCOUNT_INVALID': 'The bank account must have 6 to 30 digits.',
    'errors.ORGANISATION_NOT_FOUND': 'The organisation does not exist.',
    'errors.ORGANISATION_NIT_TAKEN': 'An organisation with NIT {nit} is already registered.',
    'errors.ORGANISATION_REGISTRY_TAKEN': 'An organisation with registry number {number} already exists.',
    'errors.ORGANISATION_STATUS_UNCHANGED': 'The organisation is already “{status}”.',
    'errors.ORGANISATION_DISSOLVED': 'The organisation is dissolved: its status no longer changes.',
    'errors.ORGANISATION_NOT_ACTIVE': 'The organisation is not active (status “{status}”).',
    'errors.ORGANISATION_PENDING_LIQUIDATION':
      'The organisation has funds pending liquidation past the deadline: it cannot receive new funds.',
    'errors.BOARD_MEMBER_DUPLICATE': 'That person already sits on the board in that period.',
    'errors.BOARD_MEMBER_NOT_FOUND': 'The board member does not exist in this organisation.',
    'errors.DOCUMENT_NOT_FOUND': 'The document does not exist in this organisation.',
    'errors.DOCUMENT_NOT_BASE64': 'The document content is not valid base64.',
    'errors.DOCUMENT_EMPTY': 'The document is empty.',
    'errors.DOCUMENT_TOO_LARGE': 'The document exceeds the maximum size of {maxMb} MB.',
    'errors.DOCUMENT_TYPE_UNSUPPORTED': 'Only PDF, JPEG or PNG documents are accepted.',
    'errors.DOCUMENT_TYPE_MISMATCH': 'The document was declared as {declared} but its content is {detected}.',
    'errors.DOCUMENT_FILE_MISSING': 'The document’s file is no longer in storage.',
    'errors.DOCUMENT_FILE_ALTERED':
      'The document’s file does not match its recorded SHA-256: it was altered.',
    'errors.DECLARATION_DESCRIPTION_REQUIRED': 'Describe the declared conflict of interest.',
    'errors.NGO_USER_ROLE_REQUIRED': 'Only users with the “NGO staff” role can be linked.',
    'errors.NGO_USER_HAS_MINISTRY_ROLE':
      'The user holds ministry roles: an NGO portal user may only hold the “NGO staff” role.',
    'errors.NGO_USER_ALREADY_LINKED': 'The user is already linked to an organisation.',
    'errors.NGO_USER_NOT_LINKED': 'The user is not linked to any organisation.',
    'errors.CALL_NOT_FOUND': 'The call for proposals does not exist.',
    'errors.CALL_NOT_EDITABLE': 'Only a draft call can be corrected (status “{status}”).',
    'errors.CALL_ILLEGAL_TRANSITION': 'Cannot {action} a call in status “{status}”.',
    'errors.CALL_CLOSES_IN_PAST':
      'The call closes on {closesOn}, already past: correct it before publishing.',
    'errors.CALL_ELIGIBILITY_DUPLICATE': 'Eligibility criterion “{code}” is repeated.',
    'errors.CALL_HAS_PLANS': 'The call has submitted plans: it cannot be cancelled.',
    'errors.CALL_NOT_OPEN': 'The call is not open (status “{status}”, from {opensOn} to {closesOn}).',
    'errors.PLAN_NOT_FOUND': 'The plan does not exist.',
    'errors.PLAN_VERSION_NOT_FOUND': 'The plan has no version {version}.',
    'errors.PLAN_ORGANISATION_REQUIRED': 'Give the organisation to register the plan for.',
    'errors.PLAN_NOT_EDITABLE': 'The plan is “{status}”: only a draft or a returned plan can be edited.',
    'errors.PLAN_NOT_SUBMITTABLE':
      'The plan is “{status}”: only a draft or a returned plan can be submitted.',
    'errors.PLAN_RESUBMIT_WITHOUT_CHANGES':
      'Version {version} was already submitted: save the corrections (a new version) before submitting again.',
    'errors.PLAN_INCOMPLETE': 'The plan is incomplete; missing: {missing}.',
    'errors.PLAN_CODE_DUPLICATE': 'Code “{code}” is repeated in {section}.',
    'errors.PLAN_BUDGET_LINE_DUPLICATE': 'Budget line “{lineCode}” is repeated.',
    'errors.PLAN_NOT_WITHDRAWABLE':
      'The plan is “{status}”: only a draft or a returned plan can be withdrawn.',
    'errors.PLAN_DIFF_SAME_VERSION': 'Choose two different versions to compare (both are {version}).',
    'grants.legalRepresentative': 'Legal representative',
    'grants.redFlag.REGISTRY_EXPIRED':
      'The registration in the registry of associations and foundations expired on {validUntil}.',
    'grants.redFlag.REGISTRY_EXPIRING': 'The registration expires on {validUntil} (in less than 30 days).',
    'grants.redFlag.LEGAL_REP_CREDENTIAL_EXPIRED':
      'The legal representative’s credential ({name}) expired on {validUntil}.',
    'grants.redFlag.LEGAL_REP_CREDENTIAL_EXPIRING':
      'The legal representative’s credential ({name}) expires on {validUntil} (in less than 30 days).',
    'grants.redFlag.BOARD_EXPIRED': 'The board’s term expired on {validUntil}.',
    'grants.redFlag.BOARD_EXPIRING': 'The board’s term expires on {validUntil} (in less than 30 days).',
    'grants.redFlag.DOCUMENT_EXPIRED': 'Document “{kind}” ({fileName}) expired on {validUntil}.',
    'grants.redFlag.DOCUMENT_EXPIRING':
      'Document “{kind}” ({fileName}) expires on {validUntil} (in less than 30 days).',
    'grants.redFlag.PENDING_LIQUIDATION':
      'Plan {plan} has funds not liquidated and its liquidation deadline passed on {dueAt}: the organisation cannot receive new funds.',
    'grants.redFlag.BOARD_MEMBER_ON_OTHER_FUNDED_NGO':
      '{name} ({role}, DUI {dui}) also sits on the board of, or represents, “{otherOrganisation}”, which receives public funds.',
    'grants.redFlag.BOARD_MEMBER_IS_MINISTRY_EMPLOYEE':
      '{name} ({role}, DUI {dui}) is a ministry employee: user “{employee}” of the directory.',
    'grants.redFlag.BANK_ACCOUNT_SHARED':
      'Bank account {bankAccount} is also registered for “{otherOrganisation}”.',
    'grants.redFlag.RAEX_PENDING': 'The status in the foreign agents registry (RAEX) is unresolved.',
    'grants.redFlag.CONFLICT_DECLARED':
      '{name} declared a conflict of interest on {declaredOn} (related person: {relatedPerson}, position: {relatedPosition}).',
    'grants.documentKind.legal_personality': 'Legal personality',
    'grants.documentKind.statutes': 'Statutes',
    'grants.documentKind.board_credential': 'Board credential',
    'grants.documentKind.legal_rep_credential': 'Legal representative’s credential',
    'grants.documentKind.registry_certificate': 'Registry certificate',
    'grants.documentKind.financial_statements': 'Financial statements',
    'grants.documentKind.tax_solvency': 'Tax solvency',
    'grants.documentKind.social_security_solvency': 'Social security solvency',
    'grants.documentKind.bank_certificate': 'Bank certificate',
    'grants.documentKind.raex_certificate': 'RAEX certificate',
    'grants.documentKind.conflict_declaration': 'Conflict-of-interest declaration',
    'grants.documentKind.plan_annex': 'Plan annex',
    'grants.documentKind.other': 'Other',
  },
});
