// The logic of the double-prevention screens: the vocabularies, the list
// filter kept in the address, which loop steps a role may take in a state
// (the API decides; the screens follow each hazard's `actions` and use this
// table only where the API gave none), the forms' own checks before the API
// is asked, and the risk scores as the rules grade them.
import type { LocationQuery } from 'vue-router';
import type { Query } from '../api/client';
import type { MineKind, Role } from '../api/types';
import type {
  ControlLevel, Hazard, HazardAction, HazardLevel, HazardRules, HazardSource, HazardState, Industry, RiskBands, RiskInput, RiskLevel, RiskMethod, StepInput,
} from '../api/hazards';

export const HAZARD_LEVELS: HazardLevel[] = ['general', 'major'];
export const HAZARD_SOURCES: HazardSource[] = ['self_inspection', 'inspection', 'monitoring', 'report', 'third_party'];
export const HAZARD_STATES: HazardState[] = ['reported', 'planned', 'rectifying', 'rectified', 'verified', 'closed'];
export const HAZARD_ACTIONS: HazardAction[] = ['plan', 'start', 'rectified', 'verify', 'return', 'close'];
/** States in which the rectification is still to be done (only these can be overdue). */
export const OPEN_STATES: HazardState[] = ['reported', 'planned', 'rectifying'];
export const UNCLOSED_STATES: HazardState[] = ['reported', 'planned', 'rectifying', 'rectified', 'verified'];
export const HAZARD_TYPES = [
  'gas', 'outburst', 'ventilation', 'water', 'roof', 'rock_burst', 'fire', 'dust', 'slope', 'dump', 'tailings',
  'electrical', 'transport', 'hoisting', 'blasting', 'machinery', 'extreme_cold', 'other',
] as const;
export const RISK_LEVELS: RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];
export const CONTROL_LEVELS: ControlLevel[] = ['mine', 'department', 'team', 'post'];
export const INDUSTRIES: Industry[] = ['coal', 'metal_underground', 'metal_openpit', 'tailings'];

/** The four colours of the risk picture (红橙黄蓝). */
export const RISK_COLORS: Record<RiskLevel, string> = { red: '#d4001a', orange: '#f07c00', yellow: '#e6c200', blue: '#2f6fb5' };
export const NO_RISK_COLOR = '#a8b0ba';
export const riskColor = (l: string | null | undefined) => RISK_COLORS[l as RiskLevel] ?? NO_RISK_COLOR;

/** The catalogue that judges a mine of a kind (docs/hazards.md). */
export function industryOf(kind: MineKind | string | undefined | null): Industry | '' {
  switch (kind) {
    case 'coal_underground':
    case 'coal_openpit':
      return 'coal';
    case 'metal_underground':
      return 'metal_underground';
    case 'metal_openpit':
      return 'metal_openpit';
    case 'tailings_pond':
      return 'tailings';
  }
  return '';
}

const REGULATORS: Role[] = ['county', 'city', 'inspector'];

/** Who may report a hazard of each source (the API's table). */
export const SOURCE_ROLES: Record<HazardSource, Role[]> = {
  self_inspection: ['enterprise', 'admin'],
  inspection: ['county', 'city', 'inspector', 'admin'],
  monitoring: ['enterprise', 'county', 'city', 'inspector', 'admin'],
  report: ['county', 'city', 'inspector', 'admin'],
  third_party: ['enterprise', 'county', 'city', 'inspector', 'admin'],
};

/** The sources a role may report, the monitoring one left out (it comes from an alarm). */
export function sourcesFor(role: Role | undefined): HazardSource[] {
  if (!role) return [];
  return HAZARD_SOURCES.filter((s) => s !== 'monitoring' && SOURCE_ROLES[s].includes(role));
}

export function canReport(role: Role | undefined): boolean {
  return sourcesFor(role).length > 0;
}

/** The default source of a role's report: the mine's own check, a regulator's inspection. */
export function defaultSource(role: Role | undefined): HazardSource | '' {
  const s = sourcesFor(role);
  return s.includes('self_inspection') ? 'self_inspection' : s.includes('inspection') ? 'inspection' : (s[0] ?? '');
}

interface Transition {
  from: HazardState[];
  to: HazardState;
  roles: (level: HazardLevel) => Role[];
}

const MINE: Role[] = ['enterprise', 'admin'];
const verifiers = (level: HazardLevel): Role[] => [...REGULATORS, 'admin', ...(level === 'general' ? (['enterprise'] as Role[]) : [])];
const closers = (level: HazardLevel): Role[] => ['county', 'city', 'admin', ...(level === 'general' ? (['enterprise'] as Role[]) : [])];

/** The loop: reported → planned → rectifying → rectified → verified → closed; return sends back to rectifying. */
export const LOOP: Record<HazardAction, Transition> = {
  plan: { from: ['reported'], to: 'planned', roles: () => MINE },
  start: { from: ['planned'], to: 'rectifying', roles: () => MINE },
  rectified: { from: ['rectifying'], to: 'rectified', roles: () => MINE },
  verify: { from: ['rectified'], to: 'verified', roles: verifiers },
  return: { from: ['rectified', 'verified'], to: 'rectifying', roles: verifiers },
  close: { from: ['verified'], to: 'closed', roles: closers },
};

/** The steps the loop allows a role on a hazard of a level in a state (scope aside: the API checks it). */
export function stepsFor(role: Role | undefined, level: HazardLevel, state: HazardState): HazardAction[] {
  if (!role) return [];
  return HAZARD_ACTIONS.filter((a) => LOOP[a].from.includes(state) && LOOP[a].roles(level).includes(role));
}

/**
 * The step forms to show: the API's `actions` for this user when it gave
 * them (it knows the scope), otherwise the loop's table for the role.
 */
export function availableSteps(h: Pick<Hazard, 'level' | 'state' | 'actions'>, role: Role | undefined): HazardAction[] {
  if (Array.isArray(h.actions)) return HAZARD_ACTIONS.filter((a) => h.actions!.includes(a));
  return stepsFor(role, h.level, h.state);
}

/** Who is to act next, for the hint shown when the user has no step. */
export function waitingFor(h: Pick<Hazard, 'level' | 'state'>): 'mine' | 'regulator' | 'mineOrRegulator' | 'none' {
  if (h.state === 'closed') return 'none';
  if (OPEN_STATES.includes(h.state)) return 'mine';
  return h.level === 'major' ? 'regulator' : 'mineOrRegulator';
}

/** The fields each step's form sends. */
export function stepFields(action: HazardAction, level: HazardLevel): (keyof StepInput)[] {
  switch (action) {
    case 'plan':
      return level === 'major' ? ['responsibility', 'measures', 'funds_yuan', 'deadline', 'contingency', 'note'] : ['measures', 'responsibility', 'funds_yuan', 'deadline', 'note'];
    case 'rectified':
      return ['evidence', 'note', 'attachment_ids'];
    case 'return':
      return ['reason', 'note'];
    default:
      return ['note'];
  }
}

export type Problems = Record<string, string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && !v.trim());

/**
 * The form's own checks of a step before the API is asked: the five fixes
 * of a major hazard's plan (五落实), the evidence of a rectification, the
 * reason of a return. Keys are the API's field names; values are message
 * keys under hazard.problem.
 */
export function validateStep(action: HazardAction, level: HazardLevel, v: StepInput, reportedDeadline?: string): Problems {
  const out: Problems = {};
  if (action === 'plan') {
    if (blank(v.measures)) out.measures = 'required';
    if (level === 'major') {
      if (blank(v.responsibility)) out.responsibility = 'required';
      if (blank(v.contingency)) out.contingency = 'required';
      if (blank(v.deadline)) out.deadline = 'required';
      if (v.funds_yuan === undefined || v.funds_yuan === null || Number.isNaN(v.funds_yuan)) out.funds_yuan = 'required';
    }
    if (v.funds_yuan !== undefined && v.funds_yuan !== null && !out.funds_yuan && (!Number.isInteger(v.funds_yuan) || v.funds_yuan < 0)) out.funds_yuan = 'wholeYuan';
    if (!blank(v.deadline) && !DATE.test(v.deadline!)) out.deadline = 'date';
    else if (!blank(v.deadline) && reportedDeadline && v.deadline! > reportedDeadline) out.deadline = 'notLater';
  }
  if (action === 'rectified' && blank(v.evidence)) out.evidence = 'required';
  if (action === 'return' && blank(v.reason)) out.reason = 'required';
  return out;
}

export interface HazardForm {
  mine_id: number | null;
  /** A hazard from monitoring: the alarm it comes from (its mine and, by default, its message). */
  alarm_id?: number | null;
  level: HazardLevel | '';
  source: HazardSource | '';
  description: string;
  deadline: string;
  place: string;
  hazard_type: string;
  criterion_code: string;
}

export const emptyHazardForm = (): HazardForm => ({ mine_id: null, level: 'general', source: '', description: '', deadline: '', place: '', hazard_type: '', criterion_code: '' });

/** The new-hazard form's own checks (the API has the last word). */
export function validateHazard(f: HazardForm, today: string): Problems {
  const out: Problems = {};
  if (!f.mine_id) out.mine_id = 'required';
  if (!f.level) out.level = 'required';
  if (!f.source) out.source = 'required';
  if (blank(f.description) && !(f.source === 'monitoring' && f.alarm_id)) out.description = 'required';
  if (blank(f.deadline)) out.deadline = 'required';
  else if (!DATE.test(f.deadline)) out.deadline = 'date';
  else if (f.deadline < today) out.deadline = 'past';
  if (f.level === 'major' && blank(f.criterion_code)) out.criterion_code = 'required';
  return out;
}

/** The body of POST /hazards from the form: a general hazard cites nothing. */
export function hazardBody(f: HazardForm) {
  const body: Record<string, unknown> = {
    mine_id: f.mine_id, level: f.level, source: f.source, description: f.description.trim(), deadline: f.deadline,
  };
  if (f.source === 'monitoring' && f.alarm_id) body.alarm_id = f.alarm_id;
  if (f.place.trim()) body.place = f.place.trim();
  if (f.hazard_type) body.hazard_type = f.hazard_type;
  if (f.level === 'major') body.criterion_code = f.criterion_code;
  return body;
}

// ---- the list filter, kept in the address ----

export interface HazardFilter {
  state: string[];
  level: string;
  source: string;
  region_code: string;
  mine_id: string;
  overdue: '' | 'true' | 'false';
  supervised: '' | 'true';
  q: string;
}

export const EMPTY_HAZARD_FILTER: HazardFilter = { state: [], level: '', source: '', region_code: '', mine_id: '', overdue: '', supervised: '', q: '' };

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

export function hazardFilterFromQuery(q: LocationQuery): HazardFilter {
  const overdue = str(q.overdue);
  return {
    state: str(q.state)
      .split(',')
      .filter((s) => HAZARD_STATES.includes(s as HazardState)),
    level: HAZARD_LEVELS.includes(str(q.level) as HazardLevel) ? str(q.level) : '',
    source: HAZARD_SOURCES.includes(str(q.source) as HazardSource) ? str(q.source) : '',
    region_code: /^\d{6}$/.test(str(q.region_code)) ? str(q.region_code) : '',
    mine_id: /^\d+$/.test(str(q.mine_id)) ? str(q.mine_id) : '',
    overdue: overdue === 'true' || overdue === 'false' ? overdue : '',
    supervised: str(q.supervised) === 'true' ? 'true' : '',
    q: str(q.q),
  };
}

export function hazardFilterToQuery(f: HazardFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    const s = Array.isArray(v) ? v.join(',') : String(v).trim();
    if (s) out[k] = s;
  }
  return out;
}

export const HAZARD_SORTABLE = ['id', 'reported_at', 'deadline', 'level', 'state', 'mine_id'] as const;
export const HAZARD_DEFAULT_SORT = '-id';

export function hazardSortFromQuery(q: LocationQuery): string {
  const s = str(q.sort);
  return HAZARD_SORTABLE.includes(s.replace(/^-/, '') as (typeof HAZARD_SORTABLE)[number]) ? s : HAZARD_DEFAULT_SORT;
}

export function hazardApiQuery(f: HazardFilter, extra: Query = {}): Query {
  return { ...hazardFilterToQuery(f), ...extra };
}

// ---- risk scores ----

export const LS_VALUES = [1, 2, 3, 4, 5];
export const LEC_DEFAULTS = { l: [0.1, 0.2, 0.5, 1, 3, 6, 10], e: [0.5, 1, 2, 3, 6, 10], c: [1, 3, 7, 15, 40, 100] };

/** The score of an assessment, or null while a factor is missing. */
export function riskScore(method: RiskMethod, f: { l?: number | null; s?: number | null; e?: number | null; c?: number | null }): number | null {
  const ok = (v: number | null | undefined): v is number => typeof v === 'number' && !Number.isNaN(v);
  if (method === 'ls') return ok(f.l) && ok(f.s) ? f.l * f.s : null;
  return ok(f.l) && ok(f.e) && ok(f.c) ? Math.round(f.l * f.e * f.c * 1000) / 1000 : null;
}

/**
 * The level of a score under the bands of the rules in force: L×S reaches a
 * colour at its bound (≥), LEC must exceed it (>). A preview only: the
 * server grades the risk and its answer is what the register shows.
 */
export function gradeScore(method: RiskMethod, score: number | null, rules?: HazardRules['rules'] | null): RiskLevel | null {
  if (score === null) return null;
  const bands: RiskBands = method === 'ls' ? (rules?.risk.ls ?? { red: 20, orange: 12, yellow: 6 }) : (rules?.risk.lec ?? { red: 320, orange: 160, yellow: 70 });
  const reach = method === 'ls' ? (b: number) => score >= b : (b: number) => score > b;
  if (reach(bands.red)) return 'red';
  if (reach(bands.orange)) return 'orange';
  if (reach(bands.yellow)) return 'yellow';
  return 'blue';
}

export interface RiskForm {
  place: string;
  hazard_type: string;
  description: string;
  method: RiskMethod;
  l: number | null;
  s: number | null;
  e: number | null;
  c: number | null;
  measures: string;
  control_level: ControlLevel | '';
  responsible: string;
  review_date: string;
}

export const emptyRiskForm = (): RiskForm => ({
  place: '', hazard_type: '', description: '', method: 'ls', l: null, s: null, e: null, c: null, measures: '', control_level: '', responsible: '', review_date: '',
});

export function validateRisk(f: RiskForm): Problems {
  const out: Problems = {};
  if (blank(f.place)) out.place = 'required';
  if (!f.hazard_type) out.hazard_type = 'required';
  if (blank(f.measures)) out.measures = 'required';
  if (!f.control_level) out.control_level = 'required';
  if (blank(f.responsible)) out.responsible = 'required';
  if (f.l === null) out.l = 'required';
  if (f.method === 'ls' && f.s === null) out.s = 'required';
  if (f.method === 'lec') {
    if (f.e === null) out.e = 'required';
    if (f.c === null) out.c = 'required';
  }
  if (f.review_date && !DATE.test(f.review_date)) out.review_date = 'date';
  return out;
}

/** The body of a risk: only the method's factors. */
export function riskBody(f: RiskForm): RiskInput {
  const body: RiskInput = {
    place: f.place.trim(), hazard_type: f.hazard_type, description: f.description.trim(), method: f.method, l: f.l,
    measures: f.measures.trim(), control_level: f.control_level, responsible: f.responsible.trim(), review_date: f.review_date,
  };
  if (f.method === 'ls') body.s = f.s;
  else {
    body.e = f.e;
    body.c = f.c;
  }
  return body;
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);
}
