import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.AVL_NOT_UNIT_CREW':
      'Solo puede enviar posiciones de la unidad en cuya tripulación está asignado actualmente.',
    'errors.AVL_UNIT_REQUIRED':
      'Indique la unidad (unitId) o el dispositivo (deviceId) de cada posición; su clave no está limitada a una unidad.',
    'errors.AVL_UNIT_NOT_FOUND': 'La unidad no existe.',
    'errors.AVL_TRACK_RANGE_INVALID': 'El inicio del intervalo debe ser anterior a su fin.',
    'errors.AVL_TRACK_RANGE_TOO_LONG': 'El intervalo del recorrido no puede superar {hours} horas.',
    'errors.AVL_UNKNOWN_DEVICE': 'El dispositivo no está registrado en ninguna unidad activa.',
    'errors.AVL_UNKNOWN_UNIT': 'La unidad no existe o no está activa.',
    'errors.AVL_INVALID_COORDINATES': 'Las coordenadas están fuera de rango.',
    'errors.AVL_TIMESTAMP_IN_FUTURE':
      'La hora de la posición está en el futuro (reloj del dispositivo adelantado).',
    'errors.AVL_TIMESTAMP_TOO_OLD':
      'La hora de la posición es anterior al año 2000 (reloj del dispositivo erróneo).',
  },
  en: {
    'errors.AVL_NOT_UNIT_CREW': 'You may only send positions for the unit whose crew you are currently on.',
    'errors.AVL_UNIT_REQUIRED':
      'Give the unit (unitId) or the device (deviceId) of every position; your key is not limited to one unit.',
    'errors.AVL_UNIT_NOT_FOUND': 'The unit does not exist.',
    'errors.AVL_TRACK_RANGE_INVALID': 'The start of the range must be before its end.',
    'errors.AVL_TRACK_RANGE_TOO_LONG': 'The track range cannot exceed {hours} hours.',
    'errors.AVL_UNKNOWN_DEVICE': 'The device is not registered to any active unit.',
    'errors.AVL_UNKNOWN_UNIT': 'The unit does not exist or is not active.',
    'errors.AVL_INVALID_COORDINATES': 'The coordinates are out of range.',
    'errors.AVL_TIMESTAMP_IN_FUTURE': 'The position time is in the future (device clock ahead).',
    'errors.AVL_TIMESTAMP_TOO_OLD': 'The position time is before the year 2000 (wrong device clock).',
  },
});
