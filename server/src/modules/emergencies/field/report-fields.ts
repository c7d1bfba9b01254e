/**
 * Structured fields of a field report, per incident family (plus common ones). Declarative: the web
 * form renders from this and the server validates against it.
 */
export type FieldKind = 'count' | 'boolean' | 'choice' | 'plates' | 'text';

export interface FieldSpec {
  code: string;
  kind: FieldKind;
  labelEs: string;
  labelEn: string;
  options?: string[];
  required?: boolean;
}

const COMMON: FieldSpec[] = [
  {
    code: 'personsInvolved',
    kind: 'count',
    labelEs: 'Personas involucradas',
    labelEn: 'Persons involved',
    required: true,
  },
  { code: 'injured', kind: 'count', labelEs: 'Personas lesionadas', labelEn: 'Injured' },
  { code: 'deceased', kind: 'count', labelEs: 'Personas fallecidas', labelEn: 'Deceased' },
  { code: 'arrests', kind: 'count', labelEs: 'Detenidos en flagrancia', labelEn: 'Arrests' },
  {
    code: 'referredTo',
    kind: 'choice',
    labelEs: 'Remitido a',
    labelEn: 'Referred to',
    options: ['ninguno', 'FGR', 'PGR', 'ISNA', 'hospital', 'bomberos', 'medicina_legal'],
  },
];

const BY_FAMILY: Record<string, FieldSpec[]> = {
  VIDA: [
    { code: 'weaponsSeized', kind: 'count', labelEs: 'Armas decomisadas', labelEn: 'Weapons seized' },
    { code: 'sceneSecured', kind: 'boolean', labelEs: 'Escena resguardada', labelEn: 'Scene secured' },
  ],
  VIF: [
    { code: 'minorsPresent', kind: 'boolean', labelEs: 'Había menores presentes', labelEn: 'Minors present' },
    {
      code: 'protectionMeasures',
      kind: 'boolean',
      labelEs: 'Se solicitaron medidas de protección',
      labelEn: 'Protection measures requested',
    },
  ],
  PATRIMONIO: [
    {
      code: 'propertyRecovered',
      kind: 'boolean',
      labelEs: 'Se recuperaron bienes',
      labelEn: 'Property recovered',
    },
  ],
  TRANSITO: [
    {
      code: 'vehiclesInvolved',
      kind: 'count',
      labelEs: 'Vehículos involucrados',
      labelEn: 'Vehicles involved',
    },
    { code: 'plates', kind: 'plates', labelEs: 'Placas', labelEn: 'Plates' },
    {
      code: 'alcoholTest',
      kind: 'boolean',
      labelEs: 'Prueba de alcoholemia realizada',
      labelEn: 'Breath test done',
    },
  ],
  ORDEN: [{ code: 'weaponsSeized', kind: 'count', labelEs: 'Armas decomisadas', labelEn: 'Weapons seized' }],
  DESAPARECIDOS: [
    { code: 'personLocated', kind: 'boolean', labelEs: 'Persona localizada', labelEn: 'Person located' },
  ],
};

export function fieldsFor(family: string | null): FieldSpec[] {
  return [...COMMON, ...(family ? (BY_FAMILY[family] ?? []) : [])];
}

export interface FieldProblem {
  field: string;
  message: string;
}

const PLATE = /^[A-Z]{1,3}[ -]?\d{1,6}(-\d{1,3})?$/;

/** Validates report fields against the family's specification; returns every problem found. */
export function validateReportFields(family: string | null, values: Record<string, unknown>): FieldProblem[] {
  const specs = fieldsFor(family);
  const byCode = new Map(specs.map((s) => [s.code, s]));
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(values)) {
    if (!byCode.has(key)) problems.push({ field: key, message: 'no es un campo de este tipo de informe' });
  }
  for (const spec of specs) {
    const v = values[spec.code];
    if (v === undefined || v === null) {
      if (spec.required) problems.push({ field: spec.code, message: 'es obligatorio' });
      continue;
    }
    const ok =
      spec.kind === 'count'
        ? Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000
        : spec.kind === 'boolean'
          ? typeof v === 'boolean'
          : spec.kind === 'choice'
            ? typeof v === 'string' && spec.options!.includes(v)
            : spec.kind === 'plates'
              ? Array.isArray(v) &&
                v.length <= 50 &&
                v.every((p) => typeof p === 'string' && PLATE.test(p.toUpperCase()))
              : typeof v === 'string' && v.length <= 2000;
    if (!ok) {
      const message = {
        count: 'debe ser un número entero entre 0 y 10000',
        boolean: 'debe ser sí o no (true/false)',
        choice: `debe ser uno de: ${spec.options?.join(', ')}`,
        plates: 'debe ser una lista de placas válidas (p. ej. P123-456)',
        text: 'debe ser texto de hasta 2000 caracteres',
      }[spec.kind];
      problems.push({ field: spec.code, message });
    }
  }
  return problems;
}
