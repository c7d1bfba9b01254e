import type { Dimension } from './dimensions.js';
import { isBucket } from './dimensions.js';
import type { ExportColumn, ExportTable } from './export.js';
import type {
  EscalationRow,
  Escalations,
  LateIncidentRow,
  LateIncidents,
  ResponseTimeRow,
  ResponseTimes,
  Satisfaction,
  SatisfactionRow,
  Stat,
  Utilisation,
  UtilisationRow,
  VolumeRow,
  Volumes,
} from './kpis.schemas.js';
import { localDate } from './period.js';

/** Spreadsheet versions of the KPI responses: one row per group, Spanish headers. */

interface Grouped {
  group: Record<string, string | number | null>;
  labels: Record<string, string | null>;
}

/** [code column, name column] headers of each dimension (null: that column is not shown). */
const DIMENSION_HEADERS: Record<string, [string | null, string | null]> = {
  type: ['Código de tipo', 'Tipo de incidente'],
  family: ['Código de familia', 'Familia'],
  status: ['Código de estado', 'Estado'],
  channel: ['Código de canal', 'Canal'],
  priority: ['Prioridad', null],
  department: ['Código de departamento', 'Departamento'],
  municipality: ['Código de municipio', 'Municipio'],
  stage: ['Código de etapa', 'Etapa'],
  unit: [null, 'Unidad'],
};

function groupColumns<R extends Grouped>(dims: string[]): ExportColumn<R>[] {
  return dims.flatMap((d): ExportColumn<R>[] => {
    if (isBucket(d as Dimension)) {
      return [
        { header: 'Inicio del periodo (UTC)', kind: 'datetime', value: (r) => r.group[d], width: 22 },
        { header: 'Periodo (hora de El Salvador)', kind: 'text', value: (r) => r.labels[d], width: 20 },
      ];
    }
    const [code, name] = DIMENSION_HEADERS[d] ?? [d, null];
    const out: ExportColumn<R>[] = [];
    if (code)
      out.push({ header: code, kind: d === 'priority' ? 'integer' : 'text', value: (r) => r.group[d] });
    if (name) out.push({ header: name, kind: 'text', value: (r) => r.labels[d], width: 28 });
    return out;
  });
}

function statColumns<R>(name: string, stat: (r: R) => Stat): ExportColumn<R>[] {
  return [
    { header: `${name}: mediciones`, kind: 'integer', value: (r) => stat(r).n },
    { header: `${name}: p50 (s)`, kind: 'decimal', value: (r) => stat(r).p50 },
    { header: `${name}: p90 (s)`, kind: 'decimal', value: (r) => stat(r).p90 },
  ];
}

interface Meta {
  period: { from: string; to: string; timeZone: string };
  generatedAt: string;
  groupBy: string[];
  scope: { national: boolean; departments: string[]; municipalities: string[] };
}

function scopeText(scope: Meta['scope']): string {
  if (scope.national) return 'Nacional';
  const parts = [...scope.departments, ...scope.municipalities];
  return parts.length ? parts.join(', ') : 'Ninguno';
}

function parameters(title: string, meta: Meta, filters: Record<string, unknown>): [string, string][] {
  const given = Object.entries(filters).filter(
    ([k, v]) => v !== undefined && !['format', 'by', 'from', 'to'].includes(k),
  );
  return [
    ['Indicador', title],
    ['Desde (UTC, incluido)', meta.period.from],
    ['Hasta (UTC, excluido)', meta.period.to],
    ['Zona horaria de los periodos', meta.period.timeZone],
    ['Agrupado por', meta.groupBy.join(', ') || '(total)'],
    ['Filtros', given.map(([k, v]) => `${k}=${String(v)}`).join('; ') || '(ninguno)'],
    ['Ámbito territorial', scopeText(meta.scope)],
    ['Generado (UTC)', meta.generatedAt],
  ];
}

const fileName = (slug: string, meta: Meta) =>
  `kpi-${slug}_${localDate(new Date(meta.period.from))}_${localDate(new Date(new Date(meta.period.to).getTime() - 1))}`;

export function volumesTable(data: Volumes, filters: Record<string, unknown>): ExportTable<VolumeRow> {
  return {
    fileName: fileName('volumenes', data),
    sheet: 'Volúmenes',
    columns: [
      ...groupColumns<VolumeRow>(data.groupBy),
      { header: 'Incidentes', kind: 'integer', value: (r) => r.count },
      { header: 'Porcentaje del total (%)', kind: 'decimal', value: (r) => r.sharePct },
    ],
    rows: data.rows,
    parameters: parameters('Volumen de incidentes', data, filters),
  };
}

export function responseTimesTable(
  data: ResponseTimes,
  filters: Record<string, unknown>,
): ExportTable<ResponseTimeRow> {
  return {
    fileName: fileName('tiempos-respuesta', data),
    sheet: 'Tiempos de respuesta',
    columns: [
      ...groupColumns<ResponseTimeRow>(data.groupBy),
      { header: 'Incidentes', kind: 'integer', value: (r) => r.incidents },
      ...statColumns<ResponseTimeRow>('Atención de la llamada', (r) => r.answer),
      ...statColumns<ResponseTimeRow>('Registro del incidente', (r) => r.callEntry),
      ...statColumns<ResponseTimeRow>('Hasta el despacho', (r) => r.dispatch),
      ...statColumns<ResponseTimeRow>('Salida de la unidad', (r) => r.turnout),
      ...statColumns<ResponseTimeRow>('Traslado', (r) => r.travel),
      ...statColumns<ResponseTimeRow>('Hasta la llegada', (r) => r.arrive),
      ...statColumns<ResponseTimeRow>('Hasta el cierre', (r) => r.close),
      { header: 'Atendidas en 15 s o menos (%)', kind: 'decimal', value: (r) => r.answeredWithin15sPct },
      { header: 'Atendidas en 20 s o menos (%)', kind: 'decimal', value: (r) => r.answeredWithin20sPct },
      { header: 'Bajo la meta NENA del 90 % en 15 s', kind: 'boolean', value: (r) => r.belowTarget15s },
      { header: 'Bajo la meta NENA del 95 % en 20 s', kind: 'boolean', value: (r) => r.belowTarget20s },
    ],
    rows: data.rows,
    parameters: parameters('Tiempos de respuesta (p50 / p90, segundos)', data, filters),
  };
}

export function utilisationTable(
  data: Utilisation,
  filters: Record<string, unknown>,
): ExportTable<UtilisationRow> {
  const byUnit = data.groupBy[0] === 'unit';
  return {
    fileName: fileName('uso-unidades', data),
    sheet: 'Uso de unidades',
    columns: [
      ...groupColumns<UtilisationRow>(byUnit ? ['unit', 'department'] : ['department']),
      ...(byUnit
        ? []
        : [{ header: 'Unidades', kind: 'integer', value: (r) => r.units } as ExportColumn<UtilisationRow>]),
      { header: 'Tiempo observado (s)', kind: 'integer', value: (r) => r.windowSeconds },
      { header: 'Asignada (s)', kind: 'integer', value: (r) => r.assignedSeconds },
      { header: 'En camino (s)', kind: 'integer', value: (r) => r.enRouteSeconds },
      { header: 'En el lugar (s)', kind: 'integer', value: (r) => r.onSceneSeconds },
      { header: 'Disponible (s)', kind: 'integer', value: (r) => r.availableSeconds },
      { header: 'Fuera de servicio (s)', kind: 'integer', value: (r) => r.outOfServiceSeconds },
      { header: 'Asignada (%)', kind: 'decimal', value: (r) => r.assignedPct },
      { header: 'En camino (%)', kind: 'decimal', value: (r) => r.enRoutePct },
      { header: 'En el lugar (%)', kind: 'decimal', value: (r) => r.onScenePct },
      { header: 'Ocupada en total (%)', kind: 'decimal', value: (r) => r.busyPct },
      { header: 'Disponible (%)', kind: 'decimal', value: (r) => r.availablePct },
      { header: 'Fuera de servicio (%)', kind: 'decimal', value: (r) => r.outOfServicePct },
    ],
    rows: data.rows,
    parameters: parameters('Uso del tiempo de las unidades', data, filters),
  };
}

export function lateTable(
  data: LateIncidents,
  filters: Record<string, unknown>,
): ExportTable<LateIncidentRow> {
  const meta: Meta = {
    period: { from: data.asOf, to: data.asOf, timeZone: 'America/El_Salvador' },
    generatedAt: data.generatedAt,
    groupBy: [],
    scope: data.scope,
  };
  const params = parameters(
    'Incidentes abiertos con demora respecto de los tiempos objetivo',
    meta,
    filters,
  ).filter(
    ([k]) =>
      !k.startsWith('Desde') && !k.startsWith('Hasta') && !k.startsWith('Agrupado') && !k.startsWith('Zona'),
  );
  return {
    fileName: `kpi-incidentes-demorados_${localDate(new Date(data.asOf))}`,
    sheet: 'Incidentes demorados',
    columns: [
      { header: 'Folio', kind: 'text', value: (r) => r.folio, width: 18 },
      { header: 'Estado', kind: 'text', value: (r) => r.status },
      { header: 'Prioridad', kind: 'integer', value: (r) => r.priority },
      { header: 'Código de tipo', kind: 'text', value: (r) => r.typeCode, width: 24 },
      { header: 'Código de departamento', kind: 'text', value: (r) => r.departmentCode },
      { header: 'Código de municipio', kind: 'text', value: (r) => r.municipalityPcode },
      { header: 'Creado (UTC)', kind: 'datetime', value: (r) => r.createdAt, width: 22 },
      { header: 'Transcurrido (s)', kind: 'integer', value: (r) => r.elapsedSeconds },
      { header: 'Objetivo de despacho (s)', kind: 'integer', value: (r) => r.dispatchTargetSeconds },
      { header: 'Objetivo de llegada (s)', kind: 'integer', value: (r) => r.onSceneTargetSeconds },
      { header: 'Despacho demorado por (s)', kind: 'integer', value: (r) => r.dispatchLateBySeconds },
      { header: 'Llegada demorada por (s)', kind: 'integer', value: (r) => r.onSceneLateBySeconds },
      { header: 'Escalado', kind: 'boolean', value: (r) => r.escalated },
    ],
    rows: data.rows,
    parameters: [['Situación al (UTC)', data.asOf], ...params, ['Total', String(data.total)]],
  };
}

export function escalationsTable(
  data: Escalations,
  filters: Record<string, unknown>,
): ExportTable<EscalationRow> {
  return {
    fileName: fileName('escalamientos', data),
    sheet: 'Escalamientos',
    columns: [
      ...groupColumns<EscalationRow>(data.groupBy),
      { header: 'Escalamientos', kind: 'integer', value: (r) => r.raised },
      { header: 'Recibidos', kind: 'integer', value: (r) => r.acknowledged },
      { header: 'Pendientes', kind: 'integer', value: (r) => r.pending },
      ...statColumns<EscalationRow>('Demora al escalar', (r) => r.lateBy),
      ...statColumns<EscalationRow>('Tiempo hasta recibirlo', (r) => r.acknowledgeTime),
    ],
    rows: data.rows,
    parameters: parameters('Escalamientos por demoras', data, filters),
  };
}

export function satisfactionTable(
  data: Satisfaction,
  filters: Record<string, unknown>,
): ExportTable<SatisfactionRow> {
  return {
    fileName: fileName('satisfaccion', data),
    sheet: 'Satisfacción ciudadana',
    columns: [
      ...groupColumns<SatisfactionRow>(data.groupBy),
      { header: 'Casos evaluables', kind: 'integer', value: (r) => r.eligible },
      { header: 'Encuestas', kind: 'integer', value: (r) => r.surveys },
      { header: 'Tasa de respuesta (%)', kind: 'decimal', value: (r) => r.responseRatePct },
      { header: 'Promedio (1 a 5)', kind: 'decimal', value: (r) => r.average },
      ...(['1', '2', '3', '4', '5'] as const).map(
        (n): ExportColumn<SatisfactionRow> => ({
          header: `Calificación ${n}`,
          kind: 'integer',
          value: (r) => r.distribution[n],
        }),
      ),
    ],
    rows: data.rows,
    parameters: parameters('Satisfacción ciudadana', data, filters),
  };
}
