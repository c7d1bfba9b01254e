/**
 * Attribution the licences of the shipped boundaries require (see data/SOURCES.md). Every map or
 * report that shows these boundaries must display `GEO_ATTRIBUTION_TEXT` (or each source's `text`).
 * Licences marked `confirmed: false` were recorded offline and must be checked upstream before a
 * production or public release.
 */
export interface GeoAttributionSource {
  id: 'hdx-cod-ab' | 'geoboundaries' | 'decreto-762';
  /** Layers of the API this source feeds. */
  layers: string[];
  /** Text to display, in Spanish, exactly as given. */
  text: string;
  licence: string;
  url: string;
  confirmed: boolean;
  note: string;
}

export const GEO_ATTRIBUTION: readonly GeoAttributionSource[] = [
  {
    id: 'hdx-cod-ab',
    layers: ['departments', 'municipalities', 'water-bodies'],
    text: 'Límites administrativos: OCHA / Humanitarian Data Exchange (COD-AB El Salvador, 2024), CC BY-IGO',
    licence: 'CC BY-IGO 3.0',
    url: 'https://data.humdata.org/dataset/cod-ab-slv',
    confirmed: false,
    note: 'Licencia y agencia fuente por confirmar en la página de HDX antes de una publicación.',
  },
  {
    id: 'geoboundaries',
    layers: ['districts'],
    text: 'Distritos: geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866), CC BY 4.0; datos © colaboradores de OpenStreetMap, ODbL',
    licence: 'CC BY 4.0; probablemente ODbL (origen OpenStreetMap por confirmar)',
    url: 'https://www.geoboundaries.org',
    confirmed: false,
    note: 'Tratar como ODbL + CC BY-SA hasta confirmar el origen. Los distritos no coinciden exactamente con los municipios de HDX.',
  },
  {
    id: 'decreto-762',
    layers: ['districts', 'municipalities'],
    text: 'División territorial: Decreto Legislativo N.º 762 (2023), Asamblea Legislativa de El Salvador',
    licence: 'Texto legislativo oficial',
    url: 'https://www.asamblea.gob.sv/sites/default/files/documents/decretos/4194112C-1F6E-4E24-808E-9854A3D081AD.pdf',
    confirmed: true,
    note: 'Solo se usan los nombres y la agrupación de distritos en municipios.',
  },
];

/** One line for map footers. */
export const GEO_ATTRIBUTION_TEXT = GEO_ATTRIBUTION.map((s) => s.text).join(' · ');

/** Where the codes come from: HDX pcodes are alphabetical and must never be joined to official codes. */
export const GEO_CODE_NOTE =
  'Los pcode de HDX son alfabéticos, no oficiales: use el código ISO (SV-SS) o el código oficial (01–14) del departamento.';
