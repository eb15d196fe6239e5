// Derives the outline the map draws from Natural Earth's 1:50m countries
// (public domain), as the npm package world-atlas ships them, at `make assets`
// time: nothing is fetched when a page is drawn. Writes longitude/latitude rings
// (maps.outline projects them, as it projects the councils); small islands and
// points closer together than the map can show are left out.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const COUNTRIES = { 826: "United Kingdom", 372: "Ireland" };
const MIN_STEP_DEGREES = 0.04; // about 3 km: under a pixel at the size the map is drawn
const MIN_POINTS = 4; // rings that thin to fewer are islands too small to see

function thin(ring) {
  const kept = [ring[0]];
  for (const point of ring.slice(1)) {
    const last = kept[kept.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= MIN_STEP_DEGREES) kept.push(point);
  }
  return kept.map(([lon, lat]) => [Math.round(lon * 1000) / 1000, Math.round(lat * 1000) / 1000]);
}

function rings(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  // The outer ring of each polygon: lakes are not drawn.
  return polygons.map((polygon) => thin(polygon[0])).filter((ring) => ring.length >= MIN_POINTS);
}

const output = process.argv[2];
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const countries = {};
for (const country of feature(topology, topology.objects.countries).features) {
  const name = COUNTRIES[Number(country.id)];
  if (name) countries[name] = rings(country.geometry);
}
if (Object.keys(countries).length !== Object.keys(COUNTRIES).length) {
  throw new Error(`world-atlas lacks some of ${Object.values(COUNTRIES).join(", ")}`);
}
const { version } = require("world-atlas/package.json");
const source = `Natural Earth 1:50m countries (public domain), from world-atlas ${version}`;
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify({ source, countries }));
