import type { GeoDataset } from './geo.data.js';
import type { BBox } from './geometry.js';

export type PlaceKind = 'department' | 'municipality' | 'district' | 'water_body';

export interface PlaceResult {
  kind: PlaceKind;
  /** Department ISO code, municipality pcode, district id or water body pcode. */
  id: string;
  name: string;
  /** Name with its context, for telling apart homonyms (El Rosario ×3). */
  label: string;
  department: { code: string; name: string };
  municipality: { pcode: string; name: string } | null;
  /** A point inside the place (area centroid, or an interior point when the centroid falls outside). */
  point: { lon: number; lat: number };
  bbox: BBox;
}

export interface SearchOptions {
  limit?: number;
  kinds?: PlaceKind[];
}

export type PlaceSearch = (query: string, options?: SearchOptions) => PlaceResult[];

/** Lower case, no accents (á→a, ñ→n, ü→u), punctuation as spaces. */
export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const KIND_ORDER: Record<PlaceKind, number> = { department: 0, municipality: 1, district: 2, water_body: 3 };

interface Entry {
  place: PlaceResult;
  /** Normalised code (ISO code, pcode or district id), matched exactly. */
  code: string;
  name: string;
  nameWords: string[];
  contextWords: string[];
}

const everyTokenPrefixes = (tokens: string[], words: string[]) =>
  tokens.every((token) => words.some((word) => word.startsWith(token)));

/**
 * Match quality, lower is better: exact name or code, name prefix, word prefix, all words as
 * prefixes (any order), substring, then some words in the name and the rest in its municipality or
 * department ("rosario la paz").
 */
function rank(entry: Entry, q: string, tokens: string[]): number | null {
  if (entry.name === q || entry.code === q) return 0;
  if (entry.name.startsWith(q)) return 1;
  if (` ${entry.name}`.includes(` ${q}`)) return 2;
  if (everyTokenPrefixes(tokens, entry.nameWords)) return 3;
  if (entry.name.includes(q)) return 4;
  if (
    tokens.length > 1 &&
    tokens.some((token) => entry.nameWords.some((word) => word.startsWith(token) && token.length > 2)) &&
    everyTokenPrefixes(tokens, entry.contextWords)
  ) {
    return 5;
  }
  return null;
}

export function createPlaceSearch(data: GeoDataset): PlaceSearch {
  const departmentByCode = new Map(data.departments.map((d) => [d.code, d]));
  const municipalityByPcode = new Map(data.municipalities.map((m) => [m.pcode, m]));
  const entries: Entry[] = [];
  const add = (place: PlaceResult) => {
    const name = normalizeName(place.name);
    entries.push({
      place,
      code: normalizeName(place.id),
      name,
      nameWords: name.split(' '),
      contextWords: normalizeName(
        `${place.name} ${place.municipality?.name ?? ''} ${place.department.name}`,
      ).split(' '),
    });
  };
  const point = ([lon, lat]: [number, number]) => ({ lon, lat });

  for (const d of data.departments) {
    add({
      kind: 'department',
      id: d.code,
      name: d.name,
      label: `${d.name} (departamento)`,
      department: { code: d.code, name: d.name },
      municipality: null,
      point: point(d.labelPoint),
      bbox: d.bbox,
    });
  }
  for (const m of data.municipalities) {
    const d = departmentByCode.get(m.departmentCode)!;
    add({
      kind: 'municipality',
      id: m.pcode,
      name: m.name,
      label: `${m.name} (municipio), ${d.name}`,
      department: { code: d.code, name: d.name },
      municipality: { pcode: m.pcode, name: m.name },
      point: point(m.labelPoint),
      bbox: m.bbox,
    });
  }
  for (const s of data.districts) {
    const m = municipalityByPcode.get(s.municipalityPcode)!;
    const d = departmentByCode.get(s.departmentCode)!;
    add({
      kind: 'district',
      id: s.id,
      name: s.name,
      label: `${s.name} (distrito), ${m.name}, ${d.name}`,
      department: { code: d.code, name: d.name },
      municipality: { pcode: m.pcode, name: m.name },
      point: point(s.labelPoint),
      bbox: s.bbox,
    });
  }
  for (const w of data.waterBodies) {
    const d = departmentByCode.get(w.departmentCode)!;
    add({
      kind: 'water_body',
      id: w.pcode,
      name: w.name,
      label: `${w.name}, ${d.name}`,
      department: { code: d.code, name: d.name },
      municipality: null,
      point: point(w.labelPoint),
      bbox: w.bbox,
    });
  }

  const collator = new Intl.Collator('es', { sensitivity: 'base' });
  return (query, options = {}) => {
    const q = normalizeName(query);
    if (q === '') return [];
    const tokens = q.split(' ');
    const limit = Math.max(1, Math.min(options.limit ?? 10, 50));
    const kinds = options.kinds && options.kinds.length > 0 ? new Set(options.kinds) : null;
    const hits: { entry: Entry; score: number }[] = [];
    for (const entry of entries) {
      if (kinds && !kinds.has(entry.place.kind)) continue;
      const score = rank(entry, q, tokens);
      if (score !== null) hits.push({ entry, score });
    }
    hits.sort(
      (a, b) =>
        a.score - b.score ||
        KIND_ORDER[a.entry.place.kind] - KIND_ORDER[b.entry.place.kind] ||
        collator.compare(a.entry.place.label, b.entry.place.label),
    );
    return hits.slice(0, limit).map((h) => h.entry.place);
  };
}
