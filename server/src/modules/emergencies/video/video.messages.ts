import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.CAMERA_NOT_FOUND': 'La cámara no está registrada.',
    'errors.CAMERA_NAME_TAKEN': 'Ya existe una cámara con el nombre «{name}».',
    'errors.LOCATION_OUTSIDE_COUNTRY': 'La ubicación ({lat}, {lon}) está fuera de El Salvador.',
    'errors.RULE_NOT_FOUND': 'La regla de video no existe.',
    'errors.RULE_SCHEDULE_INVALID':
      'El horario de la regla no es válido: indique días (1 = lunes … 7 = domingo) y horas HH:MM distintas.',
    'errors.FRIGATE_PAYLOAD_INVALID':
      'El mensaje de Frigate no se puede usar: falta el objeto «after» con su «id» y su «camera».',
  },
  en: {
    'errors.CAMERA_NOT_FOUND': 'The camera is not registered.',
    'errors.CAMERA_NAME_TAKEN': 'A camera named "{name}" already exists.',
    'errors.LOCATION_OUTSIDE_COUNTRY': 'The location ({lat}, {lon}) is outside El Salvador.',
    'errors.RULE_NOT_FOUND': 'The video rule does not exist.',
    'errors.RULE_SCHEDULE_INVALID':
      'The rule schedule is not valid: give days (1 = Monday … 7 = Sunday) and two different HH:MM times.',
    'errors.FRIGATE_PAYLOAD_INVALID':
      'The Frigate message cannot be used: it lacks the "after" object with its "id" and "camera".',
  },
});
