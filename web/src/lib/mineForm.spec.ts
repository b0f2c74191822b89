import { describe, expect, it } from 'vitest';
import { createBody, numberErrors, parseNumber, patchBody, toModel } from './mineForm';
import type { Mine } from '../api/types';

const coal = {
  id: 1, code: '150725100001', name: '甲煤矿', enterprise_id: 2, enterprise_name: 'E', region_code: '150725', region_name: '陈巴尔虎旗',
  kind: 'coal_underground', status: 'producing', capacity: 1.2, capacity_unit: 'Mt/a', mining_depth_m: 300, lon: 119.4, lat: 49.3,
  mining_licence_no: 'C1', mining_licence_expiry: '2030-01-01', safety_licence_no: 'S1', safety_licence_expiry: '2028-01-01',
  gas_class: 'high', hydro_type: 'medium', rock_burst: 'none', spontaneous_combustion: 'easy', std_grade: 'grade2', std_grade_date: '',
  supervisor: '', insurance_expiry: '', outsourced: false, demo: true, warnings: [], created_at: '', updated_at: '', archived_at: null, archive_reason: '',
} as Mine;

describe('parseNumber', () => {
  it('reads numbers, empties and garbage', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('12a')).toBeNaN();
  });
});

describe('patchBody', () => {
  it('sends nothing when nothing changed', () => {
    expect(patchBody(toModel(coal), toModel(coal))).toEqual({});
  });
  it('sends only the changed fields, numbers as numbers', () => {
    const m = toModel(coal);
    m.name = '乙煤矿';
    m.lon = '200';
    m.capacity = '';
    expect(patchBody(toModel(coal), m)).toEqual({ name: '乙煤矿', lon: 200, capacity: null });
  });
  it('clears coal-only fields when a mine stops being coal', () => {
    const m = toModel(coal);
    m.kind = 'metal_underground';
    expect(patchBody(toModel(coal), m)).toEqual({ kind: 'metal_underground', gas_class: '', hydro_type: '', rock_burst: '', spontaneous_combustion: '' });
  });
  it('sends changed tailings fields nested', () => {
    const pond = { ...coal, kind: 'tailings_pond', gas_class: '', hydro_type: '', rock_burst: '', spontaneous_combustion: '',
      tailings: { capacity_10k_m3: 100, final_capacity_10k_m3: 200, dam_height_m: 30, final_dam_height_m: 40, method: 'upstream', wet: true, head_top: false,
        downstream_distance_m: null, state: 'operating', design_min_dry_beach_m: 70, design_freeboard_m: null, design_phreatic_depth_m: null, grade_raised: false, grade_raise_reason: '' } } as Mine;
    const m = toModel(pond);
    m.tailings.dam_height_m = '35';
    m.tailings.head_top = true;
    expect(patchBody(toModel(pond), m)).toEqual({ tailings: { dam_height_m: 35, head_top: true } });
  });
});

describe('createBody and numberErrors', () => {
  it('leaves empty fields out of a new mine', () => {
    const m = toModel(null);
    Object.assign(m, { name: '新矿', enterprise_id: 3, region_code: '150725', kind: 'metal_openpit', lon: '119.5', lat: '49.2' });
    expect(createBody(m)).toEqual({ name: '新矿', enterprise_id: 3, region_code: '150725', kind: 'metal_openpit', status: 'producing', lon: 119.5, lat: 49.2, outsourced: false });
  });
  it('names the fields that are not numbers', () => {
    const m = toModel(coal);
    m.lat = 'north';
    expect(numberErrors(m, 'x')).toEqual({ lat: 'x' });
  });
});
