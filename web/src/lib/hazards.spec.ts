import { describe, expect, it } from 'vitest';
import {
  availableSteps, emptyHazardForm, emptyRiskForm, gradeScore, hazardBody, hazardFilterFromQuery, hazardFilterToQuery, industryOf, riskBody, riskScore,
  sourcesFor, stepsFor, validateHazard, validateRisk, validateStep, waitingFor,
} from './hazards';

describe('the loop: steps by role, level and state', () => {
  it('lets the mine plan, start and rectify, and nobody else but admin', () => {
    expect(stepsFor('enterprise', 'major', 'reported')).toEqual(['plan']);
    expect(stepsFor('enterprise', 'major', 'planned')).toEqual(['start']);
    expect(stepsFor('enterprise', 'major', 'rectifying')).toEqual(['rectified']);
    expect(stepsFor('county', 'major', 'reported')).toEqual([]);
    expect(stepsFor('city', 'general', 'rectifying')).toEqual([]);
    expect(stepsFor('admin', 'major', 'reported')).toEqual(['plan']);
  });

  it('keeps verify, return and close of a major hazard to regulators', () => {
    expect(stepsFor('enterprise', 'major', 'rectified')).toEqual([]);
    expect(stepsFor('enterprise', 'major', 'verified')).toEqual([]);
    expect(stepsFor('county', 'major', 'rectified')).toEqual(['verify', 'return']);
    expect(stepsFor('inspector', 'major', 'rectified')).toEqual(['verify', 'return']);
    expect(stepsFor('city', 'major', 'verified')).toEqual(['return', 'close']);
    // an inspector verifies but does not close (销号 is county or city)
    expect(stepsFor('inspector', 'major', 'verified')).toEqual(['return']);
  });

  it('lets a mine verify and close its own general hazard (自查自改)', () => {
    expect(stepsFor('enterprise', 'general', 'rectified')).toEqual(['verify', 'return']);
    expect(stepsFor('enterprise', 'general', 'verified')).toEqual(['return', 'close']);
  });

  it('offers nothing on a closed hazard, nor to observers and rescue', () => {
    for (const r of ['admin', 'city', 'county', 'inspector', 'enterprise'] as const) expect(stepsFor(r, 'major', 'closed')).toEqual([]);
    expect(stepsFor('observer', 'general', 'reported')).toEqual([]);
    expect(stepsFor('rescue', 'general', 'rectified')).toEqual([]);
    expect(stepsFor(undefined, 'general', 'reported')).toEqual([]);
  });

  it('follows the API’s actions when it gave them, in loop order', () => {
    expect(availableSteps({ level: 'major', state: 'rectified', actions: ['return', 'verify'] }, 'city')).toEqual(['verify', 'return']);
    // the API knows the scope: a county outside the division gets nothing
    expect(availableSteps({ level: 'major', state: 'rectified', actions: [] }, 'county')).toEqual([]);
    expect(availableSteps({ level: 'major', state: 'rectified' }, 'county')).toEqual(['verify', 'return']);
  });

  it('says who is to act next', () => {
    expect(waitingFor({ level: 'major', state: 'planned' })).toBe('mine');
    expect(waitingFor({ level: 'major', state: 'rectified' })).toBe('regulator');
    expect(waitingFor({ level: 'general', state: 'verified' })).toBe('mineOrRegulator');
    expect(waitingFor({ level: 'general', state: 'closed' })).toBe('none');
  });
});

describe('who reports what', () => {
  it('offers the mine its own checks and third-party findings, regulators inspections and public reports', () => {
    expect(sourcesFor('enterprise')).toEqual(['self_inspection', 'third_party']);
    expect(sourcesFor('county')).toEqual(['inspection', 'report', 'third_party']);
    expect(sourcesFor('admin')).toEqual(['self_inspection', 'inspection', 'report', 'third_party']);
    expect(sourcesFor('observer')).toEqual([]);
  });

  it('maps mine kinds to catalogues', () => {
    expect(industryOf('coal_openpit')).toBe('coal');
    expect(industryOf('coal_underground')).toBe('coal');
    expect(industryOf('metal_underground')).toBe('metal_underground');
    expect(industryOf('metal_openpit')).toBe('metal_openpit');
    expect(industryOf('tailings_pond')).toBe('tailings');
    expect(industryOf('quarry')).toBe('');
  });
});

describe('form checks', () => {
  const today = '2026-11-29';
  it('needs a criterion for a major hazard and a deadline not before today', () => {
    const f = { ...emptyHazardForm(), mine_id: 3, level: 'major' as const, source: 'self_inspection' as const, description: ' x ', deadline: '2026-11-28' };
    expect(validateHazard(f, today)).toEqual({ deadline: 'past', criterion_code: 'required' });
    expect(validateHazard({ ...f, deadline: '2026-11-29', criterion_code: 'C5.2' }, today)).toEqual({});
    expect(validateHazard(emptyHazardForm(), today)).toEqual({ mine_id: 'required', source: 'required', description: 'required', deadline: 'required' });
  });

  it('sends a criterion only with a major hazard', () => {
    const f = { ...emptyHazardForm(), mine_id: 3, level: 'general' as const, source: 'self_inspection' as const, description: ' 漏风 ', deadline: '2026-12-01', criterion_code: 'C5.2' };
    expect(hazardBody(f)).toEqual({ mine_id: 3, level: 'general', source: 'self_inspection', description: '漏风', deadline: '2026-12-01' });
    expect(hazardBody({ ...f, level: 'major' }).criterion_code).toBe('C5.2');
  });

  it('lets a hazard from an alarm take the alarm’s message and sends the alarm', () => {
    const f = { ...emptyHazardForm(), mine_id: 3, source: 'monitoring' as const, alarm_id: 55, deadline: '2026-12-01' };
    expect(validateHazard(f, today)).toEqual({});
    expect(hazardBody(f)).toMatchObject({ source: 'monitoring', alarm_id: 55, description: '' });
    expect(validateHazard({ ...f, alarm_id: null }, today)).toEqual({ description: 'required' });
    expect('alarm_id' in hazardBody({ ...f, source: 'self_inspection' })).toBe(false);
  });

  it('asks a major hazard’s plan for the five fixes, a general one for measures', () => {
    expect(validateStep('plan', 'major', {})).toEqual({ measures: 'required', responsibility: 'required', contingency: 'required', deadline: 'required', funds_yuan: 'required' });
    expect(validateStep('plan', 'general', {})).toEqual({ measures: 'required' });
    const five = { responsibility: '通风区', measures: '补建', funds_yuan: 0, deadline: '2026-12-10', contingency: '停产撤人' };
    expect(validateStep('plan', 'major', five, '2026-12-20')).toEqual({});
    expect(validateStep('plan', 'major', { ...five, funds_yuan: 12.5 })).toEqual({ funds_yuan: 'wholeYuan' });
    expect(validateStep('plan', 'major', { ...five, funds_yuan: -1 })).toEqual({ funds_yuan: 'wholeYuan' });
    // a plan may bring the deadline forward, never push it back
    expect(validateStep('plan', 'major', { ...five, deadline: '2026-12-21' }, '2026-12-20')).toEqual({ deadline: 'notLater' });
  });

  it('asks a rectification for evidence and a return for its reason', () => {
    expect(validateStep('rectified', 'major', { evidence: '  ' })).toEqual({ evidence: 'required' });
    expect(validateStep('rectified', 'major', { evidence: '已整改' })).toEqual({});
    expect(validateStep('return', 'general', {})).toEqual({ reason: 'required' });
    expect(validateStep('verify', 'major', {})).toEqual({});
  });
});

describe('the list filter in the address', () => {
  it('reads only known values and writes back what is set', () => {
    const f = hazardFilterFromQuery({ state: 'reported,bogus,rectifying', level: 'huge', overdue: 'true', mine_id: '12', region_code: '150725', supervised: 'yes' });
    expect(f).toEqual({ state: ['reported', 'rectifying'], level: '', source: '', region_code: '150725', mine_id: '12', overdue: 'true', supervised: '', q: '' });
    expect(hazardFilterToQuery(f)).toEqual({ state: 'reported,rectifying', region_code: '150725', mine_id: '12', overdue: 'true' });
  });
});

describe('risk scores', () => {
  it('scores L×S and LEC', () => {
    expect(riskScore('ls', { l: 4, s: 5 })).toBe(20);
    expect(riskScore('ls', { l: 4, s: null })).toBeNull();
    expect(riskScore('lec', { l: 6, e: 6, c: 15 })).toBe(540);
    expect(riskScore('lec', { l: 0.5, e: 3, c: 7 })).toBe(10.5);
  });

  it('grades L×S at the bound and LEC above it', () => {
    expect(gradeScore('ls', 20)).toBe('red');
    expect(gradeScore('ls', 19)).toBe('orange');
    expect(gradeScore('ls', 12)).toBe('orange');
    expect(gradeScore('ls', 6)).toBe('yellow');
    expect(gradeScore('ls', 5)).toBe('blue');
    expect(gradeScore('lec', 320)).toBe('orange');
    expect(gradeScore('lec', 321)).toBe('red');
    expect(gradeScore('lec', 70)).toBe('blue');
    expect(gradeScore('lec', null)).toBeNull();
  });

  it('checks the register form and sends only the method’s factors', () => {
    const f = { ...emptyRiskForm(), place: '采区', hazard_type: 'gas', measures: '监测', control_level: 'team' as const, responsible: '李', method: 'lec' as const, l: 3 };
    expect(validateRisk(f)).toEqual({ e: 'required', c: 'required' });
    const body = riskBody({ ...f, e: 6, c: 7, s: 4 });
    expect(body).toMatchObject({ method: 'lec', l: 3, e: 6, c: 7 });
    expect('s' in body).toBe(false);
  });
});
