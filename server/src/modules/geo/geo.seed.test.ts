import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-app.js';
import { identityModule } from '../identity/index.js';
import { geoDataset } from './geo.data.js';
import { seedGeo } from './geo.seed.js';
import { geoModule } from './index.js';

describe('geo seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ modules: [identityModule, geoModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: 'departments' | 'municipalities' | 'districts') =>
    Number(
      (
        await t.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const loads = async () =>
    (
      await t.deps.db
        .selectFrom('audit_log')
        .select('changes')
        .where('action', '=', 'geo.dataset.loaded')
        .execute()
    ).length;

  it('loads 14 departments, 44 municipalities and 262 districts at start, with an audit entry', async () => {
    expect(await count('departments')).toBe(14);
    expect(await count('municipalities')).toBe(44);
    expect(await count('districts')).toBe(262);
    const dataset = await t.deps.db.selectFrom('geo_datasets').selectAll().executeTakeFirstOrThrow();
    expect(dataset).toMatchObject({
      name: 'boundaries',
      checksum: geoDataset().checksum,
      counts: { departments: 14, municipalities: 44, districts: 262 },
    });
    expect(await loads()).toBe(1);
  });

  it('stores codes, bounding boxes, label points and the geometry as GeoJSON', async () => {
    const ss = await t.deps.db
      .selectFrom('departments')
      .selectAll()
      .where('code', '=', 'SV-SS')
      .executeTakeFirstOrThrow();
    expect(ss).toMatchObject({ official_code: '06', name: 'San Salvador', hdx_pcode: 'SV10' });
    expect(ss.bbox_min_lon).toBeLessThan(ss.label_lon);
    expect(ss.label_lon).toBeLessThan(ss.bbox_max_lon);
    expect(ss.geometry.type).toMatch(/Polygon$/);
    const district = await t.deps.db
      .selectFrom('districts')
      .selectAll()
      .where('id', '=', 'SV10001-san-salvador')
      .executeTakeFirstOrThrow();
    expect(district).toMatchObject({
      name: 'San Salvador',
      municipality_pcode: 'SV10001',
      department_code: 'SV-SS',
    });
    expect(district.overlap_share).toBeGreaterThan(0.5);
    const fromDb = await sql<{ n: number }>`
      SELECT jsonb_array_length(geometry->'coordinates') AS n FROM municipalities WHERE pcode = 'SV10001'`.execute(
      t.deps.db,
    );
    expect(fromDb.rows[0]?.n).toBeGreaterThan(0);
  });

  it('is idempotent: a restart with the same data does nothing', async () => {
    const before = await t.deps.db.selectFrom('geo_datasets').select('loaded_at').executeTakeFirstOrThrow();
    expect(await seedGeo(t.deps)).toBe('unchanged');
    expect(await seedGeo(t.deps)).toBe('unchanged');
    const after = await t.deps.db.selectFrom('geo_datasets').select('loaded_at').executeTakeFirstOrThrow();
    expect(after.loaded_at).toEqual(before.loaded_at);
    expect(await count('districts')).toBe(262);
    expect(await loads()).toBe(1);
  });

  it('reloads when the stored checksum differs, repairing edited and missing rows', async () => {
    await t.deps.db.updateTable('geo_datasets').set({ checksum: 'older-data' }).execute();
    await t.deps.db.deleteFrom('districts').where('municipality_pcode', '=', 'SV10001').execute();
    await t.deps.db
      .updateTable('municipalities')
      .set({ name: 'Nombre viejo' })
      .where('pcode', '=', 'SV10001')
      .execute();
    await t.deps.db
      .insertInto('districts')
      .values({
        id: 'SV10001-obsoleto',
        name: 'Obsoleto',
        municipality_pcode: 'SV10001',
        department_code: 'SV-SS',
        overlap_share: 1,
        gb_shape_id: 'x',
        source_name: 'x',
        bbox_min_lon: 0,
        bbox_min_lat: 0,
        bbox_max_lon: 0,
        bbox_max_lat: 0,
        label_lon: 0,
        label_lat: 0,
        geometry: JSON.stringify({ type: 'Polygon', coordinates: [] }),
      })
      .execute();

    expect(await seedGeo(t.deps)).toBe('loaded');
    expect(await count('departments')).toBe(14);
    expect(await count('municipalities')).toBe(44);
    expect(await count('districts')).toBe(262);
    const m = await t.deps.db
      .selectFrom('municipalities')
      .select('name')
      .where('pcode', '=', 'SV10001')
      .executeTakeFirst();
    expect(m?.name).toBe('San Salvador Centro');
    const stale = await t.deps.db
      .selectFrom('districts')
      .select('id')
      .where('id', '=', 'SV10001-obsoleto')
      .execute();
    expect(stale).toEqual([]);
    const dataset = await t.deps.db.selectFrom('geo_datasets').select('checksum').executeTakeFirstOrThrow();
    expect(dataset.checksum).toBe(geoDataset().checksum);
    expect(await loads()).toBe(2);
    expect(await seedGeo(t.deps)).toBe('unchanged');
  });
});
