import { registerMessages } from './catalog.js';

registerMessages({
  es: {
    'errors.VALIDATION_FAILED': 'Los datos enviados no son válidos.',
    'errors.MALFORMED_JSON': 'El cuerpo de la solicitud no es JSON válido.',
    'errors.UNSUPPORTED_MEDIA_TYPE': 'Tipo de contenido no admitido: {contentType}.',
    'errors.PAYLOAD_TOO_LARGE': 'El cuerpo de la solicitud excede el tamaño máximo permitido.',
    'errors.ROUTE_NOT_FOUND': 'No existe la ruta {method} {url}.',
    'errors.NOT_FOUND': 'El recurso solicitado no existe.',
    'errors.UNAUTHENTICATED': 'Debe iniciar sesión para realizar esta acción.',
    'errors.TOKEN_INVALID': 'El token de acceso no es válido o ha expirado.',
    'errors.FORBIDDEN': 'No tiene permiso para realizar esta acción ({permission}).',
    'errors.OUT_OF_SCOPE': 'La acción está fuera de su ámbito territorial o de unidad.',
    'errors.RATE_LIMITED': 'Demasiadas solicitudes. Intente de nuevo en {retryAfter} segundos.',
    'errors.IDEMPOTENCY_KEY_REUSED':
      'La clave de idempotencia ya se usó con un cuerpo distinto. Use una clave nueva para una operación nueva.',
    'errors.IDEMPOTENCY_IN_PROGRESS': 'Una solicitud con la misma clave de idempotencia aún está en proceso.',
    'errors.IDEMPOTENCY_KEY_INVALID':
      'La clave de idempotencia debe tener entre 8 y 200 caracteres visibles.',
    'errors.CONFLICT': 'La operación entra en conflicto con el estado actual del recurso.',
    'errors.INTERNAL':
      'Ocurrió un error interno. El incidente quedó registrado con el identificador {requestId}.',
    'errors.SERVICE_UNAVAILABLE': 'El servicio no está disponible en este momento.',
    'errors.WS_UPGRADE_REQUIRED': 'Esta ruta solo acepta conexiones WebSocket.',
    'validation.field': '{field}: {message}',
  },
  en: {
    'errors.VALIDATION_FAILED': 'The submitted data is not valid.',
    'errors.MALFORMED_JSON': 'The request body is not valid JSON.',
    'errors.UNSUPPORTED_MEDIA_TYPE': 'Unsupported content type: {contentType}.',
    'errors.PAYLOAD_TOO_LARGE': 'The request body exceeds the maximum allowed size.',
    'errors.ROUTE_NOT_FOUND': 'Route {method} {url} does not exist.',
    'errors.NOT_FOUND': 'The requested resource does not exist.',
    'errors.UNAUTHENTICATED': 'You must sign in to perform this action.',
    'errors.TOKEN_INVALID': 'The access token is invalid or has expired.',
    'errors.FORBIDDEN': 'You are not allowed to perform this action ({permission}).',
    'errors.OUT_OF_SCOPE': 'The action is outside your territorial or unit scope.',
    'errors.RATE_LIMITED': 'Too many requests. Try again in {retryAfter} seconds.',
    'errors.IDEMPOTENCY_KEY_REUSED':
      'The idempotency key was already used with a different body. Use a new key for a new operation.',
    'errors.IDEMPOTENCY_IN_PROGRESS': 'A request with the same idempotency key is still in progress.',
    'errors.IDEMPOTENCY_KEY_INVALID': 'The idempotency key must be 8 to 200 visible characters.',
    'errors.CONFLICT': 'The operation conflicts with the current state of the resource.',
    'errors.INTERNAL': 'An internal error occurred. It was logged with identifier {requestId}.',
    'errors.SERVICE_UNAVAILABLE': 'The service is not available right now.',
    'errors.WS_UPGRADE_REQUIRED': 'This route only accepts WebSocket connections.',
    'validation.field': '{field}: {message}',
  },
});
