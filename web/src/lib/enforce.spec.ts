import { describe, expect, it } from 'vitest';
import type { Principal } from '../api/types';
import type { ViolationType } from '../api/enforce';
import {
  canBlacklist, canDecide, canRecordInspection, canSeePlans, canSetBaseline, checkFine, cleanFinding, cleanInspectors, decisionProblems, decisionSteps,
  findingProblems, inspectionProblems, inspectionSteps, isSealed, parseYuan, yuan,
} from './enforce';

const types: ViolationType[] = [
  {
    code: 'hazard_not_eliminated', name: '未按规定排查治理事故隐患', legal_basis: '第四十一条',
    light: { min_yuan: 5000, max_yuan: 15000 }, general: { min_yuan: 15000, max_yuan: 30000 }, serious: { min_yuan: 30000, max_yuan: 50000 },
  },
];
const who = (role: Principal['role'], regions: string[] = [], enterprise_id: number | null = null): Principal => ({ id: 1, username: role, display_name: role, role, regions, enterprise_id });

describe('fine range', () => {
  it('takes both edges as inside', () => {
    expect(checkFine(types, 'hazard_not_eliminated', 'general', 15000).outside).toBe(false);
    expect(checkFine(types, 'hazard_not_eliminated', 'general', 30000).outside).toBe(false);
    expect(checkFine(types, 'hazard_not_eliminated', 'general', 14999).outside).toBe(true);
    expect(checkFine(types, 'hazard_not_eliminated', 'general', 30001).outside).toBe(true);
  });
  it('needs a reason only outside the range', () => {
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 60000).needsReason).toBe(true);
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 60000, '  ').needsReason).toBe(true);
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 60000, '多次整改不到位').needsReason).toBe(false);
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 10000).needsReason).toBe(false);
  });
  it('gives the range of the circumstance, none for an unknown type', () => {
    expect(checkFine(types, 'hazard_not_eliminated', 'serious', 1).range).toEqual({ min_yuan: 30000, max_yuan: 50000 });
    expect(checkFine(types, 'nope', 'serious', 1).range).toBeNull();
    expect(checkFine(types, 'hazard_not_eliminated', '', 1).range).toBeNull();
  });
  it('takes only positive whole yuan', () => {
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 100.5).valid).toBe(false);
    expect(checkFine(types, 'hazard_not_eliminated', 'light', 0).valid).toBe(false);
    expect(parseYuan('12,000')).toBe(12000);
    expect(parseYuan('12000.5')).toBeNull();
    expect(parseYuan('-5')).toBeNull();
    expect(parseYuan('')).toBeNull();
    expect(yuan(1234567)).toBe('1,234,567');
  });
  it('asks for a reason in the decision form outside the range', () => {
    const p = decisionProblems({ kind: 'fine', violation_type: 'hazard_not_eliminated', circumstance: 'general', amount: '60000', reason: '' }, types, '2026-11-29');
    expect(Object.keys(p)).toEqual(['reason']);
    expect(p.reason.params).toEqual({ min: '15,000', max: '30,000' });
    expect(decisionProblems({ kind: 'fine', violation_type: 'hazard_not_eliminated', circumstance: 'general', amount: '60000', reason: '屡查屡犯' }, types, '2026-11-29')).toEqual({});
    expect(Object.keys(decisionProblems({ kind: 'fine', amount: 'x' }, types, '2026-11-29')).sort()).toEqual(['amount_yuan', 'circumstance', 'violation_type']);
  });
  it('checks the deadline of an order to rectify', () => {
    expect(decisionProblems({ kind: 'rectify', deadline: '' }, types, '2026-11-29').deadline.key).toBe('deadline');
    expect(decisionProblems({ kind: 'rectify', deadline: '2026-11-28' }, types, '2026-11-29').deadline.key).toBe('deadlineToday');
    expect(decisionProblems({ kind: 'rectify', deadline: '2026-11-29' }, types, '2026-11-29')).toEqual({});
    expect(decisionProblems({ kind: 'halt' }, types, '2026-11-29')).toEqual({});
    expect(decisionProblems({ kind: '' }, types, '2026-11-29').kind.key).toBe('kind');
  });
});

describe('steps by role and state', () => {
  const fine = { kind: 'fine' as const, state: 'proposed' as const, received_at: null };
  it('follows the API actions when given', () => {
    expect(decisionSteps({ ...fine, actions: ['issue', 'withdraw'] }, 'enterprise')).toEqual(['issue', 'withdraw']);
    expect(decisionSteps({ ...fine, actions: [] }, 'admin')).toEqual([]);
  });
  it('offers regulators issue and withdraw of a proposed fine, the mine nothing', () => {
    expect(decisionSteps(fine, 'county')).toEqual(['issue', 'withdraw']);
    expect(decisionSteps(fine, 'enterprise')).toEqual([]);
    expect(decisionSteps(fine, 'inspector')).toEqual([]);
  });
  it('offers the mine receipt and payment of an issued fine', () => {
    expect(decisionSteps({ kind: 'fine', state: 'issued', received_at: null }, 'enterprise')).toEqual(['receipt', 'report-payment']);
    expect(decisionSteps({ kind: 'fine', state: 'issued', received_at: '2026-11-29T00:00:00Z' }, 'enterprise')).toEqual(['report-payment']);
    expect(decisionSteps({ kind: 'fine', state: 'issued', received_at: null }, 'city')).toEqual(['transfer']);
    expect(decisionSteps({ kind: 'fine', state: 'payment_reported', received_at: null }, 'admin')).toEqual(['confirm-payment', 'reject-payment']);
  });
  it('lifts a halt in force only, by a regulator', () => {
    expect(decisionSteps({ kind: 'halt', state: 'in_force', received_at: null }, 'city')).toEqual(['lift']);
    expect(decisionSteps({ kind: 'halt', state: 'lifted', received_at: null }, 'city')).toEqual([]);
    expect(decisionSteps({ kind: 'halt', state: 'in_force', received_at: 'x' }, 'enterprise')).toEqual([]);
  });
  it('gives the inspection loop steps by role', () => {
    expect(inspectionSteps({ state: 'draft' }, 'inspector')).toEqual(['add-finding', 'submit']);
    expect(inspectionSteps({ state: 'submitted' }, 'inspector')).toEqual([]);
    expect(inspectionSteps({ state: 'submitted' }, 'county')).toEqual(['decisions', 'close']);
    expect(inspectionSteps({ state: 'decided' }, 'inspector')).toEqual(['recheck']);
    expect(inspectionSteps({ state: 'decided' }, 'enterprise')).toEqual([]);
    expect(inspectionSteps({ state: 'closed', actions: [] }, 'admin')).toEqual([]);
  });
  it('hides what a role cannot do', () => {
    expect(canRecordInspection(who('inspector'))).toBe(true);
    expect(canRecordInspection(who('enterprise'))).toBe(false);
    expect(canDecide(who('inspector'))).toBe(false);
    expect(canDecide(who('county', ['150725']))).toBe(true);
    expect(canSeePlans(who('enterprise'))).toBe(false);
    expect(canBlacklist(who('county', ['150725']), ['150782'])).toBe(false);
    expect(canBlacklist(who('county', ['150725']), ['150725'])).toBe(true);
    expect(canBlacklist(who('city', ['150700']))).toBe(true);
    expect(canBlacklist(who('inspector', ['150725']), ['150725'])).toBe(false);
    expect(canSetBaseline(who('county', ['150725']), '150782')).toBe(false);
    expect(canSetBaseline(who('admin'), '150782')).toBe(true);
    expect(isSealed('halted') && isSealed('suspended') && isSealed('closed')).toBe(true);
    expect(isSealed('producing')).toBe(false);
  });
});

describe('inspection form', () => {
  const ok = {
    mine_id: 3,
    date: '2026-11-29',
    inspectors: [
      { name: '张三', certificate_no: '15070001' },
      { name: '李四', certificate_no: '15070002' },
    ],
    findings: [],
  };
  it('accepts a complete form', () => {
    expect(inspectionProblems(ok, '2026-11-29')).toEqual({});
  });
  it('needs two inspectors with distinct certificate numbers', () => {
    expect(inspectionProblems({ ...ok, inspectors: [ok.inspectors[0], { name: '', certificate_no: '' }] }, '2026-11-29').inspectors.key).toBe('twoInspectors');
    const twice = inspectionProblems({ ...ok, inspectors: [ok.inspectors[0], { name: '李四', certificate_no: '15070001' }] }, '2026-11-29');
    expect(twice['inspectors[1].certificate_no'].key).toBe('twice');
    const noCert = inspectionProblems({ ...ok, inspectors: [ok.inspectors[0], { name: '李四', certificate_no: ' ' }] }, '2026-11-29');
    expect(noCert['inspectors[1].certificate_no'].key).toBe('certificate');
  });
  it('refuses a missing mine and a future date', () => {
    const p = inspectionProblems({ ...ok, mine_id: null, date: '2026-11-30' }, '2026-11-29');
    expect(p.mine_id.key).toBe('mine');
    expect(p.date.key).toBe('dateFuture');
  });
  it('checks findings as the API does', () => {
    expect(findingProblems({ description: 'x' }, 'f', '2026-11-29')['f.becomes_hazard'].key).toBe('hazardOrViolation');
    expect(findingProblems({ description: 'x', violation_type: 'hazard_not_eliminated' }, 'f', '2026-11-29')).toEqual({});
    const major = findingProblems({ description: 'x', becomes_hazard: true, hazard_level: 'major', deadline: '2026-11-28' }, 'f', '2026-11-29');
    expect(major['f.criterion_code'].key).toBe('criterion');
    expect(major['f.deadline'].key).toBe('deadlineBefore');
    expect(findingProblems({ description: ' ', becomes_hazard: true, hazard_level: 'general', deadline: '2026-12-10' }, 'f', '2026-11-29')['f.description'].key).toBe('description');
  });
  it('sends only what each finding kind uses', () => {
    expect(cleanFinding({ description: ' a ', becomes_hazard: false, hazard_level: 'major', criterion_code: 'x', deadline: '2026-12-01', violation_type: 'v', legal_basis: '' })).toEqual({ description: 'a', violation_type: 'v' });
    expect(cleanFinding({ description: 'a', becomes_hazard: true, hazard_level: 'general', criterion_code: 'x', deadline: '2026-12-01', violation_type: '' })).toEqual({
      description: 'a', becomes_hazard: true, hazard_level: 'general', deadline: '2026-12-01',
    });
    expect(cleanInspectors([{ name: ' 张三 ', certificate_no: ' 1 ' }, { name: '', certificate_no: '' }])).toEqual([{ name: '张三', certificate_no: '1' }]);
  });
});

describe('messages', () => {
  it('has every zh-CN key in English too', async () => {
    const m = (await import('../i18n/modules/enforce')).default;
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(m.en).sort()).toEqual(keys(m['zh-CN']).sort());
    expect(keys(m['zh-CN']).length).toBeGreaterThan(100);
  });
});
