// Pure logic of the enforcement screens: the states and steps of the
// inspection and decision loops (docs/enforcement.md), the discretion range
// check of a fine, what a role is offered, and the checks a form makes before
// the API is asked (the API decides anyway).
import type { Principal, Role } from '../api/types';
import type {
  Circumstance, Decision, DecisionKind, DecisionState, DecisionStep, FindingInput, Inspection, InspectionState, Inspector, Range,
  RiskClass, ViolationType,
} from '../api/enforce';
import { CITY_CODE, coversRegion } from './permissions';

export const INSPECTION_STATES: InspectionState[] = ['draft', 'submitted', 'decided', 'rechecked', 'closed'];
export const DECISION_KINDS: DecisionKind[] = ['rectify', 'halt', 'fine'];
export const DECISION_STATES: DecisionState[] = ['proposed', 'issued', 'payment_reported', 'paid', 'transferred', 'withdrawn', 'in_force', 'lifted'];
export const CIRCUMSTANCES: Circumstance[] = ['light', 'general', 'serious'];
export const RISK_CLASSES: RiskClass[] = ['major', 'high', 'medium', 'low'];
export const RISK_COLOR: Record<RiskClass, string> = { major: '#d4001a', high: '#f07c00', medium: '#e6b800', low: '#2f6fb5' };
export const SEALED_STATUSES = ['suspended', 'closed', 'halted'];

const REGULATORS: Role[] = ['county', 'city', 'admin'];
const INSPECTORS: Role[] = ['inspector', 'county', 'city', 'admin'];

/** The decision loop: step → the kind it belongs to, the states it leaves, the roles (the API's DecisionLoop). */
export const DECISION_LOOP: Record<DecisionStep, { kind: DecisionKind | null; from: DecisionState[]; roles: Role[] }> = {
  receipt: { kind: null, from: ['issued', 'in_force', 'lifted', 'payment_reported', 'paid', 'transferred'], roles: ['enterprise'] },
  lift: { kind: 'halt', from: ['in_force'], roles: REGULATORS },
  issue: { kind: 'fine', from: ['proposed'], roles: REGULATORS },
  withdraw: { kind: 'fine', from: ['proposed'], roles: REGULATORS },
  'report-payment': { kind: 'fine', from: ['issued'], roles: ['enterprise'] },
  'confirm-payment': { kind: 'fine', from: ['payment_reported'], roles: REGULATORS },
  'reject-payment': { kind: 'fine', from: ['payment_reported'], roles: REGULATORS },
  transfer: { kind: 'fine', from: ['issued'], roles: REGULATORS },
};
export const DECISION_STEPS = Object.keys(DECISION_LOOP) as DecisionStep[];

/** The fields each decision step sends. */
export const STEP_FIELDS: Record<DecisionStep, string[]> = {
  receipt: [],
  lift: ['reason'],
  issue: ['note'],
  withdraw: ['reason'],
  'report-payment': ['paid_on', 'amount_yuan', 'evidence'],
  'confirm-payment': ['note'],
  'reject-payment': ['reason'],
  transfer: ['department', 'transferred_on', 'receipt_no'],
};

/**
 * The steps a user is offered on a decision: the API's `actions` when it gave
 * them (the truth for this user), else what the loop allows the role.
 */
export function decisionSteps(d: Pick<Decision, 'kind' | 'state' | 'actions' | 'received_at'>, role: Role | undefined): DecisionStep[] {
  if (Array.isArray(d.actions)) return DECISION_STEPS.filter((s) => d.actions!.includes(s));
  if (!role) return [];
  return DECISION_STEPS.filter((s) => {
    const rule = DECISION_LOOP[s];
    if (!rule.roles.includes(role)) return false;
    if (s === 'receipt') return !d.received_at && d.state !== 'proposed' && d.state !== 'withdrawn';
    return rule.kind === d.kind && rule.from.includes(d.state);
  });
}

/** The inspection steps a user is offered (the API's actions: add-finding, submit, decisions, recheck, close). */
export function inspectionSteps(insp: Pick<Inspection, 'state' | 'actions'>, role: Role | undefined): string[] {
  if (Array.isArray(insp.actions)) return insp.actions;
  if (!role) return [];
  const out: string[] = [];
  if (insp.state === 'draft' && INSPECTORS.includes(role)) out.push('add-finding', 'submit');
  if ((insp.state === 'submitted' || insp.state === 'decided') && REGULATORS.includes(role)) out.push('decisions');
  if (insp.state === 'decided' && INSPECTORS.includes(role)) out.push('recheck');
  if ((insp.state === 'submitted' || insp.state === 'rechecked') && REGULATORS.includes(role)) out.push('close');
  return out;
}

export const canRecordInspection = (p: Principal | null) => !!p && INSPECTORS.includes(p.role);
export const canDecide = (p: Principal | null) => !!p && REGULATORS.includes(p.role);
export const canPlan = (p: Principal | null) => !!p && REGULATORS.includes(p.role);
/** Plans and draws are hidden from enterprises (and not for the other non-regulators). */
export const canSeePlans = (p: Principal | null) => !!p && ['admin', 'city', 'county', 'inspector', 'observer'].includes(p.role);
export const canPublishRules = (p: Principal | null) => !!p && (p.role === 'city' || p.role === 'admin');
/** Blacklist entry and exit: county (enterprise in scope), city, admin. */
export function canBlacklist(p: Principal | null, regionCodes: string[] = []): boolean {
  if (!p) return false;
  if (p.role === 'city' || p.role === 'admin') return true;
  if (p.role === 'county') return p.regions.includes(CITY_CODE) || regionCodes.some((c) => coversRegion(p, c));
  return false;
}
/** Declaring a mine's power baseline: county in its divisions, city, admin. */
export function canSetBaseline(p: Principal | null, regionCode: string): boolean {
  if (!p) return false;
  if (p.role === 'city' || p.role === 'admin') return true;
  return p.role === 'county' && coversRegion(p, regionCode);
}

export const isSealed = (status: string) => SEALED_STATUSES.includes(status);

// ---- fines --------------------------------------------------------------

export function findViolation(types: ViolationType[] | undefined, code: string): ViolationType | undefined {
  return types?.find((t) => t.code === code);
}

/** The range of a violation type in a circumstance, or null. */
export function fineRange(types: ViolationType[] | undefined, code: string, circ: Circumstance | '' | undefined): Range | null {
  const t = findViolation(types, code);
  if (!t || !circ) return null;
  return t[circ] ?? null;
}

export interface FineCheck {
  range: Range | null;
  /** The amount is a positive whole number of yuan. */
  valid: boolean;
  /** Outside the range (the edges are inside): a written reason is needed. */
  outside: boolean;
  needsReason: boolean;
}

/** Checks an amount against the benchmark as the API does (both edges inside). */
export function checkFine(types: ViolationType[] | undefined, code: string, circ: Circumstance | '' | undefined, amount: number | null | undefined, reason = ''): FineCheck {
  const range = fineRange(types, code, circ);
  const valid = typeof amount === 'number' && Number.isInteger(amount) && amount > 0;
  const outside = !!range && valid && (amount! < range.min_yuan || amount! > range.max_yuan);
  return { range, valid, outside, needsReason: outside && !reason.trim() };
}

/** Whole yuan typed by a user ("12,000", "12000") → integer, or null. */
export function parseYuan(s: string | number | null | undefined): number | null {
  if (typeof s === 'number') return Number.isInteger(s) ? s : null;
  if (!s) return null;
  const t = String(s).replace(/[,，\s]/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** "12,000 元" style grouping (the unit is added by the message). */
export function yuan(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString('en-US');
}

// ---- forms --------------------------------------------------------------

export type FieldErrors = Record<string, string>;
/** Messages are i18n keys under `enforce.check.` with params. */
export type Problem = { key: string; params?: Record<string, unknown> };
export type Problems = Record<string, Problem>;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The problems of a finding as the API would see them, keyed like the API (`findings[i].field`). */
export function findingProblems(f: FindingInput, at: string, inspectionDate: string): Problems {
  const out: Problems = {};
  if (!f.description?.trim()) out[`${at}.description`] = { key: 'description' };
  if (!f.becomes_hazard && !f.violation_type) out[`${at}.becomes_hazard`] = { key: 'hazardOrViolation' };
  if (f.becomes_hazard) {
    if (f.hazard_level !== 'general' && f.hazard_level !== 'major') out[`${at}.hazard_level`] = { key: 'hazardLevel' };
    if (f.hazard_level === 'major' && !f.criterion_code?.trim()) out[`${at}.criterion_code`] = { key: 'criterion' };
    if (!f.deadline) out[`${at}.deadline`] = { key: 'deadline' };
  }
  if (f.deadline && inspectionDate && DATE_RE.test(inspectionDate) && f.deadline < inspectionDate) out[`${at}.deadline`] = { key: 'deadlineBefore', params: { date: inspectionDate } };
  return out;
}

export interface InspectionForm {
  mine_id: number | null;
  date: string;
  inspectors: Inspector[];
  findings: FindingInput[];
}

/** The problems of a new inspection before it is sent. */
export function inspectionProblems(form: InspectionForm, today: string): Problems {
  const out: Problems = {};
  if (!form.mine_id) out.mine_id = { key: 'mine' };
  if (!form.date || !DATE_RE.test(form.date)) out.date = { key: 'date' };
  else if (form.date > today) out.date = { key: 'dateFuture', params: { today } };
  const filled = form.inspectors.filter((i) => i.name.trim() || i.certificate_no.trim());
  if (filled.length < 2) out.inspectors = { key: 'twoInspectors' };
  const seen = new Set<string>();
  form.inspectors.forEach((i, n) => {
    if (!i.name.trim() && !i.certificate_no.trim()) return;
    if (!i.name.trim()) out[`inspectors[${n}].name`] = { key: 'required' };
    const c = i.certificate_no.trim();
    if (!c) out[`inspectors[${n}].certificate_no`] = { key: 'certificate' };
    else if (seen.has(c)) out[`inspectors[${n}].certificate_no`] = { key: 'twice' };
    seen.add(c);
  });
  form.findings.forEach((f, n) => Object.assign(out, findingProblems(f, `findings[${n}]`, form.date)));
  return out;
}

/** The inspectors to send: the rows that have anything in them, trimmed. */
export function cleanInspectors(list: Inspector[]): Inspector[] {
  return list.filter((i) => i.name.trim() || i.certificate_no.trim()).map((i) => ({ name: i.name.trim(), certificate_no: i.certificate_no.trim() }));
}

/** A finding to send: only the fields its kind uses. */
export function cleanFinding(f: FindingInput): FindingInput {
  const out: FindingInput = { description: f.description.trim() };
  if (f.becomes_hazard) {
    out.becomes_hazard = true;
    out.hazard_level = f.hazard_level;
    out.deadline = f.deadline;
    if (f.hazard_level === 'major') out.criterion_code = f.criterion_code?.trim();
  }
  if (f.violation_type) out.violation_type = f.violation_type;
  if (f.legal_basis?.trim()) out.legal_basis = f.legal_basis.trim();
  return out;
}

/** The problems of a decision before it is sent (the fine range uses the benchmark). */
export function decisionProblems(
  d: { kind: DecisionKind | ''; deadline?: string; violation_type?: string; circumstance?: Circumstance | ''; amount?: string | number; reason?: string },
  types: ViolationType[] | undefined,
  today: string,
): Problems {
  const out: Problems = {};
  if (!d.kind) out.kind = { key: 'kind' };
  if (d.kind === 'rectify') {
    if (!d.deadline) out.deadline = { key: 'deadline' };
    else if (d.deadline < today) out.deadline = { key: 'deadlineToday', params: { today } };
  }
  if (d.kind === 'fine') {
    if (!d.violation_type) out.violation_type = { key: 'violation' };
    if (!d.circumstance) out.circumstance = { key: 'circumstance' };
    const amount = parseYuan(d.amount);
    const c = checkFine(types, d.violation_type ?? '', d.circumstance ?? '', amount, d.reason);
    if (!c.valid) out.amount_yuan = { key: 'amount' };
    else if (c.needsReason && c.range) out.reason = { key: 'outsideReason', params: { min: yuan(c.range.min_yuan), max: yuan(c.range.max_yuan) } };
  }
  return out;
}
