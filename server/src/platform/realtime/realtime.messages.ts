import { registerMessages } from '../i18n/catalog.js';

registerMessages({
  es: {
    'errors.WS_AUTH_REQUIRED':
      'Debe autenticarse primero: envíe {"type":"auth","accessToken":"..."} como primer mensaje.',
    'errors.WS_AUTH_TIMEOUT': 'No se recibió la autenticación a tiempo; la conexión se cerró.',
    'errors.WS_MESSAGE_INVALID':
      'Mensaje no válido. Se esperaba JSON con type "auth", "subscribe", "unsubscribe" o "ping".',
    'errors.WS_SESSION_ENDED':
      'Su sesión terminó (token expirado, sesión revocada o usuario desactivado). Vuelva a conectarse.',
    'errors.WS_PRINCIPAL_CHANGED': 'El token pertenece a otro usuario; la conexión se cerró.',
    'errors.WS_SLOW_CONSUMER': 'La conexión se cerró porque no recibía los eventos a tiempo.',
    'errors.WS_UPGRADE_REQUIRED': 'Esta ruta solo acepta conexiones WebSocket.',
  },
  en: {
    'errors.WS_AUTH_REQUIRED':
      'Authenticate first: send {"type":"auth","accessToken":"..."} as the first message.',
    'errors.WS_AUTH_TIMEOUT': 'Authentication was not received in time; the connection was closed.',
    'errors.WS_MESSAGE_INVALID':
      'Invalid message. Expected JSON with type "auth", "subscribe", "unsubscribe" or "ping".',
    'errors.WS_SESSION_ENDED':
      'Your session ended (expired token, revoked session or deactivated user). Please reconnect.',
    'errors.WS_PRINCIPAL_CHANGED': 'The token belongs to another user; the connection was closed.',
    'errors.WS_SLOW_CONSUMER': 'The connection was closed because it was not receiving events in time.',
    'errors.WS_UPGRADE_REQUIRED': 'This route only accepts WebSocket connections.',
  },
});
