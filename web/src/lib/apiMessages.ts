// Client-side translation of the API's English refusal messages into 简体中文.
//
// The API answers refusals as {"error":{"code","message","fields":{field: message}}}
// with English messages built from fmt templates in internal/ (fail.Fields.Add,
// fail.Invalidf, Conflictf, Forbiddenf, NotFoundf, Unauthenticatedf). Until the
// API sends message codes with parameters (see docs/decisions.md), this table
// maps each known template — a RegExp over the English, anchored, with capture
// groups for the parameters — to its Chinese rendering. Order matters: the first
// match wins, so specific templates come before general ones. Enum values and
// lists of codes (blue, yellow, orange or red; "a, b, c") stay verbatim: they
// are what the user types or picks. Text that matches nothing stays English:
// a message is never lost.

type Render = string | ((...groups: string[]) => string);
type Rule = readonly [RegExp, Render];

/** Record kinds and other nouns the API names in its messages. */
const NOUNS: Record<string, string> = {
  mine: '矿山',
  enterprise: '企业',
  hazard: '隐患',
  alarm: '告警',
  inspection: '检查记录',
  'inspection plan': '检查计划',
  decision: '执法决定',
  accident: '事故',
  task: '任务',
  record: '记录',
  'standardisation record': '标准化记录',
  risk: '风险',
  'staff record': '监管人员记录',
  'staff member': '监管人员',
  point: '监测点',
  file: '文件',
  ingest_file: '数据文件',
  user: '用户',
  region: '区划',
  division: '区划',
  token: '令牌',
  'ingest token': '数据接入令牌',
  webhook: 'Webhook',
  'production figure': '产量记录',
  'person on duty': '值班人员',
  'ledger item': '台账事项',
  'draw of this plan': '本计划的抽取记录',
  station: '监测站',
  thing: '记录',
};
const noun = (s: string) => NOUNS[s] ?? s;

const ROLES: Record<string, string> = {
  admin: '系统管理员',
  city: '市级监管',
  county: '县级监管',
  inspector: '执法检查',
  enterprise: '企业用户',
  rescue: '应急救援',
  observer: '只读观察',
};
const role = (r: string) => (ROLES[r] ? `${ROLES[r]}（${r}）` : r);

/** "a, b or c" → "a、b 或 c" (the values themselves verbatim). */
const orList = (s: string) => s.replace(/, /g, '、').replace(/ or /g, ' 或 ');
/** "admin, city and county users" → "admin、city 和 county 用户". */
const people = (s: string) =>
  s
    .replace(/the mine's enterprise/g, '矿山所属企业')
    .replace(/\bregulators\b/g, '监管部门')
    .replace(/, and /g, ' 和 ')
    .replace(/, /g, '、')
    .replace(/ and /g, ' 和 ')
    .replace(/ users\b/g, ' 用户');

/** What a role may not do ("role X may not …"). */
const ACTIONS: Record<string, string> = {
  'upload files': '上传文件',
  'set power baselines': '设置用电基线',
  'send monitoring data': '报送监测数据',
  'report hazards': '上报隐患',
  'record inspections': '录入检查记录',
  'plan inspections': '制定检查计划',
  'declare maintenance': '申报检修',
  'change the registry': '修改矿山档案',
  'change the blacklist': '修改黑名单',
  'change people on duty': '修改值班人员',
  'change monitoring points': '修改监测点',
  'keep supervision staff': '维护监管人员',
  'enter production': '填报产量',
  'enter accidents': '填报事故',
  'change plan facts': '修改规划数据',
  'raise hazards for the ledger': '从台账生成隐患',
};
/** Flow steps (record actions) named in "role X may not <step> a <record>". */
const STEPS: Record<string, string> = {
  acknowledge: '确认',
  dispose: '处置',
  verify: '核实',
  close: '关闭',
  report: '上报',
  assign: '交办',
  rectify: '整改',
  submit: '提交',
  accept: '验收',
  return: '退回',
  reject: '驳回',
  archive: '归档',
  confirm: '确认',
  escalate: '升级',
};

function mayNot(r: string, action: string): string {
  const m = /^(.+?) \((.+) do\)$/.exec(action);
  const what = m ? m[1] : action;
  const who = m ? `（${people(m[2])}可以）` : '';
  const zh = ACTIONS[what];
  if (zh) return `角色 ${role(r)} 无权${zh}${who}`;
  const step = /^(\w+) an? (\w+)$/.exec(what);
  if (step && STEPS[step[1]]) return `角色 ${role(r)} 无权${STEPS[step[1]]}${noun(step[2])}`;
  return `角色 ${role(r)} 无权执行此操作：${action}`;
}

const UNITS: Record<string, string> = { tonnes: '吨', hours: '小时', seconds: '秒', percent: '%' };

const N = '(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)'; // a number as Go's %d / %g print it
const re = (src: string) => new RegExp(`^${src}$`);

/** The table: English template → 简体中文. First match wins. */
export const API_MESSAGE_RULES: readonly Rule[] = [
  // ── top-level envelopes ──
  [/^some fields are invalid$/, '部分字段填写有误，请检查'],

  // ── required ──
  [/^(?:is )?required$/, '必填'],
  [/^required \(0 when none\)$/, '必填（没有时填 0）'],
  [/^required \(0 when the mine produced nothing\)$/, '必填（矿山无产量时填 0）'],
  [/^required \(none when the person has no professional background\)$/, '必填（无专业背景时填 none）'],
  [/^required, a date YYYY-MM-DD$/, '必填，日期格式 YYYY-MM-DD'],
  [re(`required, at most ${N} characters`), '必填，最多 $1 个字符'],
  [/^required: the report's year$/, '必填：报告年度'],
  [/^required: the new version's body$/, '必填：新版本的内容'],
  [re(`required: up to ${N} characters without spaces, / \\? #`), '必填：最多 $1 个字符，不含空格和 / ? #'],
  [/^is required: the rectification deadline as YYYY-MM-DD$/, '必填：整改期限，日期格式 YYYY-MM-DD'],
  [/^is required: the 18-character unified social credit code$/, '必填：18 位统一社会信用代码'],
  [/^is required: one of (.+)$/, '必填，须为以下之一：$1'],
  [/^is required: a number above 0$/, '必填：大于 0 的数'],
  [/^is required for method (.+)$/, '方法 $1 下必填'],
  [/^is required for a tailings_pond$/, '尾矿库（tailings_pond）必填'],
  [/^is required for a major hazard: the plan's deadline as YYYY-MM-DD$/, '重大隐患必填：治理方案期限，日期格式 YYYY-MM-DD'],
  [/^is required for a major hazard: the funds in whole yuan$/, '重大隐患必填：治理资金（整数，元）'],
  [/^the enforcement certificate number is required$/, '请填写执法证号'],
  [/^mine \(the mine code\) is required$/, '必须提供 mine（矿山编码）'],
  [/^a hazard needs a rectification deadline$/, '隐患须有整改期限'],
  [/^a hazard from monitoring names its alarm$/, '来自监测预警的隐患须注明对应告警'],
  [/^a major hazard names the 判定标准 case it meets$/, '重大隐患须注明符合的判定标准情形'],
  [/^a major hazard cites its catalogue entry \((.+)\)$/, '重大隐患须引用判定标准目录条目（$1）'],
  [/^an enterprise user needs its enterprise$/, '企业用户须指定所属企业'],
  [/^a (\w+) user needs at least one division$/, (r) => `${role(r)}用户至少须有一个辖区`],
  [/^name the professional background$/, '请填写专业背景'],
  [/^at least one mine$/, '至少选择一座矿山'],
  [/^at least one finding$/, '至少填写一项检查发现'],
  [/^at least one violation type$/, '至少选择一种违法行为类型'],
  [/^at least two inspectors, each with an enforcement certificate number \(执法证号\)$/, '至少两名执法人员，每人须有执法证号'],
  [/^must be given, once$/, '必须提供，且只能提供一次'],

  // ── one of / enums (values verbatim) ──
  [/^must be one of (.+) \(empty: unknown\)$/, '须为以下之一：$1（留空表示未知）'],
  [/^must be one of (.+) \(comma-separated for several\)$/, '须为以下之一：$1（多个用逗号分隔）'],
  [/^must be one of (.+), optionally with a leading -$/, '须为以下之一：$1，可加前缀 -（倒序）'],
  [/^must be one of (.+)$/, '须为以下之一：$1'],
  [/^each must be one of (.+)$/, '每项须为以下之一：$1'],
  [/^each must be mine, county or city$/, '每项须为 mine、county 或 city'],
  [/^must be among (.+) \(comma-separated for several\)$/, '须为以下之一：$1（多个用逗号分隔）'],
  [/^(?:is )?one of (.+)$/, '须为以下之一：$1'],
  [/^must be open, acknowledged, disposed, verified or closed \(comma-separated for several\)$/, '须为 open、acknowledged、disposed、verified 或 closed（多个用逗号分隔）'],
  [/^general \(一般\) or major \(重大\)$/, '须为 general（一般）或 major（重大）'],
  [/^major, high, medium or low \(or empty for the default\)$/, '须为 major、high、medium 或 low（留空取默认值）'],
  [/^must be ls \(L×S risk matrix\) or lec \(D = L×E×C\)$/, '须为 ls（L×S 风险矩阵）或 lec（D = L×E×C）'],
  [/^not a risk class \((.+)\)$/, '不是有效的风险等级（$1）'],
  [/^not a mine kind \((.+)\)$/, '不是有效的矿山类型（$1）'],
  [/^must be the city's code or one of its divisions$/, '须为市级区划代码或其下辖旗市区代码'],
  [/^must be an http or https URL$/, '须为 http 或 https 地址'],
  [/^(?:must be )?true or false$/, '须为 true 或 false'],

  // ── dates, times, months, years ──
  [/^(?:must be )?a date YYYY-MM-DD$/, '须为日期，格式 YYYY-MM-DD'],
  [/^must be a date YYYY-MM-DD, today or later$/, '须为今天或以后的日期，格式 YYYY-MM-DD'],
  [/^must be an RFC 3339 time$/, '须为 RFC 3339 格式的时间，如 2026-01-02T08:00:00+08:00'],
  [/^must be an RFC 3339 time with a zone, e.g. (.+)$/, '须为带时区的 RFC 3339 时间，如 $1'],
  [/^must be an RFC 3339 time \(or YYYY-MM-DDTHH:MM in Asia\/Shanghai\)$/, '须为 RFC 3339 时间（或北京时间 YYYY-MM-DDTHH:MM）'],
  [/^must be a month YYYY-MM$/, '须为月份，格式 YYYY-MM'],
  [re(`must be a month YYYY-MM from ${N} to ${N}`), '须为 $1 至 $2 年间的月份，格式 YYYY-MM'],
  [/^a year such as 2026$/, '须为年份，如 2026'],
  [re(`must be a year from ${N} to ${N}`), '须为 $1 至 $2 之间的年份'],
  [/^not before today \((.+)\)$/, '不能早于今天（$1）'],
  [/^(.+) is before today \((.+)\)$/, '$1 早于今天（$2）'],
  [/^not after today$/, '不能晚于今天'],
  [/^an inspection that took place: not after today \((.+)\)$/, '须为已实施的检查：日期不能晚于今天（$1）'],
  [/^not before the inspection's date (.+)$/, '不能早于检查日期 $1'],
  [/^after the deadline (.+) and not after today$/, '须晚于期限 $1，且不能晚于今天'],
  [/^must not be in the future$/, '不能晚于当前时间'],
  [/^must not be in the past: maintenance is declared beforehand$/, '不能早于当前时间：检修须事先申报'],
  [/^must not be before the award \((.+)\)$/, '不能早于认定日期（$1）'],
  [/^must not be before hired_on$/, '不能早于入职日期（hired_on）'],
  [/^must not be before awarded_on$/, '不能早于认定日期（awarded_on）'],
  [/^must be before to$/, '须早于结束时间（to）'],
  [/^must be after from$/, '须晚于开始时间（from）'],
  [re(`a window lasts at most ${N} days`), '时间窗口最长 $1 天'],
  [/^must be within the plan's years$/, '须在规划年度范围内'],
  [/^the plan may not extend the deadline (.+) set when the hazard was reported$/, '治理方案不得延后隐患上报时确定的整改期限 $1'],
  [/^a yearly task needs first_year, not after the deadline's year$/, '每年任务须填写起始年度（first_year），且不晚于期限所在年度'],

  // ── numbers ──
  [re(`must be a whole number from ${N} to ${N}`), '须为 $1 至 $2 之间的整数'],
  [/^must be a whole number, 0 or more$/, '须为不小于 0 的整数'],
  [/^must be a number, 0 or more$/, '须为不小于 0 的数'],
  [re(`must be a number from ${N} to ${N}`), '须为 $1 至 $2 之间的数'],
  [re(`must be from ${N} to ${N} (tonnes|hours|seconds)`), (a, b, u) => `须为 ${a} 至 ${b} ${UNITS[u]}`],
  [re(`must be from ${N} to ${N}`), '须为 $1 至 $2 之间的数'],
  [re(`${N} to ${N} percent`), '须为 $1% 至 $2%'],
  [/^must be 0 or more tonnes$/, '须不小于 0 吨'],
  [/^must be 0 or more \(whole yuan\)$/, '须为不小于 0 的整数（元）'],
  [/^must be 0 or more \(yuan\)$/, '须不小于 0（元）'],
  [re(`must be ${N} or more`), '须不小于 $1'],
  [/^must be a version number, 1 or more$/, '须为版本号，不小于 1'],
  [/^must be an integer$/, '须为整数'],
  [/^must be a finite number$/, '须为有效数值'],
  [/^must be above range_min$/, '须大于量程下限（range_min）'],
  [/^must be a percentage from 0 to 100 \(a count ≥ 0 for contain\)$/, '须为 0 至 100 的百分比（contain 时为不小于 0 的数量）'],
  [re(`inspections a year, ${N} to ${N}`), '每年检查次数，$1 至 $2'],
  [/^a positive amount in whole yuan$/, '须为正整数金额（元）'],
  [/^the standby load in kW, 0 or more$/, '备用负荷（kW），不小于 0'],
  [re(`must be at least the current (\\w+) \\(${N}\\)`), '不能小于当前的 $1（$2）'],
  [/^must not exceed deaths$/, '不能超过死亡人数（deaths）'],
  [/^each part's score must be from 0 to 100$/, '各部分得分须为 0 至 100'],
  [re(`from ${N} to the plan's ${N} mines`), '须为 $1 至本计划的 $2 座矿山'],
  [re(`from 2 \\(an inspection needs two\\) to the pool's ${N} inspectors`), '须为 2（一次检查至少两人）至执法人员库的 $1 人'],
  [re(`the fine is ${N} yuan`), '罚款为 $1 元'],
  [re(`${N} yuan is outside the (\\w+) range ${N}–${N} yuan of (.+): write the reason`), '$1 元超出 $5 在 $2 情形下的裁量区间 $3–$4 元：请填写理由'],

  // ── lengths and formats ──
  [re(`(?:must be )?at most ${N} characters, not ${N}`), '最多 $1 个字符，当前 $2 个'],
  [re(`(?:must be )?at most ${N} characters`), '最多 $1 个字符'],
  [re(`must be ${N} to ${N} letters or digits`), '须为 $1 至 $2 位字母或数字'],
  [/^(\d+)–(\d+) letters, digits, '\.', '_' or '-', starting with a letter or digit$/, '$1–$2 个字母、数字、“.”、“_”或“-”，以字母或数字开头'],
  [/^(\d+)–(\d+) letters, digits, '_', '\.' or '-'$/, '$1–$2 个字母、数字、“_”、“.”或“-”'],
  [/^must be the article number$/, '须为条款号'],

  // ── ids ──
  [/^must be an id$/, '须为 ID（正整数）'],
  [/^must be a positive id$/, '须为正整数 ID'],
  [/^must be a mine id$/, '须为矿山 ID'],
  [/^must be an enterprise id$/, '须为企业 ID'],
  [/^must be an event id$/, '须为事件 ID'],
  [/^"(.*)" is not a mine id$/, '"$1" 不是矿山 ID'],

  // ── say why / what ──
  [/^say why$/, '请说明原因'],
  [/^say why the (.+) is archived$/, (w) => `请说明${noun(w)}归档的原因`],
  [/^say why the task is retired$/, '请说明任务撤销的原因'],
  [/^say why the risk leaves the register$/, '请说明风险移出台账的原因'],
  [/^say why the enterprise leaves the blacklist$/, '请说明企业移出黑名单的原因'],
  [/^say why the enterprise enters the blacklist$/, '请说明企业列入黑名单的原因'],
  [/^say why it goes back to the mine$/, '请说明退回矿山的原因'],
  [/^say why it goes back$/, '请说明退回的原因'],
  [/^say why the grade is raised \(the 论证 and what lies downstream\)$/, '请说明等级上调的理由（论证及下游情况）'],
  [/^say where the values come from$/, '请说明数值来源'],
  [/^say what was found$/, '请说明发现的问题'],
  [/^say what was done \(处理措施\)$/, '请填写处理措施'],
  [/^say what caused it \(异常原因\)$/, '请填写异常原因'],
  [/^say what is still not rectified$/, '请说明仍未整改的内容'],
  [/^say what changed and why$/, '请说明修改内容及原因'],
  [/^say what was done and where it is documented$/, '请说明所做工作及其记录位置'],
  [/^say which texts this version holds \((.+)\)$/, '请说明此版本包含的文本（$1）'],

  // ── archived ──
  [/^mine (.+) is archived$/, '矿山 $1 已归档'],
  [/^enterprise #(\d+) is archived$/, '企业 #$1 已归档'],
  [/^point (.+) is already archived$/, '监测点 $1 已归档'],
  [/^point (.+) is archived$/, '监测点 $1 已归档'],
  [/^this (.+) was archived on (.+)$/, (w, at) => `该${noun(w)}已于 ${at} 归档`],
  [/^this (.+) is archived and cannot change$/, (w) => `该${noun(w)}已归档，不能修改`],
  [/^the (.+) is archived already$/, (w) => `该${noun(w)}已归档`],
  [/^the (.+) is archived$/, (w) => `该${noun(w)}已归档`],
  [/^the (.+) was archived meanwhile$/, (w) => `该${noun(w)}已被他人归档，请刷新`],

  // ── not found ──
  [/^no such region (.+)$/, '区划 $1 不存在'],
  [/^no such (.+)$/, (w) => `${noun(w)}不存在，或不在您的权限范围内`],
  [/^no enterprise #?(\d+)$/, '企业 #$1 不存在'],
  [/^no division (.+)$/, '区划 $1 不存在'],
  [/^unknown division "(.*)"$/, '未知区划 "$1"'],
  [/^no version (\d+) of the hazard criteria$/, '隐患判定标准没有第 $1 版'],
  [/^no mine with code (.+) is registered$/, '编码为 $1 的矿山未登记'],

  // ── state changed / conflicts ──
  [/^the (.+) changed meanwhile; reload and try again$/, (w) => `${noun(w)}状态已变化，请刷新后重试`],
  [/^cannot (\w+) an? (\w+) that is (\w+) \(only from (.+)\)$/, (a, w, s, from) => `${noun(w)}当前状态为 ${s}，不能执行 ${a}（仅可从 ${from} 执行）`],
  [/^cannot (\w+) an? (\w+) decision$/, '不能对 $2 决定执行 $1'],
  [/^receipt was confirmed meanwhile$/, '已被他人确认签收，请刷新'],
  [/^receipt was confirmed at (.+)$/, '已于 $1 确认签收'],
  [/^the enterprise entered the blacklist meanwhile$/, '该企业已被他人列入黑名单，请刷新'],
  [/^the enterprise left the blacklist meanwhile$/, '该企业已被他人移出黑名单，请刷新'],
  [/^the enterprise is not on the blacklist$/, '该企业不在黑名单中'],
  [/^the enterprise has been on the blacklist since (.+)$/, '该企业自 $1 起已在黑名单中'],
  [/^mine (.+) is already halted \(停产整顿\)$/, '矿山 $1 已在停产整顿'],
  [/^the mine is already halted by another decision$/, '该矿山已被另一项决定责令停产整顿'],
  [/^the rectification deadline (.+) has not passed; re-check after it$/, '整改期限 $1 未到，请到期后复查'],
  [/^the enterprise still has (\d+) unarchived mines: archive or move them first$/, '该企业仍有 $1 座未归档矿山：请先归档或转移'],
  [/^alarm (\d+) already has its hazard$/, '告警 $1 已生成隐患'],
  [/^hazard #(\d+) was raised for it already$/, '已为其生成隐患 #$1'],
  [/^a hazard was raised for the item meanwhile \(hazard #(\d+) is a duplicate\)$/, '该事项已被他人生成隐患（隐患 #$1 为重复）'],
  [/^you cannot disable your own account$/, '不能停用自己的账号'],
  [/^user (.+) is disabled$/, '用户 $1 已停用'],
  [/^settle these first: (.+)$/, '请先办结：$1'],
  [/^(.+) is already registered$/, '$1 已登记'],
  [/^is already registered$/, '已登记'],
  [/^"(.*)" is taken$/, '"$1" 已被占用'],
  [/^(.+) is given twice$/, '$1 重复提供'],
  [/^given twice$/, '重复提供'],
  [/^answered twice$/, '重复作答'],
  [/^is empty$/, '为空'],
  [/^cannot be emptied$/, '不能清空'],
  [/^only a tailings_pond has tailings$/, '只有尾矿库（tailings_pond）才有尾矿库参数（tailings）'],
  [/^a tailings pond has no output$/, '尾矿库没有产量'],
  [/^the plan does not include this mine$/, '本计划不包含该矿山'],
  [/^mine (.+) is in division (.+), outside the plan's (.+)$/, '矿山 $1 属于区划 $2，不在本计划的 $3 范围内'],
  [/^bad check digit$/, '校验位错误'],
  [/^does not match$/, '不正确'],
  [/^file (\d+) is listed twice$/, '文件 $1 重复列出'],
  [/^file (\d+) was attached meanwhile$/, '文件 $1 已被他人附加，请刷新'],
  [/^file (\d+) does not exist or was not uploaded by you or your enterprise$/, '文件 $1 不存在，或不是您或您的企业上传的'],

  [/^a checklist for every mine kind$/, '每种矿山类型都须有检查表'],
  [/^a finding becomes a hazard, a violation \(violation_type\), or both$/, '检查发现须生成隐患、违法行为（violation_type），或两者兼有'],
  [/^alarm (\d+) is of mine (\d+), not (\d+)$/, '告警 $1 属于矿山 $2，而不是 $3'],
  [/^only a mine task binds mines$/, '只有矿山任务可以关联矿山'],
  [/^only a division task binds divisions$/, '只有旗市区任务可以关联旗市区'],
  [/^only a hazard from monitoring refers to an alarm$/, '只有来自监测预警的隐患才关联告警'],
  [/^only enterprise users belong to an enterprise$/, '只有企业用户才隶属于企业'],
  [/^point (\d+) is not a point of this mine$/, '监测点 $1 不属于该矿山'],
  [/^not a decision on this enterprise$/, '不是针对该企业的执法决定'],
  [/^not a violation type of the discretion benchmark \((.+)\)$/, '不是裁量基准中的违法行为类型（$1）'],
  [/^a violation type of the discretion benchmark \((.+)\)$/, '须为裁量基准中的违法行为类型（$1）'],
  [/^not an item of this mine kind's checklist \((.+)\)$/, '不是该矿山类型检查表中的项目（$1）'],
  [/^unknown sensor type "(.*)": see (.+)$/, '未知传感器类型 "$1"：参见 $2'],
  [/^unknown location class "(.*)": see (.+)$/, '未知安装位置类别 "$1"：参见 $2'],
  [/^sensor type code (.+) is not in the catalogue$/, '传感器类型代码 $1 不在目录中'],
  [/^the (\w+) catalogue is empty$/, '$1 目录为空'],
  [/^the department it is transferred to$/, '请填写移交部门'],
  [/^the number of the department's receipt \(回执\)$/, '请填写回执编号'],
  [/^the payment voucher: receipt number or bank reference \(缴款凭证\)$/, '请填写缴款凭证：收据号或银行流水号'],
  [/^validity_years and spot_check_months must be at least 1$/, 'validity_years 和 spot_check_months 须不小于 1'],
  [/^every bound must be positive$/, '各界限值须为正数'],
  [/^a tailings pond cannot become another kind of mine or the reverse: archive it and register anew$/, '尾矿库不能改为其他类型的矿山，反之亦然：请归档后重新登记'],
  [/^is not a factor of method (.+)$/, '不是方法 $1 的因子'],
  [/^(.+) is a (.+): give a county-level division$/, '$1 是$2：请填写县级区划（旗市区）'],
  [/^must count the 较大 and 重特大 accidents too$/, '须同时计入较大和重特大事故'],
  [/^the file is empty$/, '文件为空'],
  [/^the sheet is empty$/, '工作表为空'],
  [/^the workbook has no sheet$/, '工作簿中没有工作表'],
  [/^must be an \.xlsx or \.csv file$/, '须为 .xlsx 或 .csv 文件'],
  [/^needs a header row and at least one point$/, '须有表头行和至少一个监测点'],
  [/^a task with code (.+) exists$/, '编码为 $1 的任务已存在'],
  [/^mine (.+) already has a point (.+)$/, '矿山 $1 已有监测点 $2'],
  [/^answer every item of the checklist; missing (.+)$/, '请回答检查表的每一项；缺少：$1'],
  [/^the division has no active mine to plan$/, '该旗市区没有可纳入计划的矿山'],
  [/^(?:ingest )?token (\d+) is already revoked$/, '令牌 $1 已撤销'],
  [/^the item is a division's or the city's, not a mine's$/, '该事项属于旗市区或市级，不属于矿山'],
  [/^the item is not overdue \(deadline (.+), (.+)\)$/, '该事项未逾期（期限 $1，$2）'],
  [/^attachments are not available on this server$/, '本服务器不支持附件'],

  // ── 403: roles ──
  [/^role (\w+) may not report a hazard from (\w+) \(it may report: (.+)\)$/, (r, src, ok) => `角色 ${role(r)} 无权上报来源为 ${src} 的隐患（可上报：${ok}）`],
  [/^role (\w+) may not change risk registers: the mine \(enterprise\) keeps its own$/, (r) => `角色 ${role(r)} 无权修改风险台账：由矿山（企业）自行维护`],
  [/^role (\w+) may not change (.+) \(admin and city users do\)$/, (r, w) => `角色 ${role(r)} 无权修改 ${w}（admin 和 city 用户可以）`],
  [/^role (\w+) may not (.+)$/, mayNot],
  [/^only an admin reads the audit log$/, '仅系统管理员可以查看审计日志'],
  [/^only an admin manages users$/, '仅系统管理员可以管理用户'],
  [/^only an admin may load hazard criteria$/, '仅系统管理员可以加载隐患判定标准'],
  [/^only an admin may change a mine's code$/, '仅系统管理员可以修改矿山编码'],
  [/^only an admin issues tokens for another user$/, '仅系统管理员可以为其他用户签发令牌'],
  [/^only an admin changes another user's password$/, '仅系统管理员可以修改其他用户的密码'],
  [/^only an admin or the mine's enterprise (issues|revokes) ingest tokens$/, (v) => `仅系统管理员或矿山所属企业可以${v === 'issues' ? '签发' : '撤销'}数据接入令牌`],
  [/^only an admin or the city regulator manages webhooks$/, '仅系统管理员或市级监管可以管理 Webhook'],
  [/^only admin and city users may change the (.+) rules?$/, '仅 admin 和 city 用户可以修改 $1 规则'],
  [/^only the city regulator or an admin edits (.+)$/, '仅市级监管或系统管理员可以编辑 $1'],
  [/^inspection plans are for regulators$/, '检查计划仅供监管部门使用'],
  [/^the mine confirms receipt of its decisions$/, '执法决定由矿山确认签收'],
  [/^division (\S+) is outside your divisions \((.+)\)$/, '区划 $1 不在您的辖区（$2）内'],
  [/^division (\S+) is outside your divisions$/, '区划 $1 不在您的辖区内'],
  [/^your scope does not cover mine "(.*)"$/, '您的权限范围不包括矿山 "$1"'],
  [/^a county user works only on enterprises registered in its divisions \((.*)\), and region_code is empty$/, '县级用户只能处理在其辖区（$1）登记的企业，而 region_code 为空'],

  // ── 401 ──
  [/^wrong username or password$/, '用户名或密码错误'],
  [/^session expired or unknown: log in again$/, '会话已过期或无效，请重新登录'],
  [/^unknown or revoked token$/, '令牌无效或已撤销'],
  [/^the account no longer exists$/, '账号已不存在'],
  [/^log in or send a bearer token$/, '请登录，或提供 Bearer 令牌'],
  [/^unknown or revoked ingest token$/, '数据接入令牌无效或已撤销'],
  [/^not an ingest token$/, '不是数据接入令牌'],

  // ── generic enum lists last: "must be a, b or c" (codes only) ──
  [/^must be ([a-z0-9_]+(?:, [a-z0-9_]+)* or [a-z0-9_]+)$/, (l) => `须为 ${orList(l)}`],
  [/^([a-z0-9_]+(?:, [a-z0-9_]+)* or [a-z0-9_]+)$/, (l) => `须为 ${orList(l)}`],
];

function render(r: Render, m: RegExpExecArray): string {
  const groups = m.slice(1).map((g) => g ?? '');
  if (typeof r === 'function') return r(...groups);
  return r.replace(/\$(\d)/g, (_, i: string) => groups[Number(i) - 1] ?? '');
}

/** The Chinese for one API message, or the message itself when no template matches. */
export function translateApiMessageZh(message: string): string {
  const s = message.trim();
  for (const [pattern, r] of API_MESSAGE_RULES) {
    const m = pattern.exec(s);
    if (m) return render(r, m);
  }
  return message;
}

/** An API message in the given locale: zh-CN translated, any other locale unchanged. */
export function translateApiMessage(message: string, locale: string): string {
  if (locale !== 'zh-CN' || !message) return message;
  return translateApiMessageZh(message);
}

/** Every value of a fields map translated (a new object). */
export function translateApiFields(fields: Record<string, string>, locale: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' ? translateApiMessage(v, locale) : v;
  return out;
}
