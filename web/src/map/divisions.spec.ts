import { describe, expect, it } from 'vitest';
import { bounds, divisionAt, divisions, labelPoint, contains } from './divisions';

const CODES = ['150702', '150703', '150721', '150722', '150723', '150724', '150725', '150726', '150727', '150781', '150782', '150783', '150784', '150785'];

describe('the derived division polygons', () => {
  it('has the 14 divisions of Hulunbuir with their GB/T 2260 codes', () => {
    expect(divisions.features.map((f) => f.id).sort()).toEqual(CODES);
    for (const f of divisions.features) expect(f.properties.code).toBe(f.id);
  });
  it('has closed rings within the city', () => {
    const [[s, w], [n, e]] = bounds(null);
    expect(w).toBeGreaterThan(115);
    expect(e).toBeLessThan(127);
    expect(s).toBeGreaterThan(47);
    expect(n).toBeLessThan(53.6);
    for (const f of divisions.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const ring of polys.flat()) expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });
  it('places each label inside its division', () => {
    for (const f of divisions.features) expect(contains(f, labelPoint(f))).toBe(true);
  });
  it('finds the division of a point', () => {
    // The seat of 海拉尔区 and the town of 满洲里.
    expect(divisionAt([119.76, 49.21])?.properties.name).toBe('海拉尔区');
    expect(divisionAt([117.43, 49.6])?.properties.name).toBe('满洲里市');
    expect(divisionAt([100, 40])).toBeUndefined();
  });
});
