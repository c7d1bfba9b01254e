import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.OPEN311_API_KEY_INVALID':
      'api_key inválida o sin permiso open311.request.create: no se puede crear la solicitud.',
    'errors.OPEN311_PARAMETER_REQUIRED': 'Falta el parámetro obligatorio {name}.',
    'errors.OPEN311_SERVICE_NOT_FOUND': 'service_code no encontrado: {code}.',
    'errors.OPEN311_LAT_LONG_TOGETHER': 'lat y long deben enviarse juntos.',
    'errors.OPEN311_INVALID_COORDINATE': 'El valor de {name} no es una coordenada WGS84 válida.',
    'errors.OPEN311_LOCATION_REQUIRED': 'Indique la ubicación: lat y long, address_string o address_id.',
    'errors.OPEN311_DESCRIPTION_TOO_LONG': 'description supera los {max} caracteres.',
    'errors.OPEN311_INVALID_EMAIL': 'email no es una dirección de correo válida.',
    'errors.OPEN311_INVALID_MEDIA_URL': 'media_url debe ser una URL http(s) válida.',
    'errors.OPEN311_ATTRIBUTE_VALUE_INVALID':
      'attribute[{code}]: el valor «{value}» no está entre las claves permitidas (yes, no).',
    'errors.OPEN311_ATTRIBUTE_NOT_A_LIST': 'attribute[{code}] admite un solo valor.',
    'errors.OPEN311_OUT_OF_SCOPE': 'La ubicación está fuera del ámbito territorial de esta api_key.',
    'errors.OPEN311_INVALID_DATE': '{name} no es una fecha W3C válida (p. ej. 2026-01-01T00:00:00-06:00).',
    'errors.OPEN311_DATE_RANGE_TOO_LONG': 'El rango entre start_date y end_date no puede superar {max} días.',
    'errors.OPEN311_DATE_RANGE_INVERTED': 'end_date es anterior a start_date.',
    'errors.OPEN311_INVALID_STATUS': 'status debe ser open, closed o ambos separados por coma.',
    'errors.OPEN311_INVALID_NUMBER': '{name} debe ser un entero positivo.',
    'errors.OPEN311_REQUEST_NOT_FOUND': 'service_request_id no encontrado: {id}.',
    'errors.OPEN311_TOKEN_NOT_FOUND':
      'Token no encontrado: este servidor es de tipo realtime y devuelve service_request_id directamente.',
    'open311.yes': 'Sí',
    'open311.no': 'No',
    'open311.agency': 'Policía Nacional Civil — Sistema de Emergencias 911',
    'open311.service_notice':
      'Su reporte fue recibido por el Sistema 911. Si hay una vida en riesgo, llame al 911.',
    'open311.no_description': 'Reporte Open311 sin descripción: {service}.',
    'open311.address_id': 'Referencia de dirección del cliente Open311: {id}',
    'open311.discovery.contact':
      'Ministerio de Justicia y Seguridad Pública, Sistema de Emergencias 911 de El Salvador.',
    'open311.discovery.key_service':
      'Solicite una clave de API (permiso open311.request.create) a la administración de Centinela.',
  },
  en: {
    'errors.OPEN311_API_KEY_INVALID':
      "Invalid api_key received, or it lacks open311.request.create -- can't proceed with create_request.",
    'errors.OPEN311_PARAMETER_REQUIRED': 'Missing required parameter {name}.',
    'errors.OPEN311_SERVICE_NOT_FOUND': 'service_code not found: {code}.',
    'errors.OPEN311_LAT_LONG_TOGETHER': 'lat and long must be sent together.',
    'errors.OPEN311_INVALID_COORDINATE': 'The {name} value is not a valid WGS84 coordinate.',
    'errors.OPEN311_LOCATION_REQUIRED': 'Give the location: lat and long, address_string or address_id.',
    'errors.OPEN311_DESCRIPTION_TOO_LONG': 'description exceeds {max} characters.',
    'errors.OPEN311_INVALID_EMAIL': 'email is not a valid address.',
    'errors.OPEN311_INVALID_MEDIA_URL': 'media_url must be a valid http(s) URL.',
    'errors.OPEN311_ATTRIBUTE_VALUE_INVALID':
      'attribute[{code}]: value "{value}" is not an allowed key (yes, no).',
    'errors.OPEN311_ATTRIBUTE_NOT_A_LIST': 'attribute[{code}] takes a single value.',
    'errors.OPEN311_OUT_OF_SCOPE': "The location is outside this api_key's territorial scope.",
    'errors.OPEN311_INVALID_DATE': '{name} is not a valid W3C datetime (e.g. 2026-01-01T00:00:00-06:00).',
    'errors.OPEN311_DATE_RANGE_TOO_LONG':
      'The range between start_date and end_date cannot exceed {max} days.',
    'errors.OPEN311_DATE_RANGE_INVERTED': 'end_date is before start_date.',
    'errors.OPEN311_INVALID_STATUS': 'status must be open, closed or both, comma-separated.',
    'errors.OPEN311_INVALID_NUMBER': '{name} must be a positive integer.',
    'errors.OPEN311_REQUEST_NOT_FOUND': 'service_request_id not found: {id}.',
    'errors.OPEN311_TOKEN_NOT_FOUND':
      'Token not found: this is a realtime server that returns service_request_id directly.',
    'open311.yes': 'Yes',
    'open311.no': 'No',
    'open311.agency': 'National Civil Police — 911 Emergency System',
    'open311.service_notice': 'Your report was received by the 911 system. If a life is at risk, call 911.',
    'open311.no_description': 'Open311 report without description: {service}.',
    'open311.address_id': 'Address reference from the Open311 client: {id}',
    'open311.discovery.contact':
      'Ministry of Justice and Public Security, 911 Emergency System of El Salvador.',
    'open311.discovery.key_service':
      'Ask the Centinela administration for an API key (permission open311.request.create).',
  },
});
