import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.PLATE_INVALID': 'La placa «{plate}» no es válida (de 2 a 10 letras y números, p. ej. P123-456).',
    'errors.WATCHLIST_PLATE_ACTIVE':
      'La placa ya está activa en la lista de placas buscadas; modifique esa entrada.',
    'errors.WATCHLIST_ENTRY_NOT_FOUND': 'La entrada de la lista de placas buscadas no existe.',
    'errors.WATCHLIST_EXPIRY_IN_PAST': 'La fecha de vencimiento debe estar en el futuro.',
    'errors.ALPR_LOCATION_REQUIRED':
      'Indique la cámara (cameraId) o las coordenadas (lon y lat) de la lectura.',
    'errors.ALPR_READ_ID_CONFLICT': 'La lectura «{readId}» ya se recibió con otra placa.',
    'errors.ALPR_READ_IN_FUTURE': 'La hora de la lectura (readAt) no puede estar en el futuro.',
  },
  en: {
    'errors.PLATE_INVALID': 'Plate "{plate}" is not valid (2 to 10 letters and digits, e.g. P123-456).',
    'errors.WATCHLIST_PLATE_ACTIVE':
      'The plate is already active on the watchlist; change that entry instead.',
    'errors.WATCHLIST_ENTRY_NOT_FOUND': 'The watchlist entry does not exist.',
    'errors.WATCHLIST_EXPIRY_IN_PAST': 'The expiry date must be in the future.',
    'errors.ALPR_LOCATION_REQUIRED':
      'Give the camera (cameraId) or the coordinates (lon and lat) of the read.',
    'errors.ALPR_READ_ID_CONFLICT': 'Read "{readId}" was already received with another plate.',
    'errors.ALPR_READ_IN_FUTURE': 'The read time (readAt) cannot be in the future.',
  },
});
