import { type Static, Type } from '@sinclair/typebox';

const DEPARTMENT_CODE = '^SV-[A-Z]{2}$';
const MUNICIPALITY_PCODE = '^SV[0-9]{5}$';

export const BBox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[lon mínima, lat mínima, lon máxima, lat máxima] (WGS84)',
});

export const LonLat = Type.Object({ lon: Type.Number(), lat: Type.Number() });

export const Department = Type.Object({
  code: Type.String({ description: 'ISO 3166-2, p. ej. SV-SS' }),
  officialCode: Type.String({ description: 'Código oficial 01–14 (DIGESTYC, Hacienda CAT-012)' }),
  name: Type.String(),
  hdxPcode: Type.String({ description: 'pcode de HDX (alfabético; no es el código oficial)' }),
  bbox: BBox,
  labelPoint: LonLat,
});
export type Department = Static<typeof Department>;

export const Municipality = Type.Object({
  pcode: Type.String({ description: 'pcode de HDX, p. ej. SV10001' }),
  name: Type.String(),
  departmentCode: Type.String(),
  areaKm2: Type.Number(),
  bbox: BBox,
  labelPoint: LonLat,
});
export type Municipality = Static<typeof Municipality>;

export const District = Type.Object({
  id: Type.String({ description: '<pcode del municipio>-<nombre normalizado>' }),
  name: Type.String(),
  municipalityPcode: Type.String(),
  departmentCode: Type.String(),
  overlapShare: Type.Number({ description: 'Parte del polígono del distrito dentro de su municipio (0–1)' }),
  bbox: BBox,
  labelPoint: LonLat,
});
export type District = Static<typeof District>;

export const MunicipalitiesQuery = Type.Object({
  department: Type.Optional(
    Type.String({ pattern: DEPARTMENT_CODE, description: 'Código ISO, p. ej. SV-SS' }),
  ),
});
export type MunicipalitiesQuery = Static<typeof MunicipalitiesQuery>;

export const DistrictsQuery = Type.Object({
  municipality: Type.Optional(
    Type.String({ pattern: MUNICIPALITY_PCODE, description: 'pcode, p. ej. SV10001' }),
  ),
  department: Type.Optional(Type.String({ pattern: DEPARTMENT_CODE })),
});
export type DistrictsQuery = Static<typeof DistrictsQuery>;

export const LocateQuery = Type.Object({
  lon: Type.Number({
    minimum: -180,
    maximum: 180,
    description: 'Longitud WGS84 (El Salvador ≈ −90.1 a −87.7)',
  }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitud WGS84 (El Salvador ≈ 13.1 a 14.5)' }),
});
export type LocateQuery = Static<typeof LocateQuery>;

export const LocateResult = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  insideCountry: Type.Boolean(),
  department: Type.Union([
    Type.Object({ code: Type.String(), officialCode: Type.String(), name: Type.String() }),
    Type.Null(),
  ]),
  municipality: Type.Union([Type.Object({ pcode: Type.String(), name: Type.String() }), Type.Null()]),
  district: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
    description: 'Solo cuando el distrito que contiene el punto pertenece al municipio encontrado',
  }),
  waterBody: Type.Union([Type.Object({ pcode: Type.String(), name: Type.String() }), Type.Null()]),
});

export const PlaceKind = Type.Union([
  Type.Literal('department'),
  Type.Literal('municipality'),
  Type.Literal('district'),
  Type.Literal('water_body'),
]);

export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'Texto a buscar (sin importar tildes ni mayúsculas)',
  }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  kind: Type.Optional(Type.Array(PlaceKind, { maxItems: 4, description: 'Filtrar por tipo de lugar' })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const PlaceResult = Type.Object({
  kind: PlaceKind,
  id: Type.String(),
  name: Type.String(),
  label: Type.String(),
  department: Type.Object({ code: Type.String(), name: Type.String() }),
  municipality: Type.Union([Type.Object({ pcode: Type.String(), name: Type.String() }), Type.Null()]),
  point: LonLat,
  bbox: BBox,
});

export const Attribution = Type.Object({
  text: Type.String({ description: 'Línea de atribución para mapas' }),
  codeNote: Type.String(),
  sources: Type.Array(
    Type.Object({
      id: Type.String(),
      layers: Type.Array(Type.String()),
      text: Type.String(),
      licence: Type.String(),
      url: Type.String(),
      confirmed: Type.Boolean(),
      note: Type.String(),
    }),
  ),
});

export const BoundaryCollection = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    attribution: Type.String(),
    features: Type.Array(Type.Unknown()),
  },
  { description: 'GeoJSON simplificado (tolerancia ≈ 55 m), para mapas; no usar para asignar territorio' },
);
