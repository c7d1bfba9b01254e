import { registerMessages } from '../../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.KPI_DATE_INVALID':
      '«{field}» debe ser una fecha AAAA-MM-DD o una fecha y hora ISO-8601 con zona horaria (recibido: «{value}»).',
    'errors.KPI_RANGE_INVALID': 'El periodo está vacío o invertido: «from» debe ser anterior a «to».',
    'errors.KPI_RANGE_TOO_LONG': 'El periodo no puede superar {max} días.',
    'errors.KPI_GROUP_UNKNOWN': 'No se puede agrupar por «{value}». Valores permitidos: {allowed}.',
    'errors.KPI_GROUP_REPEATED': 'La agrupación «{value}» repite una dimensión.',
    'errors.KPI_GROUP_TOO_MANY': 'Se puede agrupar por {max} dimensiones como máximo.',
    'errors.KPI_GROUP_TWO_PERIODS':
      'La agrupación «{value}» usa dos periodos; elija uno (hour, day, week o month).',
    'errors.KPI_TERRITORY_OUT_OF_SCOPE': 'No tiene acceso a los indicadores de «{territory}».',
    'errors.KPI_TOO_MANY_GROUPS':
      'La agrupación produce más de {max} filas: acorte el periodo, agregue filtros o agrupe por menos dimensiones.',
  },
  en: {
    'errors.KPI_DATE_INVALID':
      '"{field}" must be a YYYY-MM-DD date or an ISO-8601 date-time with a time zone (got "{value}").',
    'errors.KPI_RANGE_INVALID': 'The period is empty or inverted: "from" must be before "to".',
    'errors.KPI_RANGE_TOO_LONG': 'The period cannot exceed {max} days.',
    'errors.KPI_GROUP_UNKNOWN': 'Cannot group by "{value}". Allowed values: {allowed}.',
    'errors.KPI_GROUP_REPEATED': 'Grouping "{value}" repeats a dimension.',
    'errors.KPI_GROUP_TOO_MANY': 'Group by at most {max} dimensions.',
    'errors.KPI_GROUP_TWO_PERIODS':
      'Grouping "{value}" uses two periods; pick one (hour, day, week or month).',
    'errors.KPI_TERRITORY_OUT_OF_SCOPE': 'You have no access to the indicators of "{territory}".',
    'errors.KPI_TOO_MANY_GROUPS':
      'The grouping yields more than {max} rows: shorten the period, add filters or group by fewer dimensions.',
  },
});
