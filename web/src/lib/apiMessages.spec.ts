import { describe, expect, it } from 'vitest';
import { API_MESSAGE_RULES, translateApiFields, translateApiMessage, translateApiMessageZh } from './apiMessages';

const zh = translateApiMessageZh;

describe('translateApiMessageZh', () => {
  it('required and its variants', () => {
    expect(zh('required')).toBe('必填');
    expect(zh('is required')).toBe('必填');
    expect(zh('required (0 when none)')).toBe('必填（没有时填 0）');
    expect(zh('required, a date YYYY-MM-DD')).toBe('必填，日期格式 YYYY-MM-DD');
    expect(zh('required, at most 200 characters')).toBe('必填，最多 200 个字符');
    expect(zh('is required: one of coal, metal')).toBe('必填，须为以下之一：coal, metal');
    expect(zh('is required for method lec')).toBe('方法 lec 下必填');
    expect(zh('is required: the rectification deadline as YYYY-MM-DD')).toBe('必填：整改期限，日期格式 YYYY-MM-DD');
  });

  it('one of: the codes verbatim', () => {
    expect(zh('must be one of admin, city, county')).toBe('须为以下之一：admin, city, county');
    expect(zh('must be one of a, b (empty: unknown)')).toBe('须为以下之一：a, b（留空表示未知）');
    expect(zh('must be one of a, b (comma-separated for several)')).toBe('须为以下之一：a, b（多个用逗号分隔）');
    expect(zh('must be one of name, code, optionally with a leading -')).toBe('须为以下之一：name, code，可加前缀 -（倒序）');
    expect(zh('each must be one of x, y')).toBe('每项须为以下之一：x, y');
    expect(zh('one of 1, 2, 3')).toBe('须为以下之一：1, 2, 3');
    expect(zh('must be blue, yellow, orange or red')).toBe('须为 blue、yellow、orange 或 red');
    expect(zh('must be analog or switch')).toBe('须为 analog 或 switch');
    expect(zh('rectify, halt or fine')).toBe('须为 rectify、halt 或 fine');
    expect(zh('must be reduce_pct, contain or at_least')).toBe('须为 reduce_pct、contain 或 at_least');
    expect(zh('not a risk class (major, high, medium, low)')).toBe('不是有效的风险等级（major, high, medium, low）');
  });

  it('booleans and ids', () => {
    expect(zh('must be true or false')).toBe('须为 true 或 false');
    expect(zh('true or false')).toBe('须为 true 或 false');
    expect(zh('must be an id')).toBe('须为 ID（正整数）');
    expect(zh('must be a mine id')).toBe('须为矿山 ID');
    expect(zh('must be an enterprise id')).toBe('须为企业 ID');
    expect(zh('"abc" is not a mine id')).toBe('"abc" 不是矿山 ID');
  });

  it('dates, times, months and years', () => {
    expect(zh('must be a date YYYY-MM-DD')).toBe('须为日期，格式 YYYY-MM-DD');
    expect(zh('a date YYYY-MM-DD')).toBe('须为日期，格式 YYYY-MM-DD');
    expect(zh('must be an RFC 3339 time')).toBe('须为 RFC 3339 格式的时间，如 2026-01-02T08:00:00+08:00');
    expect(zh('must be a month YYYY-MM')).toBe('须为月份，格式 YYYY-MM');
    expect(zh('must be a month YYYY-MM from 2000 to 2100')).toBe('须为 2000 至 2100 年间的月份，格式 YYYY-MM');
    expect(zh('a year such as 2026')).toBe('须为年份，如 2026');
    expect(zh('must be a year from 2020 to 2035')).toBe('须为 2020 至 2035 之间的年份');
  });

  it('not before / after, past and future', () => {
    expect(zh('not before today (2026-11-29)')).toBe('不能早于今天（2026-11-29）');
    expect(zh('2026-11-01 is before today (2026-11-29)')).toBe('2026-11-01 早于今天（2026-11-29）');
    expect(zh('not after today')).toBe('不能晚于今天');
    expect(zh("not before the inspection's date 2026-11-20")).toBe('不能早于检查日期 2026-11-20');
    expect(zh('must not be in the future')).toBe('不能晚于当前时间');
    expect(zh('must not be in the past: maintenance is declared beforehand')).toBe('不能早于当前时间：检修须事先申报');
    expect(zh('must be before to')).toBe('须早于结束时间（to）');
    expect(zh('must be after from')).toBe('须晚于开始时间（from）');
  });

  it('number ranges', () => {
    expect(zh('must be a whole number from 0 to 100000')).toBe('须为 0 至 100000 之间的整数');
    expect(zh('must be a number from -180 to 180')).toBe('须为 -180 至 180 之间的数');
    expect(zh('must be from 1 to 86400 seconds')).toBe('须为 1 至 86400 秒');
    expect(zh('must be from 0 to 10000000000 tonnes')).toBe('须为 0 至 10000000000 吨');
    expect(zh('must be from 2 to 10')).toBe('须为 2 至 10 之间的数');
    expect(zh('must be 0 or more')).toBe('须不小于 0');
    expect(zh('must be 1 or more')).toBe('须不小于 1');
    expect(zh('must be 0 or more (whole yuan)')).toBe('须为不小于 0 的整数（元）');
    expect(zh('must be a whole number, 0 or more')).toBe('须为不小于 0 的整数');
    expect(zh('must be at least the current dam_height_m (42.5)')).toBe('不能小于当前的 dam_height_m（42.5）');
    expect(zh('60000 yuan is outside the general range 10000–50000 yuan of hazard_not_eliminated: write the reason'))
      .toBe('60000 元超出 hazard_not_eliminated 在 general 情形下的裁量区间 10000–50000 元：请填写理由');
  });

  it('lengths', () => {
    expect(zh('at most 200 characters')).toBe('最多 200 个字符');
    expect(zh('at most 2000 characters')).toBe('最多 2000 个字符');
    expect(zh('must be at most 200 characters, not 250')).toBe('最多 200 个字符，当前 250 个');
    expect(zh('must be 6 to 20 letters or digits')).toBe('须为 6 至 20 位字母或数字');
  });

  it('the "say why" family', () => {
    expect(zh('say why')).toBe('请说明原因');
    expect(zh('say why the enterprise is archived')).toBe('请说明企业归档的原因');
    expect(zh('say why the enterprise enters the blacklist')).toBe('请说明企业列入黑名单的原因');
    expect(zh('say why it goes back to the mine')).toBe('请说明退回矿山的原因');
    expect(zh('say what caused it (异常原因)')).toBe('请填写异常原因');
    expect(zh('say what was done (处理措施)')).toBe('请填写处理措施');
    expect(zh('say what changed and why')).toBe('请说明修改内容及原因');
  });

  it('archived, no such, changed meanwhile', () => {
    expect(zh('mine 大雁一矿 is archived')).toBe('矿山 大雁一矿 已归档');
    expect(zh('enterprise #12 is archived')).toBe('企业 #12 已归档');
    expect(zh('the task is archived already')).toBe('该任务已归档');
    expect(zh('this mine is archived and cannot change')).toBe('该矿山已归档，不能修改');
    expect(zh('no such mine')).toBe('矿山不存在，或不在您的权限范围内');
    expect(zh('no such inspection plan')).toBe('检查计划不存在，或不在您的权限范围内');
    expect(zh('no such region 150799')).toBe('区划 150799 不存在');
    expect(zh('no enterprise #7')).toBe('企业 #7 不存在');
    expect(zh('the alarm changed meanwhile; reload and try again')).toBe('告警状态已变化，请刷新后重试');
    expect(zh('cannot verify a hazard that is reported (only from rectified)'))
      .toBe('隐患当前状态为 reported，不能执行 verify（仅可从 rectified 执行）');
    expect(zh('mine 150725001 is already halted (停产整顿)')).toBe('矿山 150725001 已在停产整顿');
  });

  it('403: roles', () => {
    expect(zh('role observer may not report hazards')).toBe('角色 只读观察（observer） 无权上报隐患');
    expect(zh('role inspector may not enter accidents (admin, city and county users do)'))
      .toBe('角色 执法检查（inspector） 无权填报事故（admin、city 和 county 用户可以）');
    expect(zh('role enterprise may not verify a hazard')).toBe('角色 企业用户（enterprise） 无权核实隐患');
    expect(zh('role county may not frobnicate widgets')).toBe('角色 县级监管（county） 无权执行此操作：frobnicate widgets');
    expect(zh('only an admin manages users')).toBe('仅系统管理员可以管理用户');
    expect(zh('division 150702 is outside your divisions (150725)')).toBe('区划 150702 不在您的辖区（150725）内');
    expect(zh('some fields are invalid')).toBe('部分字段填写有误，请检查');
  });

  it('keeps unknown English as it is', () => {
    expect(zh('the register refused')).toBe('the register refused');
    expect(zh('something entirely new')).toBe('something entirely new');
    expect(zh('')).toBe('');
    // prose with "or" is not a list of codes
    expect(zh('must be larger or smaller than before')).toBe('must be larger or smaller than before');
  });

  it('every rule is anchored at both ends', () => {
    for (const [re] of API_MESSAGE_RULES) {
      expect(re.source.startsWith('^'), re.source).toBe(true);
      expect(re.source.endsWith('$'), re.source).toBe(true);
    }
    expect(API_MESSAGE_RULES.length).toBeGreaterThanOrEqual(60);
  });
});

describe('translateApiMessage (by locale)', () => {
  it('translates under zh-CN only', () => {
    expect(translateApiMessage('required', 'zh-CN')).toBe('必填');
    expect(translateApiMessage('required', 'en')).toBe('required');
    expect(translateApiMessage('must not be in the future', 'en')).toBe('must not be in the future');
  });

  it('translates every field value, leaving the keys', () => {
    const fields = { lon: 'must be a number from -180 to 180', note: 'odd new message' };
    expect(translateApiFields(fields, 'zh-CN')).toEqual({ lon: '须为 -180 至 180 之间的数', note: 'odd new message' });
    expect(translateApiFields(fields, 'en')).toEqual(fields);
    expect(fields.lon).toBe('must be a number from -180 to 180'); // not mutated
  });
});
