import { describe, expect, it } from 'vitest';
import type { Production } from '../api/records';
import type { Principal } from '../api/types';
import {
  accidentApiQuery, accidentFilterFromQuery, accidentFilterToQuery, canEnterAccidents, canPostProduction, fmtPct, fmtShanghai, gradeByScores, gradeTagType,
  gridTotals, isCityLevel, itemStanding, monthsOf, numberOrNull, productionGrid, professionalShare, shanghaiLocal, shanghaiMonth, shanghaiToday, tabFromQuery,
} from './records';

const prod = (mine_id: number, month: string, tonnes: number, extra: Partial<Production> = {}): Production => ({
  id: mine_id * 100 + Number(month.slice(5)), mine_id, mine_code: `M${mine_id}`, mine_name: `矿${mine_id}`, mine_kind: 'coal_underground', coal: true,
  region_code: '150725', region_name: '陈巴尔虎旗', enterprise_id: 1, month, tonnes, source: 'entry', note: '', created_at: '', updated_at: '', ...extra,
});
const who = (role: Principal['role']): Principal => ({ id: 1, username: role, display_name: role, role, regions: [], enterprise_id: null } as unknown as Principal);

describe('accident filter', () => {
  it('reads only valid values from the address and writes them back', () => {
    const f = accidentFilterFromQuery({ year: '2026', region_code: '150725', mine_id: '12', type: 'roof,meteor,water', grade: 'larger,bad', q: ' 冒顶 ' });
    expect(f).toEqual({ year: '2026', region_code: '150725', mine_id: '12', type: ['roof', 'water'], grade: ['larger'], q: ' 冒顶 ' });
    expect(accidentFilterToQuery(f)).toEqual({ year: '2026', region_code: '150725', mine_id: '12', type: 'roof,water', grade: 'larger', q: '冒顶' });
    expect(accidentFilterFromQuery({ year: '26', mine_id: 'x' })).toMatchObject({ year: '', mine_id: '' });
    expect(accidentApiQuery(accidentFilterFromQuery({}), { limit: 20 })).toEqual({ limit: 20 });
  });
  it('falls back to the accidents tab', () => {
    expect(tabFromQuery({ tab: 'ledger' })).toBe('ledger');
    expect(tabFromQuery({ tab: 'nope' })).toBe('accidents');
    expect(tabFromQuery({})).toBe('accidents');
  });
});

describe('times in Asia/Shanghai', () => {
  it('turns an instant into the wall clock of Shanghai', () => {
    expect(shanghaiLocal('2025-12-31T16:30:00Z')).toBe('2026-01-01T00:30');
    expect(fmtShanghai('2026-03-10T00:00:00Z')).toBe('2026-03-10 08:00');
    expect(fmtShanghai(null)).toBe('—');
    expect(shanghaiToday(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01');
    expect(shanghaiMonth(new Date('2026-06-30T15:59:00Z'))).toBe('2026-06');
  });
});

describe('numbers from form fields', () => {
  it('keeps empty as null and bad as NaN', () => {
    expect(numberOrNull('')).toBeNull();
    expect(numberOrNull('  ')).toBeNull();
    expect(numberOrNull('3')).toBe(3);
    expect(numberOrNull('-1')).toBe(-1);
    expect(numberOrNull('12,000,000')).toBe(12_000_000);
    expect(numberOrNull('abc')).toBeNaN();
  });
});

describe('grades', () => {
  it('colours the graver grades', () => {
    expect(gradeTagType('general')).toBe('info');
    expect(gradeTagType('larger')).toBe('warning');
    expect(gradeTagType('especially_major')).toBe('danger');
  });
  it('reads the §7.4 score rule at its bounds', () => {
    const parts = (d: number, p: number, b: number) => ({ disaster_prevention: d, professional_management: p, basic_management: b });
    expect(gradeByScores(90, parts(90, 90, 85))).toBe('grade1');
    expect(gradeByScores(90, parts(89.9, 90, 85))).toBe('grade2');
    expect(gradeByScores(95, parts(95, 95, 84))).toBe('grade2');
    expect(gradeByScores(80, parts(80, 80, 80))).toBe('grade2');
    expect(gradeByScores(85, parts(79, 90, 90))).toBe('grade3');
    expect(gradeByScores(69, parts(70, 70, 70))).toBe('');
    expect(gradeByScores(null, null)).toBe('');
  });
});

describe('production grid', () => {
  it('lays out a year by mine and month and sums both ways', () => {
    const rows = productionGrid([prod(1, '2026-01', 100), prod(1, '2026-03', 50), prod(2, '2026-01', 7), prod(2, '2025-12', 999)], 2026);
    expect(rows.map((r) => r.mine_id)).toEqual([1, 2]);
    expect(rows[0].months[0]?.tonnes).toBe(100);
    expect(rows[0].months[1]).toBeNull();
    expect(rows[0].months[2]?.tonnes).toBe(50);
    expect(rows[0].total).toBe(150);
    expect(rows[1].total).toBe(7); // December 2025 is not in 2026
    const tot = gridTotals(rows);
    expect(tot.months[0]).toBe(107);
    expect(tot.total).toBe(157);
  });
  it('has twelve months', () => {
    expect(monthsOf(2026)).toHaveLength(12);
    expect(monthsOf(2026)[11]).toBe('2026-12');
  });
});

describe('professional share', () => {
  it('counts only people on the roll against the 75 % floor', () => {
    const s = (professional: boolean, on_roll = true, archived_at: string | null = null) => ({ professional, on_roll, archived_at });
    expect(professionalShare([s(true), s(true), s(true), s(false)])).toEqual({ professional: 3, total: 4, pct: 75, met: true });
    expect(professionalShare([s(true), s(true), s(false), s(true, false), s(true, true, '2026-01-01')])).toMatchObject({ professional: 2, total: 3, met: false });
    expect(professionalShare([])).toEqual({ professional: 0, total: 0, pct: null, met: null });
  });
});

describe('ledger items', () => {
  it('flags overdue first, then due soon', () => {
    expect(itemStanding({ state: 'pending', overdue: true, late: false, days_left: -3 })).toBe('overdue');
    expect(itemStanding({ state: 'pending', overdue: false, late: false, days_left: 30 })).toBe('soon');
    expect(itemStanding({ state: 'pending', overdue: false, late: false, days_left: 400 })).toBe('pending');
    expect(itemStanding({ state: 'done', overdue: false, late: true, days_left: -3 })).toBe('done');
    expect(itemStanding({ state: 'verified', overdue: false, late: false, days_left: 0 })).toBe('verified');
    expect(fmtPct(66.666)).toBe('66.7%');
    expect(fmtPct(null)).toBe('—');
  });
});

describe('who sees which buttons', () => {
  it('offers accident entry to admin, city and county only', () => {
    expect(canEnterAccidents(who('county'))).toBe(true);
    expect(canEnterAccidents(who('inspector'))).toBe(false);
    expect(canEnterAccidents(who('enterprise'))).toBe(false);
    expect(canPostProduction(who('enterprise'))).toBe(true);
    expect(canPostProduction(who('observer'))).toBe(false);
    expect(isCityLevel(who('city'))).toBe(true);
    expect(isCityLevel(who('county'))).toBe(false);
    expect(canEnterAccidents(null)).toBe(false);
  });
});
