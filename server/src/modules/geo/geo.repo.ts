import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { DepartmentRecord, DistrictRecord, GeoDataset, MunicipalityRecord } from './geo.data.js';
import type { BBox, Position } from './geometry.js';

type Executor = Pick<Db, 'selectFrom' | 'insertInto' | 'deleteFrom'>;

export const BOUNDARIES_DATASET = 'boundaries';

/** Postgres allows 65,535 bind parameters per statement; rows carry about 15 each. */
const BATCH = 100;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

const boxColumns = (bbox: BBox, label: Position) => ({
  bbox_min_lon: bbox[0],
  bbox_min_lat: bbox[1],
  bbox_max_lon: bbox[2],
  bbox_max_lat: bbox[3],
  label_lon: label[0],
  label_lat: label[1],
});

const excludedBox = {
  bbox_min_lon: sql<number>`excluded.bbox_min_lon`,
  bbox_min_lat: sql<number>`excluded.bbox_min_lat`,
  bbox_max_lon: sql<number>`excluded.bbox_max_lon`,
  bbox_max_lat: sql<number>`excluded.bbox_max_lat`,
  label_lon: sql<number>`excluded.label_lon`,
  label_lat: sql<number>`excluded.label_lat`,
  geometry: sql<string>`excluded.geometry`,
};

export async function findDatasetChecksum(db: Executor, name = BOUNDARIES_DATASET): Promise<string | null> {
  const row = await db
    .selectFrom('geo_datasets')
    .select('checksum')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.checksum ?? null;
}

/** Takes a transaction-scoped advisory lock so that servers starting together load the data once. */
export async function lockDatasetLoad(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(4911912)`.execute(db);
}

async function upsertDepartments(db: Executor, rows: DepartmentRecord[]): Promise<void> {
  for (const batch of chunks(rows)) {
    await db
      .insertInto('departments')
      .values(
        batch.map((d) => ({
          code: d.code,
          official_code: d.officialCode,
          name: d.name,
          hdx_pcode: d.hdxPcode,
          ...boxColumns(d.bbox, d.labelPoint),
          geometry: JSON.stringify(d.geometry),
        })),
      )
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          official_code: sql`excluded.official_code`,
          name: sql`excluded.name`,
          hdx_pcode: sql`excluded.hdx_pcode`,
          ...excludedBox,
        }),
      )
      .execute();
  }
}

async function upsertMunicipalities(db: Executor, rows: MunicipalityRecord[]): Promise<void> {
  for (const batch of chunks(rows)) {
    await db
      .insertInto('municipalities')
      .values(
        batch.map((m) => ({
          pcode: m.pcode,
          name: m.name,
          department_code: m.departmentCode,
          area_km2: m.areaKm2,
          ...boxColumns(m.bbox, m.labelPoint),
          geometry: JSON.stringify(m.geometry),
        })),
      )
      .onConflict((oc) =>
        oc.column('pcode').doUpdateSet({
          name: sql`excluded.name`,
          department_code: sql`excluded.department_code`,
          area_km2: sql`excluded.area_km2`,
          ...excludedBox,
        }),
      )
      .execute();
  }
}

async function upsertDistricts(db: Executor, rows: DistrictRecord[]): Promise<void> {
  for (const batch of chunks(rows)) {
    await db
      .insertInto('districts')
      .values(
        batch.map((d) => ({
          id: d.id,
          name: d.name,
          municipality_pcode: d.municipalityPcode,
          department_code: d.departmentCode,
          overlap_share: d.overlapShare,
          gb_shape_id: d.gbShapeId,
          source_name: d.sourceName,
          ...boxColumns(d.bbox, d.labelPoint),
          geometry: JSON.stringify(d.geometry),
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: sql`excluded.name`,
          municipality_pcode: sql`excluded.municipality_pcode`,
          department_code: sql`excluded.department_code`,
          overlap_share: sql`excluded.overlap_share`,
          gb_shape_id: sql`excluded.gb_shape_id`,
          source_name: sql`excluded.source_name`,
          ...excludedBox,
        }),
      )
      .execute();
  }
}

/**
 * Makes the tables equal to the dataset: upserts every row (keys are stable) and removes rows that
 * are no longer in it (children first). Removal fails loudly if another module still references them.
 */
export async function replaceDataset(db: Executor, data: GeoDataset, now: Date): Promise<void> {
  await upsertDepartments(db, data.departments);
  await upsertMunicipalities(db, data.municipalities);
  await upsertDistricts(db, data.districts);
  await db
    .deleteFrom('districts')
    .where(
      'id',
      'not in',
      data.districts.map((d) => d.id),
    )
    .execute();
  await db
    .deleteFrom('municipalities')
    .where(
      'pcode',
      'not in',
      data.municipalities.map((m) => m.pcode),
    )
    .execute();
  await db
    .deleteFrom('departments')
    .where(
      'code',
      'not in',
      data.departments.map((d) => d.code),
    )
    .execute();
  const counts = datasetCounts(data);
  await db
    .insertInto('geo_datasets')
    .values({
      name: BOUNDARIES_DATASET,
      checksum: data.checksum,
      counts: JSON.stringify(counts),
      loaded_at: now,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        checksum: sql`excluded.checksum`,
        counts: sql`excluded.counts`,
        loaded_at: sql`excluded.loaded_at`,
      }),
    )
    .execute();
}

export function datasetCounts(data: GeoDataset): Record<string, number> {
  return {
    departments: data.departments.length,
    municipalities: data.municipalities.length,
    districts: data.districts.length,
  };
}

export interface DepartmentRow {
  code: string;
  officialCode: string;
  name: string;
  hdxPcode: string;
  bbox: BBox;
  labelPoint: { lon: number; lat: number };
}

export interface MunicipalityRow {
  pcode: string;
  name: string;
  departmentCode: string;
  areaKm2: number;
  bbox: BBox;
  labelPoint: { lon: number; lat: number };
}

export interface DistrictRow {
  id: string;
  name: string;
  municipalityPcode: string;
  departmentCode: string;
  overlapShare: number;
  bbox: BBox;
  labelPoint: { lon: number; lat: number };
}

const boxSelection = [
  'bbox_min_lon',
  'bbox_min_lat',
  'bbox_max_lon',
  'bbox_max_lat',
  'label_lon',
  'label_lat',
] as const;

const boxOf = (r: {
  bbox_min_lon: number;
  bbox_min_lat: number;
  bbox_max_lon: number;
  bbox_max_lat: number;
  label_lon: number;
  label_lat: number;
}) => ({
  bbox: [r.bbox_min_lon, r.bbox_min_lat, r.bbox_max_lon, r.bbox_max_lat] as BBox,
  labelPoint: { lon: r.label_lon, lat: r.label_lat },
});

export async function listDepartmentRows(db: Db): Promise<DepartmentRow[]> {
  const rows = await db
    .selectFrom('departments')
    .select(['code', 'official_code', 'name', 'hdx_pcode', ...boxSelection])
    .orderBy('official_code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    officialCode: r.official_code,
    name: r.name,
    hdxPcode: r.hdx_pcode,
    ...boxOf(r),
  }));
}

export async function listMunicipalityRows(
  db: Db,
  filter: { departmentCode?: string | undefined },
): Promise<MunicipalityRow[]> {
  let query = db
    .selectFrom('municipalities')
    .select(['pcode', 'name', 'department_code', 'area_km2', ...boxSelection])
    .orderBy('department_code')
    .orderBy('name');
  if (filter.departmentCode) query = query.where('department_code', '=', filter.departmentCode);
  const rows = await query.execute();
  return rows.map((r) => ({
    pcode: r.pcode,
    name: r.name,
    departmentCode: r.department_code,
    areaKm2: r.area_km2,
    ...boxOf(r),
  }));
}

export async function listDistrictRows(
  db: Db,
  filter: { municipalityPcode?: string | undefined; departmentCode?: string | undefined },
): Promise<DistrictRow[]> {
  let query = db
    .selectFrom('districts')
    .select(['id', 'name', 'municipality_pcode', 'department_code', 'overlap_share', ...boxSelection])
    .orderBy('municipality_pcode')
    .orderBy('name');
  if (filter.municipalityPcode) query = query.where('municipality_pcode', '=', filter.municipalityPcode);
  if (filter.departmentCode) query = query.where('department_code', '=', filter.departmentCode);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    municipalityPcode: r.municipality_pcode,
    departmentCode: r.department_code,
    overlapShare: r.overlap_share,
    ...boxOf(r),
  }));
}

export async function departmentExists(db: Db, code: string): Promise<boolean> {
  return !!(await db.selectFrom('departments').select('code').where('code', '=', code).executeTakeFirst());
}

export async function municipalityExists(db: Db, pcode: string): Promise<boolean> {
  return !!(await db
    .selectFrom('municipalities')
    .select('pcode')
    .where('pcode', '=', pcode)
    .executeTakeFirst());
}
