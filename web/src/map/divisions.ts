// The offline base map: the 14 county-level divisions of Hulunbuir in WGS84
// (web/geo/hulunbuir-divisions.json, derived by tools/derive-divisions.mjs;
// the Go server embeds the same file).
import data from '../../geo/hulunbuir-divisions.json';

export type Ring = [number, number][];
export interface DivisionFeature {
  type: 'Feature';
  id: string;
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}
export interface DivisionCollection {
  type: 'FeatureCollection';
  features: DivisionFeature[];
}

export const divisions = data as unknown as DivisionCollection;

function polygons(f: DivisionFeature): Ring[][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

export function inRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function contains(f: DivisionFeature, pt: [number, number]): boolean {
  return polygons(f).some((poly) => inRing(pt, poly[0]) && !poly.slice(1).some((h) => inRing(pt, h)));
}

/** The division a point lies in, if any. */
export function divisionAt(pt: [number, number]): DivisionFeature | undefined {
  return divisions.features.find((f) => contains(f, pt));
}

/** [[minLat, minLon], [maxLat, maxLon]] of some divisions (all when codes is null). */
export function bounds(codes: string[] | null): [[number, number], [number, number]] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of divisions.features) {
    if (codes && !codes.includes(f.id)) continue;
    for (const poly of polygons(f)) {
      for (const [x, y] of poly[0]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [[minY, minX], [maxY, maxX]];
}

function distToRing([x, y]: [number, number], ring: Ring, k: number): number {
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1];
    const [bx, by] = ring[i];
    const dx = (bx - ax) * k;
    const dy = by - ay;
    const l2 = dx * dx + dy * dy;
    const t = l2 ? Math.max(0, Math.min(1, (((x - ax) * k) * dx + (y - ay) * dy) / l2)) : 0;
    best = Math.min(best, Math.hypot((x - ax) * k - t * dx, y - ay - t * dy));
  }
  return best;
}

/**
 * A point well inside a division for its label: on a grid over its largest
 * polygon, the inside point farthest from the border.
 */
export function labelPoint(f: DivisionFeature): [number, number] {
  const polys = polygons(f);
  let poly = polys[0];
  let area = 0;
  for (const p of polys) {
    let a = 0;
    const r = p[0];
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
    if (Math.abs(a) > area) {
      area = Math.abs(a);
      poly = p;
    }
  }
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of poly[0]) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const n = 24;
  let best: [number, number] = [(minX + maxX) / 2, (minY + maxY) / 2];
  let bestD = -1;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const pt: [number, number] = [minX + ((maxX - minX) * i) / n, minY + ((maxY - minY) * j) / n];
      if (!inRing(pt, poly[0]) || poly.slice(1).some((h) => inRing(pt, h))) continue;
      const d = Math.min(...poly.map((r) => distToRing(pt, r, k)));
      if (d > bestD) {
        bestD = d;
        best = pt;
      }
    }
  }
  return best;
}
