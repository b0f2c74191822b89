// @vitest-environment node
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { gcj02ToWgs84, gcjOffset, wgs84ToGcj02 } from './gcj02.mjs';

describe('GCJ-02', () => {
  it('inverts the forward transform to well under a metre', () => {
    for (const [lon, lat] of [[119.77, 49.22], [117.38, 49.6], [124.5, 48.5], [121.5, 52.5]]) {
      const [x, y] = gcj02ToWgs84(...(wgs84ToGcj02(lon, lat) as [number, number]));
      expect(Math.abs(x - lon)).toBeLessThan(1e-7);
      expect(Math.abs(y - lat)).toBeLessThan(1e-7);
    }
  });
  it('shifts Hulunbuir by a few hundred metres east and north', () => {
    const [dLon, dLat] = gcjOffset(119.77, 49.22);
    const east = dLon * 111_320 * Math.cos((49.22 * Math.PI) / 180);
    const north = dLat * 110_540;
    expect(east).toBeGreaterThan(400);
    expect(east).toBeLessThan(700);
    expect(north).toBeGreaterThan(100);
    expect(north).toBeLessThan(300);
  });
});
