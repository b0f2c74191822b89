import { describe, expect, it } from 'vitest';
import { ALARM_FILL, alarmDivisionFill, divisionFill, layerOf, NO_ALARM_FILL, topLevel, mapState, markerSvg, mineColor, NO_REQUIRED_COLOR, STATE_COLOR, STATE_SEVERITY } from './style';
import type { CoverageRow } from '../api/types';

describe('mapState', () => {
  it('is neutral until the state is known', () => {
    expect(mapState(undefined)).toBe('unmonitored');
    expect(mapState({ online: null, monitored: null, alarm: null })).toBe('unmonitored');
  });
  it('tells online from offline for monitored mines', () => {
    expect(mapState({ online: true, monitored: true, alarm: null })).toBe('online');
    expect(mapState({ online: false, monitored: true, alarm: null })).toBe('offline');
  });
  it('keeps a mine without points neutral, not offline', () => {
    expect(mapState({ online: false, monitored: false, alarm: null })).toBe('unmonitored');
  });
  it('lets the alarm level win over online state', () => {
    expect(mapState({ online: true, monitored: true, alarm: 'red' })).toBe('alarm-red');
    expect(mapState({ online: false, monitored: true, alarm: 'blue' })).toBe('alarm-blue');
    expect(mineColor({ online: true, monitored: true, alarm: 'orange' })).toBe(STATE_COLOR['alarm-orange']);
  });
  it('ranks alarms above offline above online for clusters', () => {
    expect(STATE_SEVERITY['alarm-blue']).toBeGreaterThan(STATE_SEVERITY.offline);
    expect(STATE_SEVERITY.offline).toBeGreaterThan(STATE_SEVERITY.online);
    expect(STATE_SEVERITY.online).toBeGreaterThan(STATE_SEVERITY.unmonitored);
  });
});

describe('layers and shapes', () => {
  it('puts each kind in its layer', () => {
    expect(layerOf('coal_underground')).toBe('coal');
    expect(layerOf('coal_openpit')).toBe('coal');
    expect(layerOf('metal_underground')).toBe('noncoal');
    expect(layerOf('metal_openpit')).toBe('noncoal');
    expect(layerOf('tailings_pond')).toBe('tailings');
  });
  it('draws a shape per kind in the colour given', () => {
    expect(markerSvg('coal_underground', '#123456')).toContain('<circle');
    expect(markerSvg('coal_openpit', '#123456')).toContain('<rect');
    expect(markerSvg('tailings_pond', '#123456')).toContain('<polygon');
    expect(markerSvg('metal_openpit', '#123456')).toContain('fill="#123456"');
    expect(markerSvg('metal_openpit', '#123456', 18, 'closed')).toContain('fill-opacity');
  });
});

describe('divisionFill', () => {
  const row = (required: number, online: number) => ({ required, online }) as CoverageRow;
  it('is neutral without required mines', () => {
    expect(divisionFill(undefined)).toBe(NO_REQUIRED_COLOR);
    expect(divisionFill(row(0, 0))).toBe(NO_REQUIRED_COLOR);
  });
  it('grows greener with the online share', () => {
    expect(divisionFill(row(10, 0))).not.toBe(divisionFill(row(10, 10)));
    expect(divisionFill(row(10, 9))).toBe(divisionFill(row(10, 10)));
    expect(divisionFill(row(10, 1))).toBe(divisionFill(row(10, 0)));
  });
});

describe('division shading by alarms', () => {
  it('takes the highest level any mine of the division is at', () => {
    expect(topLevel({ blue: 3, orange: 1 })).toBe('orange');
    expect(topLevel({ red: 0, yellow: 2 })).toBe('yellow');
    expect(topLevel({})).toBeNull();
    expect(alarmDivisionFill({ red: 1, blue: 4 })).toBe(ALARM_FILL.red);
    expect(alarmDivisionFill(undefined)).toBe(NO_ALARM_FILL);
  });
});
