import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.INCIDENT_TYPE_NOT_FOUND': 'El tipo de incidente «{code}» no existe.',
    'errors.INCIDENT_TYPE_CODE_TAKEN': 'Ya existe un tipo de incidente con el código «{code}».',
    'errors.INCIDENT_TYPE_PARENT_MISMATCH':
      'El padre no corresponde al código: una familia no lleva padre y un subtipo FAMILIA.SUBTIPO lleva como padre «{parent}».',
    'errors.INCIDENT_TYPE_PARENT_NOT_FOUND': 'La familia «{code}» no existe; créela primero.',
    'errors.INCIDENT_TYPE_PARENT_INACTIVE': 'La familia «{code}» está desactivada; reactívela primero.',
    'errors.INCIDENT_TYPE_HAS_ACTIVE_CHILDREN':
      'La familia «{code}» tiene subtipos activos (por ejemplo «{child}»); desactívelos primero.',
    'errors.INCIDENT_TYPE_ALREADY_ACTIVE': 'El tipo «{code}» ya está activo.',
    'errors.INCIDENT_TYPE_ALREADY_INACTIVE': 'El tipo «{code}» ya está desactivado.',
    'errors.QUESTION_CODE_DUPLICATE': 'El código de pregunta «{code}» está repetido.',
  },
  en: {
    'errors.INCIDENT_TYPE_NOT_FOUND': 'Incident type "{code}" does not exist.',
    'errors.INCIDENT_TYPE_CODE_TAKEN': 'An incident type with code "{code}" already exists.',
    'errors.INCIDENT_TYPE_PARENT_MISMATCH':
      'The parent does not match the code: a family has no parent and a FAMILY.SUBTYPE has parent "{parent}".',
    'errors.INCIDENT_TYPE_PARENT_NOT_FOUND': 'Family "{code}" does not exist; create it first.',
    'errors.INCIDENT_TYPE_PARENT_INACTIVE': 'Family "{code}" is deactivated; reactivate it first.',
    'errors.INCIDENT_TYPE_HAS_ACTIVE_CHILDREN':
      'Family "{code}" has active subtypes (e.g. "{child}"); deactivate them first.',
    'errors.INCIDENT_TYPE_ALREADY_ACTIVE': 'Type "{code}" is already active.',
    'errors.INCIDENT_TYPE_ALREADY_INACTIVE': 'Type "{code}" is already deactivated.',
    'errors.QUESTION_CODE_DUPLICATE': 'Question code "{code}" is repeated.',
  },
});
