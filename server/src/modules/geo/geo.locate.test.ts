import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { GEO_DATA_DIR, GEO_DATA_FILES, geoDataset } from './geo.data.js';
import { locate } from './geo.service.js';
import { PointIndex } from './point-index.js';

const data = geoDataset();

describe('shipped territorial data', () => {
  it('matches the SHA-256 hashes recorded in SOURCES.md', () => {
    const sources = readFileSync(path.join(GEO_DATA_DIR, 'SOURCES.md'), 'utf8');
    for (const file of GEO_DATA_FILES) {
      const hash = createHash('sha256')
        .update(readFileSync(path.join(GEO_DATA_DIR, file)))
        .digest('hex');
      expect(sources, file).toContain(`${hash}  ${file}`);
    }
  });

  it('has 14 departments, 44 municipalities, 262 districts and 4 water bodies', () => {
    expect(data.departments).toHaveLength(14);
    expect(data.municipalities).toHaveLength(44);
    expect(data.districts).toHaveLength(262);
    expect(data.waterBodies.map((w) => w.name).sort()).toEqual([
      'Embalse Cerrón Grande',
      'Lago de Coatepeque',
      'Lago de Güija',
      'Lago de Ilopango',
    ]);
    const ss = data.departments.find((d) => d.code === 'SV-SS')!;
    expect(ss).toMatchObject({ name: 'San Salvador', officialCode: '06', hdxPcode: 'SV10' });
  });
});

describe('locate', () => {
  it('San Salvador city centre → San Salvador / San Salvador Centro / district San Salvador', () => {
    expect(locate(-89.1907, 13.6989)).toEqual({
      lon: -89.1907,
      lat: 13.6989,
      insideCountry: true,
      department: { code: 'SV-SS', officialCode: '06', name: 'San Salvador' },
      municipality: { pcode: 'SV10001', name: 'San Salvador Centro' },
      district: { id: 'SV10001-san-salvador', name: 'San Salvador' },
      waterBody: null,
    });
  });

  it('Santa Ana → department SV-SA, municipality Santa Ana Centro', () => {
    const r = locate(-89.5597, 13.9946);
    expect(r.department).toMatchObject({ code: 'SV-SA', name: 'Santa Ana', officialCode: '02' });
    expect(r.municipality?.name).toBe('Santa Ana Centro');
    expect(r.district?.name).toBe('Santa Ana');
  });

  it('San Miguel → department SV-SM, municipality San Miguel Centro', () => {
    const r = locate(-88.1833, 13.4833);
    expect(r.department).toMatchObject({ code: 'SV-SM', name: 'San Miguel' });
    expect(r.municipality?.name).toBe('San Miguel Centro');
    expect(r.district?.name).toBe('San Miguel');
  });

  it('Lake Ilopango → department San Salvador, no municipality, water body Lago de Ilopango', () => {
    const r = locate(-89.05, 13.67);
    expect(r).toMatchObject({
      insideCountry: true,
      department: { code: 'SV-SS', name: 'San Salvador' },
      municipality: null,
      district: null,
      waterBody: { pcode: 'SV10899', name: 'Lago de Ilopango' },
    });
  });

  it('every lake resolves to its own water body and the department HDX assigns it', () => {
    for (const w of data.waterBodies) {
      const r = locate(...w.labelPoint);
      expect(r.waterBody?.pcode, w.name).toBe(w.pcode);
      expect(r.municipality, w.name).toBeNull();
      expect(r.department?.code, w.name).toBe(w.departmentCode);
    }
  });

  it('Guatemala City and the Pacific are outside El Salvador', () => {
    for (const [lon, lat] of [
      [-90.5133, 14.6349],
      [-89.5, 13.0],
      [-89.3, 13.4], // Pacific, 10 km off the port of La Libertad, inside the country bbox
      [-87.8, 14.3], // Honduras, inside the country bbox
    ] as const) {
      expect(locate(lon, lat), `${lon},${lat}`).toEqual({
        lon,
        lat,
        insideCountry: false,
        department: null,
        municipality: null,
        district: null,
        waterBody: null,
      });
    }
  });

  it('resolves every municipality and district from its own label point', () => {
    for (const m of data.municipalities) {
      const r = locate(...m.labelPoint);
      expect(r.municipality?.pcode, m.name).toBe(m.pcode);
      expect(r.department?.code, m.name).toBe(m.departmentCode);
    }
    for (const d of data.districts) {
      expect(locate(...d.labelPoint).district?.id, d.name).toBe(d.id);
    }
  });

  it('reports a district only when it belongs to the municipality found', () => {
    // San Marcos (San Salvador Sur) has 11 % of its geoBoundaries polygon in its decree municipality:
    // points of that polygon elsewhere must not be reported as San Marcos.
    const sanMarcos = data.districts.find((d) => d.name === 'San Marcos')!;
    const districtIndex = new PointIndex([sanMarcos], (d) => d.geometry);
    let outsideItsMunicipality = 0;
    const [minLon, minLat, maxLon, maxLat] = sanMarcos.bbox;
    for (let lon = minLon; lon <= maxLon; lon += 0.002) {
      for (let lat = minLat; lat <= maxLat; lat += 0.002) {
        if (!districtIndex.find(lon, lat)) continue;
        const r = locate(lon, lat);
        if (r.municipality?.pcode === sanMarcos.municipalityPcode) {
          expect(r.district?.id).toBe(sanMarcos.id);
        } else {
          outsideItsMunicipality++;
          expect(r.district?.id).not.toBe(sanMarcos.id);
          expect(r.district).toBeNull(); // geoBoundaries districts do not overlap each other
        }
      }
    }
    expect(outsideItsMunicipality).toBeGreaterThan(10);
  });

  it('always gives the department of the municipality, in agreement with the departments layer', () => {
    const departments = new PointIndex(data.departments, (d) => d.geometry);
    const departmentOf = new Map(data.municipalities.map((m) => [m.pcode, m.departmentCode]));
    const problems: string[] = [];
    let inside = 0;
    for (let lon = -90.14; lon <= -87.67; lon += 0.01) {
      for (let lat = 13.14; lat <= 14.46; lat += 0.01) {
        const r = locate(lon, lat);
        const d = departments.find(lon, lat);
        const where = `${lon.toFixed(2)},${lat.toFixed(2)}`;
        if (r.insideCountry !== (d !== null)) problems.push(`${where}: insideCountry ${r.insideCountry}`);
        if (!d) continue;
        inside++;
        if (r.department?.code !== d.code) problems.push(`${where}: ${r.department?.code} ≠ ${d.code}`);
        if (r.municipality && departmentOf.get(r.municipality.pcode) !== d.code) {
          problems.push(`${where}: municipality ${r.municipality.pcode} outside ${d.code}`);
        }
        // The only gaps in the municipalities are the lakes.
        if (!r.municipality && !r.waterBody) problems.push(`${where}: neither municipality nor lake`);
      }
    }
    expect(problems).toEqual([]);
    expect(inside).toBeGreaterThan(15_000);
  });

  it('refuses impossible coordinates with GEO_INVALID_COORDINATES', () => {
    for (const [lon, lat] of [
      [181, 13],
      [-89, 91],
      [Number.NaN, 13],
      [-89, Number.POSITIVE_INFINITY],
    ]) {
      expect(() => locate(lon!, lat!)).toThrow(AppError);
      try {
        locate(lon!, lat!);
      } catch (error) {
        expect((error as AppError).code).toBe('GEO_INVALID_COORDINATES');
        expect((error as AppError).status).toBe(400);
      }
    }
  });
});
