import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.DEVICE_NOT_FOUND': 'El dispositivo «{code}» no está registrado.',
    'errors.DEVICE_CODE_TAKEN': 'Ya existe un dispositivo con el código «{code}».',
    'errors.DEVICE_INACTIVE': 'El dispositivo «{code}» está desactivado.',
    'errors.DEVICE_LOCATION_REQUIRED':
      'Los botones de pánico y los paneles de alarma necesitan una ubicación fija (lon y lat).',
    'errors.DEVICE_KEY_MISMATCH':
      'Esta clave no pertenece al dispositivo «{code}»: use la clave del dispositivo o una clave nacional.',
    'errors.DEVICE_ALERT_ID_CONFLICT': 'La alerta «{alertId}» ya se recibió con otro tipo ({kind}).',
  },
  en: {
    'errors.DEVICE_NOT_FOUND': 'Device "{code}" is not registered.',
    'errors.DEVICE_CODE_TAKEN': 'A device with code "{code}" already exists.',
    'errors.DEVICE_INACTIVE': 'Device "{code}" is deactivated.',
    'errors.DEVICE_LOCATION_REQUIRED': 'Panic buttons and alarm panels need a fixed location (lon and lat).',
    'errors.DEVICE_KEY_MISMATCH':
      'This key does not belong to device "{code}": use the device\'s own key or a national key.',
    'errors.DEVICE_ALERT_ID_CONFLICT': 'Alert "{alertId}" was already received with another kind ({kind}).',
  },
});
