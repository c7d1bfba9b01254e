import { registerMessages } from '../../platform/i18n/catalog.js';

registerMessages({
  es: {
    'errors.GEO_INVALID_COORDINATES':
      'Coordenadas no válidas (lon {lon}, lat {lat}): la longitud debe estar entre -180 y 180 y la latitud entre -90 y 90.',
    'errors.GEO_DEPARTMENT_NOT_FOUND': 'No existe el departamento {code}.',
    'errors.GEO_MUNICIPALITY_NOT_FOUND': 'No existe el municipio {pcode}.',
  },
  en: {
    'errors.GEO_INVALID_COORDINATES':
      'Invalid coordinates (lon {lon}, lat {lat}): longitude must be between -180 and 180 and latitude between -90 and 90.',
    'errors.GEO_DEPARTMENT_NOT_FOUND': 'Department {code} does not exist.',
    'errors.GEO_MUNICIPALITY_NOT_FOUND': 'Municipality {pcode} does not exist.',
  },
});
