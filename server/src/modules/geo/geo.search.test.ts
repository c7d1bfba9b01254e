import { describe, expect, it } from 'vitest';
import { geoDataset } from './geo.data.js';
import { normalizeName } from './geo.search.js';
import { searchPlaces } from './geo.service.js';
import { geometryContains } from './geometry.js';

describe('searchPlaces', () => {
  it('normalises accents, case and punctuation', () => {
    expect(normalizeName('  Usulután, LA UNIÓN — Güija ñ ')).toBe('usulutan la union guija n');
  });

  it('finds Usulután without the accent, the department first, then the district and municipalities', () => {
    const results = searchPlaces('usulutan');
    expect(results.slice(0, 2).map((r) => [r.kind, r.name])).toEqual([
      ['department', 'Usulután'],
      ['district', 'Usulután'],
    ]);
    expect(results.slice(2).map((r) => r.name)).toEqual([
      'Usulután Este',
      'Usulután Norte',
      'Usulután Oeste',
    ]);
    expect(results[0]).toMatchObject({ id: 'SV-US', department: { code: 'SV-US', name: 'Usulután' } });
  });

  it('is case-insensitive and accepts accents in the query', () => {
    expect(searchPlaces('SAN SALVADOR CENTRO')[0]).toMatchObject({ kind: 'municipality', id: 'SV10001' });
    expect(searchPlaces('Güija')[0]).toMatchObject({ kind: 'water_body', name: 'Lago de Güija' });
    expect(searchPlaces('guija')[0]?.name).toBe('Lago de Güija');
  });

  it('ranks exact names, then prefixes, then word prefixes, then substrings', () => {
    const names = (q: string) => searchPlaces(q, { limit: 7 }).map((r) => `${r.kind}:${r.name}`);
    expect(names('san miguel')).toEqual([
      'department:San Miguel', // exact, departments before districts
      'district:San Miguel',
      'municipality:San Miguel Centro', // prefix
      'municipality:San Miguel Norte',
      'municipality:San Miguel Oeste',
      'district:San Miguel de Mercedes',
      'district:San Miguel Tepezontes',
    ]);
    // prefix (Ilobasco, Ilopango) before word prefix (Lago de Ilopango)
    expect(names('ilo')).toEqual(['district:Ilobasco', 'district:Ilopango', 'water_body:Lago de Ilopango']);
    // word prefix before substring
    expect(names('pango')).toEqual([
      'district:Ilopango',
      'district:Soyapango',
      'water_body:Lago de Ilopango',
    ]);
    expect(names('tecla')).toEqual(['district:Santa Tecla']);
  });

  it('finds places by code', () => {
    expect(searchPlaces('SV-SS')[0]).toMatchObject({ kind: 'department', name: 'San Salvador' });
    expect(searchPlaces('sv10001')[0]).toMatchObject({ kind: 'municipality', name: 'San Salvador Centro' });
  });

  it('tells homonyms apart by their municipality and department', () => {
    const rosarios = searchPlaces('El Rosario');
    expect(rosarios.filter((r) => r.name === 'El Rosario').map((r) => r.label)).toEqual([
      'El Rosario (distrito), Cuscatlán Sur, Cuscatlán',
      'El Rosario (distrito), La Paz Centro, La Paz',
      'El Rosario (distrito), Morazán Norte, Morazán',
    ]);
    // Words of the municipality or department narrow the search down.
    expect(searchPlaces('rosario la paz').map((r) => r.label)).toEqual([
      'El Rosario (distrito), La Paz Centro, La Paz',
    ]);
  });

  it('limits and filters by kind', () => {
    expect(searchPlaces('san', { limit: 3 })).toHaveLength(3);
    expect(searchPlaces('san', { limit: 500 }).length).toBeLessThanOrEqual(50);
    const municipalities = searchPlaces('san', { kinds: ['municipality'], limit: 50 });
    expect(municipalities.length).toBeGreaterThan(5);
    expect(municipalities.every((r) => r.kind === 'municipality')).toBe(true);
  });

  it('returns nothing for empty or unknown queries', () => {
    expect(searchPlaces('   ')).toEqual([]);
    expect(searchPlaces('?!')).toEqual([]);
    expect(searchPlaces('tegucigalpa')).toEqual([]);
  });

  it('returns a point inside every place', () => {
    const data = geoDataset();
    const geometryOf = new Map<string, Parameters<typeof geometryContains>[0]>([
      ...data.departments.map((d) => [d.code, d.geometry] as const),
      ...data.municipalities.map((m) => [m.pcode, m.geometry] as const),
      ...data.districts.map((d) => [d.id, d.geometry] as const),
      ...data.waterBodies.map((w) => [w.pcode, w.geometry] as const),
    ]);
    const all = ['a', 'e', 'i', 'o', 'u'].flatMap((v) => searchPlaces(v, { limit: 50 }));
    expect(new Set(all.map((r) => r.id)).size).toBeGreaterThan(100);
    for (const place of all) {
      expect(geometryContains(geometryOf.get(place.id)!, place.point.lon, place.point.lat), place.label).toBe(
        true,
      );
    }
  });
});
