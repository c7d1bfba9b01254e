import { type RawBuilder, sql } from 'kysely';
import type { Locale } from '../../../platform/context.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/http/errors.js';
import { geoDataset } from '../../geo/index.js';
import { BUCKETS, type Bucket, bucketLabel, bucketsOf, KPI_TIME_ZONE, type Period } from './period.js';

/** What KPI rows can be grouped by. Periods (hour…month) group on a time column in local time. */
export type Dimension =
  | 'type'
  | 'family'
  | 'status'
  | 'channel'
  | 'priority'
  | 'department'
  | 'municipality'
  | 'stage'
  | Bucket;

export const INCIDENT_DIMENSIONS: readonly Dimension[] = [
  'type',
  'family',
  'status',
  'channel',
  'priority',
  'department',
  'municipality',
  ...BUCKETS,
];

const COLUMN: Record<Exclude<Dimension, Bucket>, string> = {
  type: 'type_code',
  family: 'family',
  status: 'status',
  channel: 'channel',
  priority: 'priority',
  department: 'department_code',
  municipality: 'municipality_pcode',
  stage: 'stage',
};

export const MAX_DIMENSIONS = 3;

export function isBucket(d: Dimension): d is Bucket {
  return (BUCKETS as readonly string[]).includes(d);
}

/** Parses `by=department,priority` against the dimensions an indicator supports. */
export function parseGroupBy(value: string | undefined, allowed: readonly Dimension[]): Dimension[] {
  if (!value?.trim()) return [];
  const parts = value.split(',').map((p) => p.trim().toLowerCase());
  const allowedText = allowed.join(', ');
  for (const part of parts) {
    if (!(allowed as readonly string[]).includes(part)) {
      throw new AppError('KPI_GROUP_UNKNOWN', 400, { value: part, allowed: allowedText });
    }
  }
  const dims = parts as Dimension[];
  if (new Set(dims).size !== dims.length) throw new AppError('KPI_GROUP_REPEATED', 400, { value });
  if (dims.length > MAX_DIMENSIONS) throw new AppError('KPI_GROUP_TOO_MANY', 400, { max: MAX_DIMENSIONS });
  if (dims.filter(isBucket).length > 1) throw new AppError('KPI_GROUP_TWO_PERIODS', 400, { value });
  return dims;
}

/** SQL expression of a dimension over rows of `alias`; periods truncate `timeColumn` in local time. */
export function dimensionExpr(d: Dimension, alias: string, timeColumn: string): RawBuilder<unknown> {
  if (isBucket(d)) {
    return sql`date_trunc(${sql.lit(d)}, ${sql.ref(`${alias}.${timeColumn}`)}, ${sql.lit(KPI_TIME_ZONE)})`;
  }
  return sql.ref(`${alias}.${COLUMN[d]}`);
}

/** `expr AS d0`, `expr AS d1` … for the select list (grouped by position: GROUP BY 1, 2 …). */
export function dimensionSelect(dims: Dimension[], alias: string, timeColumn: string): RawBuilder<unknown>[] {
  return dims.map((d, i) => sql`${dimensionExpr(d, alias, timeColumn)} AS ${sql.ref(`d${i}`)}`);
}

export function groupByClause(dims: Dimension[]): RawBuilder<unknown> {
  if (dims.length === 0) return sql``;
  return sql`GROUP BY ${sql.raw(dims.map((_, i) => String(i + 1)).join(', '))}`;
}

export type GroupValue = string | number | null;

/** A row's group as returned: dimension → value (bucket starts as UTC ISO strings). */
export function groupOf(dims: Dimension[], row: Record<string, unknown>): Record<string, GroupValue> {
  const out: Record<string, GroupValue> = {};
  dims.forEach((d, i) => {
    const v = row[`d${i}`];
    if (v === null || v === undefined) out[d] = null;
    else if (v instanceof Date) out[d] = v.toISOString();
    else if (isBucket(d)) out[d] = new Date(String(v)).toISOString();
    else if (d === 'priority') out[d] = Number(v);
    else out[d] = String(v);
  });
  return out;
}

export const groupKey = (dims: Dimension[], group: Record<string, GroupValue>) =>
  JSON.stringify(dims.map((d) => group[d] ?? null));

/**
 * When rows are grouped by a period alone, buckets without data still appear (with zeros), so that
 * charts and spreadsheets show the gaps. Rows come back ordered by their group.
 */
export function completeBuckets<R extends { group: Record<string, GroupValue> }>(
  dims: Dimension[],
  period: Period,
  rows: R[],
  empty: (group: Record<string, GroupValue>) => R,
): R[] {
  const [only] = dims;
  if (dims.length !== 1 || !only || !isBucket(only)) return rows;
  const byStart = new Map(rows.map((r) => [r.group[only], r]));
  return bucketsOf(period, only).map((start) => {
    const iso = start.toISOString();
    return byStart.get(iso) ?? empty({ [only]: iso });
  });
}

const CHANNELS: Record<string, { es: string; en: string }> = {
  call: { es: 'Llamada 911', en: '911 call' },
  citizen: { es: 'Reporte ciudadano (web)', en: 'Citizen report (web)' },
  open311: { es: 'Open311', en: 'Open311' },
  messaging: { es: 'Mensajería (SMS/WhatsApp)', en: 'Messaging (SMS/WhatsApp)' },
  panic: { es: 'Botón de pánico', en: 'Panic button' },
  video: { es: 'Videovigilancia', en: 'Video surveillance' },
  alpr: { es: 'Lectura de placas', en: 'Plate reading' },
};

const STAGES: Record<string, { es: string; en: string }> = {
  answer: { es: 'Atención de la llamada', en: 'Call answering' },
  dispatch: { es: 'Despacho', en: 'Dispatch' },
  on_scene: { es: 'Llegada al lugar', en: 'Arrival on scene' },
};

let territoryNames: Map<string, string> | undefined;
function territoryName(code: string): string | null {
  if (!territoryNames) {
    const data = geoDataset();
    territoryNames = new Map([
      ...data.departments.map((d) => [d.code, d.name] as const),
      ...data.municipalities.map((m) => [m.pcode, m.name] as const),
    ]);
  }
  return territoryNames.get(code) ?? null;
}

/** Human labels of every group value in `rows`, in the reader's language. */
export async function labelRows<R extends { group: Record<string, GroupValue> }>(
  db: Db,
  locale: Locale,
  dims: Dimension[],
  rows: R[],
): Promise<(R & { labels: Record<string, string | null> })[]> {
  const needsTypes = dims.includes('type') || dims.includes('family');
  const types = needsTypes
    ? new Map(
        (await db.selectFrom('incident_types').select(['code', 'name_es', 'name_en']).execute()).map((t) => [
          t.code,
          locale === 'es' ? t.name_es : t.name_en,
        ]),
      )
    : new Map<string, string>();
  const statuses = dims.includes('status')
    ? new Map(
        (await db.selectFrom('incident_statuses').select(['code', 'name_es', 'name_en']).execute()).map(
          (s) => [s.code, locale === 'es' ? s.name_es : s.name_en],
        ),
      )
    : new Map<string, string>();
  const none = locale === 'es' ? '(sin dato)' : '(none)';
  const label = (d: Dimension, v: GroupValue): string | null => {
    if (v === null) return none;
    if (isBucket(d)) return bucketLabel(new Date(String(v)), d);
    switch (d) {
      case 'type':
      case 'family':
        return types.get(String(v)) ?? String(v);
      case 'status':
        return statuses.get(String(v)) ?? String(v);
      case 'channel':
        return CHANNELS[String(v)]?.[locale] ?? String(v);
      case 'stage':
        return STAGES[String(v)]?.[locale] ?? String(v);
      case 'priority':
        return locale === 'es' ? `Prioridad ${v}` : `Priority ${v}`;
      case 'department':
      case 'municipality':
        return territoryName(String(v)) ?? String(v);
    }
  };
  return rows.map((r) => ({
    ...r,
    labels: Object.fromEntries(dims.map((d) => [d, label(d, r.group[d] ?? null)])),
  }));
}

/** Orders rows by their group values (nulls last), the way the tables are read. */
export function sortByGroup<R extends { group: Record<string, GroupValue> }>(
  dims: Dimension[],
  rows: R[],
): R[] {
  return [...rows].sort((a, b) => {
    for (const d of dims) {
      const x = a.group[d] ?? null;
      const y = b.group[d] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  });
}
