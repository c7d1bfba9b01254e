import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.CITIZEN_TYPE_NOT_ALLOWED':
      'El tipo «{code}» no se puede reportar por este medio. Elija uno de la lista o llame al 911.',
    'errors.ANONYMOUS_WITH_CONTACT':
      'Una denuncia anónima no puede incluir datos de contacto: quítelos o desmarque «anónima».',
    'errors.INVALID_PHONE':
      'El teléfono no es un número de El Salvador válido (+503 y 8 dígitos que empiezan con 2, 6 o 7).',
    'errors.SPAM_DETECTED': 'El envío fue rechazado por parecer automático.',
    'errors.TEXT_TOO_SHORT': 'El texto de «{field}» es muy corto: escriba al menos {min} caracteres.',
    'errors.TOO_MANY_LINKS': 'El texto tiene demasiados enlaces (máximo {max}).',
    'errors.PHONE_RATE_LIMITED':
      'Se recibieron demasiados reportes desde este teléfono en la última hora (máximo {max}). Si es una emergencia, llame al 911.',
    'errors.REPORT_REPEATED':
      'Ya recibimos un reporte con el mismo texto hace menos de {minutes} minutos; no es necesario enviarlo de nuevo.',
    'errors.TOO_MANY_PHOTOS': 'Puede adjuntar como máximo {max} fotos.',
    'errors.PHOTO_EMPTY': 'La foto {index} está vacía.',
    'errors.PHOTO_MALFORMED': 'La foto {index} está dañada o incompleta: no se puede leer su estructura.',
    'errors.PHOTO_NOT_BASE64': 'La foto {index} no está codificada en base64 válido.',
    'errors.PHOTO_TOO_LARGE': 'La foto {index} supera el tamaño máximo de {maxMb} MB.',
    'errors.PHOTO_TYPE_UNSUPPORTED': 'La foto {index} no es una imagen JPEG, PNG o WebP.',
    'errors.PHOTO_TYPE_MISMATCH':
      'La foto {index} se declaró como {declared} pero su contenido es {detected}.',
    'errors.TRACKING_NOT_FOUND': 'No encontramos un reporte con ese código y esa clave.',
    'errors.TRACKING_SECRET_REQUIRED':
      'Indique la clave de seguimiento (cabecera X-Tracking-Secret o campo «secret»).',
    'errors.TRACKING_SECRET_IN_URL':
      'No envíe la clave de seguimiento en la URL; use la cabecera X-Tracking-Secret.',
    'errors.TRACKING_LOCKED':
      'Demasiados intentos fallidos con este código. Intente de nuevo en {minutes} minutos.',
    'errors.TRACKING_CASE_CLOSED': 'El caso ya no está abierto; no se puede agregar información.',
    'errors.SURVEY_NOT_AVAILABLE': 'La encuesta se habilita cuando el caso se cierra.',
    'errors.SURVEY_ALREADY_SUBMITTED': 'Ya se registró su evaluación de este caso.',
    'errors.MESSAGE_EMPTY': 'El mensaje no tiene texto, ubicación ni adjuntos.',
    'errors.MESSAGE_TIME_IN_FUTURE': 'La hora de recepción del mensaje está en el futuro.',
    'errors.MEDIA_SOURCE_REQUIRED': 'Cada adjunto necesita «url» o «base64» (solo uno).',
    'citizen.report_types.notice':
      'Si hay una vida en riesgo o el hecho está ocurriendo ahora, llame al 911.',
    'citizen.history.information': 'Usted agregó información al reporte.',
    'citizen.history.message': 'Recibimos un nuevo mensaje suyo sobre este reporte.',
    'citizen.history.survey': 'Usted evaluó la atención recibida.',
    'citizen.anonymous_actor': 'Ciudadano (seguimiento)',
    'citizen.messaging.no_text': '(Mensaje sin texto; vea los adjuntos o la ubicación.)',
    'citizen.messaging.no_location': 'Ubicación no indicada (mensaje de texto)',
    'citizen.messaging.media_unavailable': '[Adjunto no disponible: {url}]',
    'notifications.citizen.report_received.text':
      'Centinela 911: recibimos su reporte. Código {trackingCode}, clave {trackingSecret}. Guárdelos para consultar el avance. Si es una emergencia, llame al 911.',
    'notifications.citizen.report_received.subject': 'Recibimos su reporte {trackingCode}',
    'notifications.citizen.status_changed.text':
      'Centinela 911: su reporte {trackingCode} tiene novedades: {statusText}',
    'notifications.citizen.status_changed.subject': 'Novedades de su reporte {trackingCode}',
  },
  en: {
    'errors.CITIZEN_TYPE_NOT_ALLOWED':
      'Type "{code}" cannot be reported this way. Choose one from the list or call 911.',
    'errors.ANONYMOUS_WITH_CONTACT':
      'An anonymous report cannot include contact details: remove them or untick "anonymous".',
    'errors.INVALID_PHONE':
      'The phone is not a valid El Salvador number (+503 and 8 digits starting with 2, 6 or 7).',
    'errors.SPAM_DETECTED': 'The submission was refused because it looks automated.',
    'errors.TEXT_TOO_SHORT': 'The "{field}" text is too short: write at least {min} characters.',
    'errors.TOO_MANY_LINKS': 'The text has too many links (at most {max}).',
    'errors.PHONE_RATE_LIMITED':
      'Too many reports from this phone in the last hour (at most {max}). In an emergency, call 911.',
    'errors.REPORT_REPEATED':
      'We already received a report with the same text less than {minutes} minutes ago; no need to send it again.',
    'errors.TOO_MANY_PHOTOS': 'You can attach at most {max} photos.',
    'errors.PHOTO_EMPTY': 'Photo {index} is empty.',
    'errors.PHOTO_MALFORMED': 'Photo {index} is damaged or incomplete: its structure cannot be read.',
    'errors.PHOTO_NOT_BASE64': 'Photo {index} is not valid base64.',
    'errors.PHOTO_TOO_LARGE': 'Photo {index} exceeds the {maxMb} MB limit.',
    'errors.PHOTO_TYPE_UNSUPPORTED': 'Photo {index} is not a JPEG, PNG or WebP image.',
    'errors.PHOTO_TYPE_MISMATCH': 'Photo {index} was declared as {declared} but its content is {detected}.',
    'errors.TRACKING_NOT_FOUND': 'We found no report with that code and secret.',
    'errors.TRACKING_SECRET_REQUIRED':
      'Give the tracking secret (X-Tracking-Secret header or "secret" field).',
    'errors.TRACKING_SECRET_IN_URL':
      'Do not send the tracking secret in the URL; use the X-Tracking-Secret header.',
    'errors.TRACKING_LOCKED': 'Too many failed attempts with this code. Try again in {minutes} minutes.',
    'errors.TRACKING_CASE_CLOSED': 'The case is no longer open; information cannot be added.',
    'errors.SURVEY_NOT_AVAILABLE': 'The survey opens when the case is closed.',
    'errors.SURVEY_ALREADY_SUBMITTED': 'Your rating of this case was already recorded.',
    'errors.MESSAGE_EMPTY': 'The message has no text, location or attachments.',
    'errors.MESSAGE_TIME_IN_FUTURE': 'The message reception time is in the future.',
    'errors.MEDIA_SOURCE_REQUIRED': 'Each attachment needs "url" or "base64" (only one).',
    'citizen.report_types.notice': 'If a life is at risk or it is happening right now, call 911.',
    'citizen.history.information': 'You added information to the report.',
    'citizen.history.message': 'We received a new message from you about this report.',
    'citizen.history.survey': 'You rated the service.',
    'citizen.anonymous_actor': 'Citizen (follow-up)',
    'citizen.messaging.no_text': '(Message without text; see the attachments or the location.)',
    'citizen.messaging.no_location': 'Location not given (text message)',
    'citizen.messaging.media_unavailable': '[Attachment not available: {url}]',
    'notifications.citizen.report_received.text':
      'Centinela 911: we received your report. Code {trackingCode}, secret {trackingSecret}. Keep them to follow its progress. In an emergency, call 911.',
    'notifications.citizen.report_received.subject': 'We received your report {trackingCode}',
    'notifications.citizen.status_changed.text':
      'Centinela 911: news about your report {trackingCode}: {statusText}',
    'notifications.citizen.status_changed.subject': 'News about your report {trackingCode}',
  },
});
