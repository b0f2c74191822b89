import { describe, expect, it } from 'vitest';
import type { Clause, LedgerItem, LedgerTask, Production } from '../api/records';
import type { Principal } from '../api/types';
import {
  accidentApiQuery, accidentFilterFromQuery, accidentFilterToQuery, canEnterAccidents, canPostProduction, fmtPct, fmtShanghai, gradeByScores, gradeTagType,
  gridTotals, isCityLevel, itemStanding, monthsOf, numberOrNull, productionGrid, professionalShare, shanghaiLocal, shanghaiMonth, shanghaiToday, tabFromQuery,
  archiveReasonMissing, blankClause, clauseField, clauseFromForm, clauseIsEmpty, clauseToForm, mineNamesOf, normBinding, pickMine, taskBody, taskFormErrors,
  taskFormFrom, taskOrphanFields, taskPatch, taskReach,
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

describe('the task form', () => {
  const task = (over: Partial<LedgerTask> = {}): LedgerTask => ({
    id: 9, code: 'hoist-2026', title: '单绳提升机改造', plan_text: '原文', plan_ref: '专栏4', level: 'mine', recurrence: 'once', first_year: 0, deadline: '2026-12-31',
    binding: { clauses: [{ kinds: ['metal_underground'], statuses: ['producing'], hoist_types: ['single_rope'] }], include_mine_ids: [5], exclude_mine_ids: null, regions: null },
    summary: { items: 0, pending: 0, done: 0, verified: 0, due: 0, overdue: 0, completion_pct: null, verified_pct: null, undetermined: 0 },
    items: [], undetermined: [], archived_at: null, ...over,
  });
  const msg = { number: 'NUM', whole: 'WHOLE' };

  it('turns a clause into its form and back without losing a condition', () => {
    const c: Clause = {
      kinds: ['coal_openpit'], statuses: ['producing', 'constructing'], ownership: ['local_soe'], regions: ['150725'], name_contains: ['伊敏'], outsourced: true, uninsured: false,
      min_depth_m: 400, size_classes: ['large'], hoist_types: ['none'], high_risk: true, remote: false, power_circuits_below: 2, backup_power_hours_below: 8.5,
    };
    expect(clauseFromForm(clauseToForm(c))).toEqual(c);
    expect(clauseFromForm(blankClause())).toEqual({});
    expect(clauseIsEmpty(clauseFromForm(blankClause()))).toBe(true);
    expect(clauseFromForm({ ...blankClause(), name_contains: [' 宝日希勒 ', ''], high_risk: 'no' })).toEqual({ name_contains: ['宝日希勒'], high_risk: false });
  });

  it('builds the body of a new mine task with its filters and mines by hand', () => {
    const f = taskFormFrom();
    expect(f.level).toBe('mine');
    expect(f.clauses).toHaveLength(1);
    Object.assign(f, { code: ' coal-check ', title: ' 检查 ', deadline: '2027-06-30', first_year: '2026' });
    f.clauses[0].kinds = ['coal_underground', 'coal_openpit'];
    f.clauses[0].statuses = ['producing'];
    f.clauses[0].regions = ['150725'];
    f.include = [{ id: 3, name: '甲矿', region_name: '' }];
    f.exclude = [{ id: 4, name: '乙矿', region_name: '' }];
    expect(taskBody(f)).toEqual({
      code: 'coal-check', title: '检查', plan_text: '', plan_ref: '', level: 'mine', recurrence: 'once', deadline: '2027-06-30',
      binding: { clauses: [{ kinds: ['coal_underground', 'coal_openpit'], statuses: ['producing'], regions: ['150725'] }], include_mine_ids: [3], exclude_mine_ids: [4], regions: [] },
    });
    // A yearly task sends its first year; a division task binds divisions only; a city task nothing.
    expect(taskBody({ ...f, recurrence: 'yearly' }).first_year).toBe(2026);
    expect(taskBody({ ...f, level: 'division', regions: ['150781'] }).binding).toEqual({ clauses: [], include_mine_ids: [], exclude_mine_ids: [], regions: ['150781'] });
    expect(taskBody({ ...f, level: 'city', regions: ['150781'] }).binding).toEqual({ clauses: [], include_mine_ids: [], exclude_mine_ids: [], regions: [] });
  });

  it('patches only what changed, the binding as a whole', () => {
    const cur = task();
    const f = taskFormFrom(cur, new Map([[5, { id: 5, name: '丙矿', region_name: '牙克石市' }]]));
    expect(f.include).toEqual([{ id: 5, name: '丙矿', region_name: '牙克石市' }]);
    expect(taskPatch(f, cur)).toEqual({});
    f.deadline = '2027-03-31';
    expect(taskPatch(f, cur)).toEqual({ deadline: '2027-03-31' });
    f.exclude = [{ id: 6, name: '丁矿', region_name: '' }];
    expect(taskPatch(f, cur).binding).toEqual({ clauses: [{ kinds: ['metal_underground'], statuses: ['producing'], hoist_types: ['single_rope'] }], include_mine_ids: [5], exclude_mine_ids: [6], regions: [] });
    // The first year of a once task is never sent.
    expect(taskPatch({ ...taskFormFrom(cur), first_year: '2026' }, cur)).toEqual({});
    expect(taskPatch({ ...taskFormFrom(task({ recurrence: 'yearly', first_year: 2026 })), first_year: '2027' }, task({ recurrence: 'yearly', first_year: 2026 }))).toEqual({ first_year: 2027 });
    // Mines by hand the items don't name show as #id until looked up.
    expect(taskFormFrom(cur).include).toEqual([{ id: 5, name: '#5', region_name: '' }]);
    expect(normBinding(null)).toBe(normBinding({ clauses: [], include_mine_ids: [], exclude_mine_ids: [], regions: [] }));
  });

  it('catches numbers the API cannot read, keyed as the API keys its fields', () => {
    const f = taskFormFrom();
    f.clauses[0].min_depth_m = 'deep';
    f.clauses[0].power_circuits_below = '1.5';
    f.clauses[0].backup_power_hours_below = '7.5';
    f.clauses.push({ ...blankClause(), min_depth_m: '-1' });
    expect(taskFormErrors(f, msg)).toEqual({ 'binding.clauses[0].min_depth_m': 'NUM', 'binding.clauses[0].power_circuits_below': 'WHOLE', 'binding.clauses[1].min_depth_m': 'NUM' });
    expect(taskFormErrors({ ...f, level: 'city', recurrence: 'yearly', first_year: '2026.5' }, msg)).toEqual({ first_year: 'WHOLE' });
    expect(taskFormErrors(taskFormFrom(), msg)).toEqual({});
  });

  it('shows the API’s fields at their controls and the rest above the form', () => {
    const fields = { title: 'required', 'binding.clauses[1].kinds': 'each must be one of …', 'binding.clauses[2].kinds': 'x', nonsense: 'y' };
    expect(clauseField(1, 'kinds')).toBe('binding.clauses[1].kinds');
    expect(taskOrphanFields(fields, 2)).toEqual([['binding.clauses[2].kinds', 'x'], ['nonsense', 'y']]);
  });

  it('adds a mine to one list by hand and takes it off the other', () => {
    const a = { id: 1, name: 'A', region_name: '' };
    const b = { id: 2, name: 'B', region_name: '' };
    expect(pickMine([a], [b], b)).toEqual({ into: [a, b], other: [] });
    expect(pickMine([a], [], a)).toEqual({ into: [a], other: [] });
  });

  it('counts whom the task binds from its items', () => {
    const it = (mine_id: number | null, bound: boolean, region_code = '150725') => ({ mine_id, bound, region_code }) as LedgerItem;
    const t = task({ items: [it(1, true), it(1, true), it(2, true), it(3, false)], undetermined: [{ mine_id: 7, mine_name: '', region_code: '', missing: ['size_class'] }] });
    expect(taskReach(t)).toEqual({ owners: 2, items: 3, undetermined: 1 });
    expect(taskReach(task({ level: 'division', items: [it(null, true, '150781'), it(null, true, '150725')], undetermined: null }))).toEqual({ owners: 2, items: 2, undetermined: 0 });
    expect(mineNamesOf(task({ items: [{ ...it(1, true), mine_name: '甲', region_name: '陈旗' }] })).get(1)).toEqual({ id: 1, name: '甲', region_name: '陈旗' });
  });

  it('requires an archive reason', () => {
    expect(archiveReasonMissing('  ')).toBe(true);
    expect(archiveReasonMissing('重复任务')).toBe(false);
  });
});
