// The logic of the records screens (accidents, production, the ledger,
// standardisation, staff), kept out of the components so it can be tested.
import type { LocationQuery } from 'vue-router';
import type { Query } from '../api/client';
import type { AccidentGrade, Clause, LedgerItem, LedgerTask, Production, Staff, TaskInput, TaskPatch } from '../api/records';
import type { Principal } from '../api/types';

export const ACCIDENT_TYPES = [
  'roof', 'gas_explosion', 'gas_outburst', 'water', 'fire', 'transport', 'hoisting',
  'electrical', 'blasting', 'slope_slide', 'dump_slide', 'tailings_failure', 'poisoning', 'other',
] as const;
export const ACCIDENT_GRADES: AccidentGrade[] = ['general', 'larger', 'major', 'especially_major'];
export const RECORD_TABS = ['accidents', 'production', 'ledger', 'facts', 'standardisation', 'staff', 'base'] as const;
export type RecordTab = (typeof RECORD_TABS)[number];
export const BACKGROUNDS = [
  'mining', 'electromechanical', 'ventilation', 'geology', 'surveying', 'safety_engineering',
  'hydrogeology', 'mineral_processing', 'other_professional', 'none',
] as const;
/** The plan's floor for professionals among supervision staff (专栏1 第6项). */
export const PROFESSIONAL_TARGET_PCT = 75;
export const COAL_KINDS = ['coal_underground', 'coal_openpit'];

/** Element Plus tag type of a grade: the graver, the redder. */
export function gradeTagType(g: string): 'info' | 'warning' | 'danger' | 'primary' {
  if (g === 'larger') return 'warning';
  if (g === 'major' || g === 'especially_major') return 'danger';
  return 'info';
}

export function tabFromQuery(q: LocationQuery): RecordTab {
  const v = String(q.tab ?? '');
  return (RECORD_TABS as readonly string[]).includes(v) ? (v as RecordTab) : 'accidents';
}

/** The accident list's filters as kept in the address. */
export interface AccidentFilter {
  year: string;
  region_code: string;
  mine_id: string;
  type: string[];
  grade: string[];
  q: string;
}

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v));
const list = (v: unknown) =>
  one(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function accidentFilterFromQuery(q: LocationQuery): AccidentFilter {
  const year = one(q.year);
  return {
    year: /^\d{4}$/.test(year) ? year : '',
    region_code: one(q.region_code),
    mine_id: /^\d+$/.test(one(q.mine_id)) ? one(q.mine_id) : '',
    type: list(q.type).filter((t) => (ACCIDENT_TYPES as readonly string[]).includes(t)),
    grade: list(q.grade).filter((g) => (ACCIDENT_GRADES as string[]).includes(g)),
    q: one(q.q),
  };
}

/** The filter as address parameters (empty ones left out). */
export function accidentFilterToQuery(f: AccidentFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.year) out.year = f.year;
  if (f.region_code) out.region_code = f.region_code;
  if (f.mine_id) out.mine_id = f.mine_id;
  if (f.type.length) out.type = f.type.join(',');
  if (f.grade.length) out.grade = f.grade.join(',');
  if (f.q.trim()) out.q = f.q.trim();
  return out;
}

/** The filter as API parameters (the API takes comma-separated lists). */
export function accidentApiQuery(f: AccidentFilter, extra: Query = {}): Query {
  return { ...accidentFilterToQuery(f), ...extra };
}

/**
 * A datetime-local value (YYYY-MM-DDTHH:mm, the user's wall clock, which the
 * screens treat as Asia/Shanghai) from an instant.
 */
export function shanghaiLocal(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return s.slice(0, 16);
}

/** An instant shown as Asia/Shanghai wall-clock time, YYYY-MM-DD HH:mm. */
export function fmtShanghai(iso: string | null | undefined): string {
  if (!iso) return '—';
  const v = shanghaiLocal(iso);
  return v ? v.replace('T', ' ') : '—';
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return shanghaiLocal(now).slice(0, 10);
}

/** This month in Asia/Shanghai, YYYY-MM. */
export function shanghaiMonth(now = new Date()): string {
  return shanghaiLocal(now).slice(0, 7);
}

/** Whole-number form fields: '' is missing (null), anything else a number (the API judges it). */
export function numberOrNull(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = v.trim().replace(/,/g, '');
  if (!s) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/** Yuan written for people: 12 345 678 → "1234.57 万元" in zh, "12,345,678" otherwise. */
export function fmtYuan(v: number, locale: string): string {
  if (locale.startsWith('zh')) return v >= 10_000 ? `${(v / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元` : `${v} 元`;
  return `¥${v.toLocaleString('en')}`;
}

export function fmtTonnes(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

/** The twelve months of a year, YYYY-MM. */
export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

export interface GridRow {
  mine_id: number;
  mine_name: string;
  mine_code: string;
  region_name: string;
  coal: boolean;
  /** By month index 0–11: the figure, or null when none was posted. */
  months: (Production | null)[];
  total: number;
}

/** Production figures of a year as a grid of mines × months, mines by division then name. */
export function productionGrid(items: Production[], year: number): GridRow[] {
  const rows = new Map<number, GridRow>();
  const prefix = `${year}-`;
  for (const p of items) {
    if (!p.month.startsWith(prefix)) continue;
    const m = Number(p.month.slice(5, 7)) - 1;
    if (m < 0 || m > 11) continue;
    let r = rows.get(p.mine_id);
    if (!r) {
      r = { mine_id: p.mine_id, mine_name: p.mine_name, mine_code: p.mine_code, region_name: p.region_name, coal: p.coal, months: Array(12).fill(null), total: 0 };
      rows.set(p.mine_id, r);
    }
    r.months[m] = p;
  }
  for (const r of rows.values()) r.total = r.months.reduce((s, p) => s + (p?.tonnes ?? 0), 0);
  return [...rows.values()].sort((a, b) => a.region_name.localeCompare(b.region_name, 'zh-CN') || a.mine_name.localeCompare(b.mine_name, 'zh-CN'));
}

/** Column sums of a grid (by month) and the grand total. */
export function gridTotals(rows: GridRow[]): { months: number[]; total: number } {
  const months = Array(12).fill(0) as number[];
  for (const r of rows) r.months.forEach((p, i) => (months[i] += p?.tonnes ?? 0));
  return { months, total: months.reduce((a, b) => a + b, 0) };
}

/** The share of professionals on the roll, and whether it meets the 75 % floor. */
export function professionalShare(staff: Pick<Staff, 'professional' | 'on_roll' | 'archived_at'>[]): { professional: number; total: number; pct: number | null; met: boolean | null } {
  const roll = staff.filter((s) => s.on_roll && !s.archived_at);
  const professional = roll.filter((s) => s.professional).length;
  if (!roll.length) return { professional: 0, total: 0, pct: null, met: null };
  const pct = Math.round((professional / roll.length) * 1000) / 10;
  return { professional, total: roll.length, pct, met: pct >= PROFESSIONAL_TARGET_PCT };
}

/** A ledger item's standing, for the tag and the sort: overdue first. */
export function itemStanding(i: Pick<LedgerItem, 'state' | 'overdue' | 'late' | 'days_left'>): 'overdue' | 'soon' | 'pending' | 'done' | 'verified' {
  if (i.state === 'verified') return 'verified';
  if (i.state === 'done') return 'done';
  if (i.overdue) return 'overdue';
  if (i.days_left <= 90) return 'soon';
  return 'pending';
}

export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${Math.round(v * 10) / 10}%`;
}

/** Who enters accidents (admin, city, county); the API decides anyway. */
export function canEnterAccidents(p: Principal | null): boolean {
  return !!p && (p.role === 'admin' || p.role === 'city' || p.role === 'county');
}

/** Who posts production: regulators who enter records and the mine's enterprise. */
export function canPostProduction(p: Principal | null): boolean {
  return !!p && (canEnterAccidents(p) || p.role === 'enterprise');
}

/** admin and city: 2025 base data, standardisation records, tasks. */
export function isCityLevel(p: Principal | null): boolean {
  return !!p && (p.role === 'admin' || p.role === 'city');
}

/** admin, city, county: supervision staff. */
export function canEditStaff(p: Principal | null): boolean {
  return canEnterAccidents(p);
}

/** Plan facts: regulators who edit the registry, and the mine's enterprise. */
export function canEditFacts(p: Principal | null): boolean {
  return canPostProduction(p);
}

/**
 * The grade the §7.4 score rule gives coal-mine scores (一级: total ≥ 90,
 * disaster prevention and professional management ≥ 90, basic management
 * ≥ 85; 二级: total and every part ≥ 80; 三级: ≥ 70), to show beside the
 * awarded grade. The server's flags decide; this only explains them.
 */
export function gradeByScores(total: number | null, parts: Record<string, number> | null): 'grade1' | 'grade2' | 'grade3' | '' {
  if (total === null || total === undefined) return '';
  const p = parts ?? {};
  const vals = Object.values(p);
  const min = vals.length ? Math.min(...vals) : Infinity;
  if (total >= 90 && (p.disaster_prevention ?? 100) >= 90 && (p.professional_management ?? 100) >= 90 && (p.basic_management ?? 100) >= 85) return 'grade1';
  if (total >= 80 && min >= 80) return 'grade2';
  if (total >= 70 && min >= 70) return 'grade3';
  return '';
}

// ---- the plan's tasks: the add/edit form ----

/** The registry's vocabularies a binding clause may name (internal/indicator: checkTask). */
export const TASK_LEVELS = ['mine', 'division', 'city'] as const;
export const TASK_RECURRENCES = ['once', 'yearly'] as const;
export const CLAUSE_KINDS = ['coal_underground', 'coal_openpit', 'metal_underground', 'metal_openpit', 'tailings_pond'] as const;
export const CLAUSE_STATUSES = ['producing', 'constructing', 'suspended', 'halted', 'closed'] as const;
export const CLAUSE_OWNERSHIPS = ['central_soe', 'local_soe', 'private', 'other'] as const;
export const CLAUSE_SIZES = ['large', 'medium', 'small'] as const;
export const CLAUSE_HOISTS = ['none', 'single_rope', 'multi_rope', 'other'] as const;
/** The yes/no conditions of a clause; '' is "either". */
export const CLAUSE_FLAGS = ['outsourced', 'uninsured', 'high_risk', 'remote'] as const;
/** The numeric conditions of a clause, and whether each must be whole. */
export const CLAUSE_NUMBERS = { min_depth_m: false, power_circuits_below: true, backup_power_hours_below: false } as const;

export type Tri = '' | 'yes' | 'no';
type ClauseNumber = keyof typeof CLAUSE_NUMBERS;

/** A clause as edited: lists as lists, yes/no as '' | yes | no, numbers as text. */
export interface ClauseForm {
  kinds: string[];
  statuses: string[];
  ownership: string[];
  regions: string[];
  name_contains: string[];
  size_classes: string[];
  hoist_types: string[];
  outsourced: Tri;
  uninsured: Tri;
  high_risk: Tri;
  remote: Tri;
  min_depth_m: string;
  power_circuits_below: string;
  backup_power_hours_below: string;
}

/** A mine added or excluded by hand, with what the tag shows. */
export interface PickedMine {
  id: number;
  name: string;
  region_name: string;
}

export interface TaskFormValues {
  code: string;
  title: string;
  plan_text: string;
  plan_ref: string;
  level: LedgerTask['level'];
  recurrence: LedgerTask['recurrence'];
  first_year: string;
  deadline: string;
  clauses: ClauseForm[];
  include: PickedMine[];
  exclude: PickedMine[];
  /** The divisions a division task binds (none: every division). */
  regions: string[];
}

export const blankClause = (): ClauseForm => ({
  kinds: [], statuses: [], ownership: [], regions: [], name_contains: [], size_classes: [], hoist_types: [],
  outsourced: '', uninsured: '', high_risk: '', remote: '', min_depth_m: '', power_circuits_below: '', backup_power_hours_below: '',
});

const tri = (v: boolean | undefined | null): Tri => (v === true ? 'yes' : v === false ? 'no' : '');
const numText = (v: number | undefined | null) => (v === undefined || v === null ? '' : String(v));

export function clauseToForm(c: Clause): ClauseForm {
  return {
    kinds: [...(c.kinds ?? [])], statuses: [...(c.statuses ?? [])], ownership: [...(c.ownership ?? [])], regions: [...(c.regions ?? [])],
    name_contains: [...(c.name_contains ?? [])], size_classes: [...(c.size_classes ?? [])], hoist_types: [...(c.hoist_types ?? [])],
    outsourced: tri(c.outsourced), uninsured: tri(c.uninsured), high_risk: tri(c.high_risk), remote: tri(c.remote),
    min_depth_m: numText(c.min_depth_m), power_circuits_below: numText(c.power_circuits_below), backup_power_hours_below: numText(c.backup_power_hours_below),
  };
}

/** A clause as the API takes it: empty conditions left out (numbers must have passed taskFormErrors). */
export function clauseFromForm(f: ClauseForm): Clause {
  const c: Clause = {};
  const lists = ['kinds', 'statuses', 'ownership', 'regions', 'size_classes', 'hoist_types'] as const;
  for (const k of lists) if (f[k].length) c[k] = [...f[k]];
  const names = f.name_contains.map((s) => s.trim()).filter(Boolean);
  if (names.length) c.name_contains = names;
  for (const k of CLAUSE_FLAGS) if (f[k]) c[k] = f[k] === 'yes';
  for (const k of Object.keys(CLAUSE_NUMBERS) as ClauseNumber[]) {
    const n = numberOrNull(f[k]);
    if (n !== null) c[k] = n;
  }
  return c;
}

/** Whether a clause has no condition at all (it then binds every mine). */
export const clauseIsEmpty = (c: Clause) => Object.keys(c).length === 0;

/** The form of a task being edited, or of a new one. Mines by hand get their names from `names` (else "#id"). */
export function taskFormFrom(task?: LedgerTask | null, names: Map<number, PickedMine> = new Map()): TaskFormValues {
  const picked = (ids: number[] | null | undefined) => (ids ?? []).map((id) => names.get(id) ?? { id, name: `#${id}`, region_name: '' });
  if (!task) {
    return { code: '', title: '', plan_text: '', plan_ref: '', level: 'mine', recurrence: 'once', first_year: '', deadline: '', clauses: [blankClause()], include: [], exclude: [], regions: [] };
  }
  const b = task.binding ?? {};
  return {
    code: task.code, title: task.title, plan_text: task.plan_text, plan_ref: task.plan_ref, level: task.level, recurrence: task.recurrence,
    first_year: task.first_year ? String(task.first_year) : '', deadline: task.deadline,
    clauses: (b.clauses ?? []).map(clauseToForm), include: picked(b.include_mine_ids), exclude: picked(b.exclude_mine_ids), regions: [...(b.regions ?? [])],
  };
}

/** The names the tags of a task's mines by hand show, as far as its items tell them. */
export function mineNamesOf(task: LedgerTask): Map<number, PickedMine> {
  const out = new Map<number, PickedMine>();
  for (const i of task.items ?? []) if (i.mine_id !== null && !out.has(i.mine_id)) out.set(i.mine_id, { id: i.mine_id, name: i.mine_name, region_name: i.region_name });
  for (const u of task.undetermined ?? []) if (!out.has(u.mine_id)) out.set(u.mine_id, { id: u.mine_id, name: u.mine_name, region_name: '' });
  return out;
}

/** Adds a mine to one list by hand and takes it off the other (a mine is added or excluded, not both). */
export function pickMine(into: PickedMine[], other: PickedMine[], m: PickedMine): { into: PickedMine[]; other: PickedMine[] } {
  return { into: into.some((x) => x.id === m.id) ? into : [...into, m], other: other.filter((x) => x.id !== m.id) };
}

export type TaskBinding = NonNullable<LedgerTask['binding']>;

/** The binding the API takes for the form's level: a mine task binds mines, a division task divisions, a city task nothing. */
export function bindingFromForm(f: TaskFormValues): TaskBinding {
  if (f.level === 'mine') {
    return { clauses: f.clauses.map(clauseFromForm), include_mine_ids: f.include.map((m) => m.id), exclude_mine_ids: f.exclude.map((m) => m.id), regions: [] };
  }
  return { clauses: [], include_mine_ids: [], exclude_mine_ids: [], regions: f.level === 'division' ? [...f.regions] : [] };
}

/** A binding in one spelling (nulls as empty lists, clauses in the form's order of keys), to compare. */
export function normBinding(b: LedgerTask['binding'] | undefined): string {
  return JSON.stringify({
    clauses: (b?.clauses ?? []).map((c) => clauseFromForm(clauseToForm(c))),
    include_mine_ids: b?.include_mine_ids ?? [],
    exclude_mine_ids: b?.exclude_mine_ids ?? [],
    regions: b?.regions ?? [],
  });
}

/** What the API cannot read (numbers that are not numbers) or refuses without asking, keyed as the API keys its fields. */
export function taskFormErrors(f: TaskFormValues, msg: { number: string; whole: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.recurrence === 'yearly') {
    const y = numberOrNull(f.first_year);
    if (y !== null && (Number.isNaN(y) || !Number.isInteger(y))) out.first_year = msg.whole;
  }
  if (f.level !== 'mine') return out;
  f.clauses.forEach((c, i) => {
    for (const [k, whole] of Object.entries(CLAUSE_NUMBERS) as [ClauseNumber, boolean][]) {
      const n = numberOrNull(c[k]);
      if (n === null) continue;
      if (Number.isNaN(n) || n < 0) out[`binding.clauses[${i}].${k}`] = msg.number;
      else if (whole && !Number.isInteger(n)) out[`binding.clauses[${i}].${k}`] = msg.whole;
    }
  });
  return out;
}

/** The body of POST /ledger/tasks. */
export function taskBody(f: TaskFormValues): TaskInput {
  const body: TaskInput = {
    code: f.code.trim(), title: f.title.trim(), plan_text: f.plan_text.trim(), plan_ref: f.plan_ref.trim(), level: f.level, recurrence: f.recurrence,
    deadline: f.deadline.trim(), binding: bindingFromForm(f),
  };
  const y = numberOrNull(f.first_year);
  if (f.recurrence === 'yearly' && y !== null) body.first_year = y;
  return body;
}

/** The body of PATCH /ledger/tasks/{id}: only what changed (code, level and recurrence are fixed once created). */
export function taskPatch(f: TaskFormValues, cur: LedgerTask): TaskPatch {
  const p: TaskPatch = {};
  for (const k of ['title', 'plan_text', 'plan_ref', 'deadline'] as const) if (f[k].trim() !== cur[k]) p[k] = f[k].trim();
  const y = numberOrNull(f.first_year);
  if (cur.recurrence === 'yearly' && y !== null && y !== cur.first_year) p.first_year = y;
  const b = bindingFromForm({ ...f, level: cur.level });
  if (normBinding(b) !== normBinding(cur.binding)) p.binding = b;
  return p;
}

/** The field an API message is keyed by, for the form control that shows it. */
export const clauseField = (i: number, k: keyof ClauseForm) => `binding.clauses[${i}].${k}`;

/** Fields the form shows at a control; the rest show above the form. */
export function taskOrphanFields(fields: Record<string, string>, clauses: number): [string, string][] {
  const known = new Set(['code', 'title', 'plan_text', 'plan_ref', 'level', 'recurrence', 'first_year', 'deadline', 'binding', 'binding.regions', 'binding.include_mine_ids', 'binding.exclude_mine_ids']);
  const clauseKeys = Object.keys(blankClause()) as (keyof ClauseForm)[];
  for (let i = 0; i < clauses; i++) for (const k of clauseKeys) known.add(clauseField(i, k));
  return Object.entries(fields).filter(([k]) => !known.has(k));
}

/**
 * Whom a task binds by its answer: the mines (or divisions, or the city)
 * that owe it an item still bound, how many items, and the mines left
 * undetermined for want of facts.
 */
export function taskReach(task: Pick<LedgerTask, 'items' | 'undetermined' | 'summary'>): { owners: number; items: number; undetermined: number } {
  const owners = new Set<string>();
  let items = 0;
  for (const i of task.items ?? []) {
    if (!i.bound) continue;
    items++;
    owners.add(i.mine_id !== null ? `m${i.mine_id}` : `r${i.region_code}`);
  }
  return { owners: owners.size, items, undetermined: task.undetermined?.length ?? task.summary?.undetermined ?? 0 };
}

/** The reason of an archive, required. */
export const archiveReasonMissing = (reason: string) => !reason.trim();
