/**
 * Point-in-polygon throughput of the geo module: `locate` (banded ray casting behind bounding-box
 * prefilters) against a raw baseline measured in the same run (plain ray casting over every vertex,
 * bounding-box prefilter only). Run: `npx tsx bench/geo-locate.ts [points]`.
 */
import { geoDataset } from '../src/modules/geo/geo.data.js';
import { bboxContains, geometryContains } from '../src/modules/geo/geometry.js';
import { locate } from '../src/modules/geo/index.js';

const count = Number(process.argv[2] ?? 200_000);
const data = geoDataset();

let seed = 42;
const random = () => {
  seed = (seed * 16_807) % 2_147_483_647;
  return seed / 2_147_483_647;
};
// Uniform over the country's bounding box: about half the points fall inside El Salvador.
const points: [number, number][] = Array.from({ length: count }, () => [
  -90.14 + random() * 2.47,
  13.14 + random() * 1.32,
]);

function baseline(lon: number, lat: number): string | null {
  const municipality = data.municipalities.find(
    (m) => bboxContains(m.bbox, lon, lat) && geometryContains(m.geometry, lon, lat),
  );
  if (municipality) return municipality.departmentCode;
  const department = data.departments.find(
    (d) => bboxContains(d.bbox, lon, lat) && geometryContains(d.geometry, lon, lat),
  );
  return department?.code ?? null;
}

function measure(name: string, run: (lon: number, lat: number) => unknown, sample: [number, number][]) {
  for (const [lon, lat] of sample.slice(0, Math.min(2_000, sample.length))) run(lon, lat); // warm-up
  const started = performance.now();
  for (const [lon, lat] of sample) run(lon, lat);
  const ms = performance.now() - started;
  return {
    name,
    points: sample.length,
    ms: Math.round(ms),
    perSecond: Math.round(sample.length / (ms / 1000)),
  };
}

// The baseline is slow: measure it on a slice so the run stays short.
const rows = [
  measure('baseline: ray casting, bbox prefilter only', baseline, points.slice(0, Math.ceil(count / 20))),
  measure('locate(): banded ray casting + bbox prefilters', locate, points),
];

let disagreements = 0;
for (const [lon, lat] of points.slice(0, 5_000)) {
  if ((locate(lon, lat).department?.code ?? null) !== baseline(lon, lat)) disagreements++;
}

console.table(rows);
console.log(
  `speed-up ×${(rows[1]!.perSecond / rows[0]!.perSecond).toFixed(1)}; department disagreements on 5,000 points: ${disagreements}`,
);
