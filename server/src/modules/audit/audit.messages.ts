import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.AUDIT_NO_TREE_HEAD': 'Todavía no hay ninguna cabeza de árbol firmada del registro de auditoría.',
    'errors.AUDIT_ENTRY_NOT_FOUND': 'No existe la entrada de auditoría {leafIndex}.',
    'errors.AUDIT_ENTRY_NOT_YET_SIGNED':
      'La entrada {leafIndex} aún no está cubierta por una cabeza firmada (la última firmada tiene {treeSize} entradas). Intente después de la próxima firma o indique treeSize.',
    'errors.AUDIT_TREE_SIZE_INVALID':
      'El tamaño de árbol {field}={value} no es válido: debe estar entre {min} y {max} (el registro tiene {currentSize} entradas).',
    'errors.AUDIT_TIME_RANGE_INVALID': 'El inicio del intervalo (from) debe ser anterior a su fin (to).',
  },
  en: {
    'errors.AUDIT_NO_TREE_HEAD': 'There is no signed tree head of the audit log yet.',
    'errors.AUDIT_ENTRY_NOT_FOUND': 'Audit entry {leafIndex} does not exist.',
    'errors.AUDIT_ENTRY_NOT_YET_SIGNED':
      'Entry {leafIndex} is not covered by a signed tree head yet (the latest one has {treeSize} entries). Try again after the next signing or pass treeSize.',
    'errors.AUDIT_TREE_SIZE_INVALID':
      'Tree size {field}={value} is not valid: it must be between {min} and {max} (the log has {currentSize} entries).',
    'errors.AUDIT_TIME_RANGE_INVALID': 'The start of the interval (from) must be before its end (to).',
  },
});
