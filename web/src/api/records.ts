// The endpoints of the records screens: accidents, production, supervision
// staff, standardisation, plan facts, the plan's task ledger and the 2025
// base figures (internal/accident and internal/indicator).
import { http, withQuery, type Query } from './client';
import type { List, TrailEvent } from './types';

const V1 = '/api/v1';

export type AccidentGrade = 'general' | 'larger' | 'major' | 'especially_major';

export interface Accident {
  id: number;
  mine_id: number;
  mine_code: string;
  mine_name: string;
  mine_kind: string;
  coal: boolean;
  region_code: string;
  region_name: string;
  enterprise_id: number;
  occurred_at: string;
  occurred_on: string;
  type: string;
  type_name: string;
  deaths: number;
  serious_injuries: number;
  direct_loss_yuan: number;
  contractor_involved: boolean;
  narrative: string;
  grade: AccidentGrade;
  grade_name: string;
  grade_rule_version: number;
  hazards_open_before_url: string;
  warnings: string[] | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  archive_reason: string;
}

export interface AccidentInput {
  mine_id: number | null;
  occurred_at: string;
  type: string;
  deaths: number | null;
  serious_injuries: number | null;
  direct_loss_yuan: number | null;
  contractor_involved: boolean;
  narrative: string;
}

export interface Production {
  id: number;
  mine_id: number;
  mine_code: string;
  mine_name: string;
  mine_kind: string;
  coal: boolean;
  region_code: string;
  region_name: string;
  enterprise_id: number;
  month: string;
  tonnes: number;
  source: 'entry' | 'import';
  note: string;
  created_at: string;
  updated_at: string;
  replaced?: boolean;
  previous_tonnes?: number;
}

export interface ProductionList extends List<Production> {
  sum_tonnes: number;
}

export interface ImportResult {
  created: number;
  replaced: number;
  rejected: { line: number; reason: string }[] | null;
}

/** A hazard open at a mine before a day (GET /mines/{id}/hazards-open-before). */
export interface OpenHazard {
  id: number;
  mine_id: number;
  mine_name: string;
  level: string;
  source: string;
  place: string;
  hazard_type: string;
  description: string;
  state: string;
  deadline: string;
  overdue: boolean;
  reported_at: string;
  state_then: string;
  overdue_then: boolean;
}

export interface LedgerItem {
  id: number;
  task_id: number;
  task_code: string;
  task_title: string;
  plan_ref: string;
  level: 'mine' | 'division' | 'city';
  mine_id: number | null;
  mine_code: string;
  mine_name: string;
  enterprise_id: number | null;
  region_code: string;
  region_name: string;
  period: number;
  deadline: string;
  days_left: number;
  state: 'pending' | 'done' | 'verified';
  due: boolean;
  overdue: boolean;
  late: boolean;
  bound: boolean;
  evidence: string;
  done_at: string | null;
  done_by: string;
  verified_at: string | null;
  verified_by: string;
  return_reason: string;
  hazard_id: number | null;
  hazard_url: string;
  actions: string[] | null;
}

export interface Completion {
  items: number;
  pending: number;
  done: number;
  verified: number;
  due: number;
  overdue: number;
  completion_pct: number | null;
  verified_pct: number | null;
  undetermined: number;
}

export interface Clause {
  kinds?: string[];
  statuses?: string[];
  ownership?: string[];
  regions?: string[];
  name_contains?: string[];
  outsourced?: boolean;
  uninsured?: boolean;
  min_depth_m?: number;
  size_classes?: string[];
  hoist_types?: string[];
  high_risk?: boolean;
  remote?: boolean;
  power_circuits_below?: number;
  backup_power_hours_below?: number;
}

export interface LedgerTask {
  id: number;
  code: string;
  title: string;
  plan_text: string;
  plan_ref: string;
  level: 'mine' | 'division' | 'city';
  recurrence: 'once' | 'yearly';
  first_year: number;
  deadline: string;
  binding: { clauses?: Clause[] | null; include_mine_ids?: number[] | null; exclude_mine_ids?: number[] | null; regions?: string[] | null } | null;
  summary: Completion;
  divisions?: (Completion & { region_code: string; region_name: string })[] | null;
  items?: LedgerItem[] | null;
  undetermined?: { mine_id: number; mine_name: string; region_code: string; missing: string[] }[] | null;
  created_at?: string;
  updated_at?: string;
  archived_at: string | null;
  archive_reason?: string;
}

/** POST /ledger/tasks (IndicatorTaskInput). */
export interface TaskInput {
  code: string;
  title: string;
  plan_text: string;
  plan_ref: string;
  level: LedgerTask['level'];
  recurrence: LedgerTask['recurrence'];
  first_year?: number;
  deadline: string;
  binding: NonNullable<LedgerTask['binding']>;
}

/** PATCH /ledger/tasks/{id} (IndicatorTaskPatch): the fields given change; binding replaces the whole binding. */
export type TaskPatch = Partial<Pick<TaskInput, 'title' | 'plan_text' | 'plan_ref' | 'first_year' | 'deadline' | 'binding'>>;

export interface MineLedger {
  mine_id: number;
  mine_name: string;
  owed: number;
  overdue: number;
  next_deadline: string;
  items: LedgerItem[];
  undetermined: { task_id: number; task_title: string; missing: string[] }[] | null;
}

export interface PlanFacts {
  mine_id: number;
  mine_code: string;
  mine_name: string;
  mine_kind: string;
  region_code: string;
  region_name: string;
  hoist_type: '' | 'none' | 'single_rope' | 'multi_rope' | 'other';
  size_class: '' | 'large' | 'medium' | 'small';
  high_risk: boolean | null;
  remote: boolean | null;
  power_circuits: number | null;
  backup_power_hours: number | null;
  note: string;
  missing: string[] | null;
  updated_at: string | null;
}

export type PlanFactsInput = Pick<PlanFacts, 'hoist_type' | 'size_class' | 'high_risk' | 'remote' | 'power_circuits' | 'backup_power_hours' | 'note'>;

export interface StdSpotCheck {
  id: number;
  record_id: number;
  checked_on: string;
  result: 'pass' | 'rectify' | 'revoke';
  note: string;
  created_at: string;
}

export interface StdRecord {
  id: number;
  mine_id: number;
  mine_name: string;
  mine_kind: string;
  grade: 'grade1' | 'grade2' | 'grade3';
  grade_name: string;
  total_score: number | null;
  part_scores: Record<string, number> | null;
  awarded_on: string;
  expires_on: string;
  authority: string;
  certificate_no: string;
  note: string;
  revoked_on: string;
  flags: string[] | null;
  accident_flags: string[] | null;
  rule_version: number;
  spot_checks: StdSpotCheck[] | null;
  archived_at: string | null;
}

export interface MineStandardisation {
  mine_id: number;
  mine_code: string;
  mine_name: string;
  mine_kind: string;
  mine_status: string;
  region_code: string;
  region_name: string;
  size_class: string;
  as_of: string;
  grade: string;
  grade_name: string;
  record_id: number | null;
  awarded_on: string;
  expires_on: string;
  flagged: boolean;
  spot_check_due_on: string;
  spot_check_overdue: boolean;
  registry_std_grade: string;
  records?: StdRecord[] | null;
}

export interface Staff {
  id: number;
  region_code: string;
  region_name: string;
  name: string;
  unit: string;
  position: string;
  background: string;
  background_name: string;
  background_note: string;
  education: string;
  hired_on: string;
  left_on: string;
  professional: boolean;
  on_roll: boolean;
  archived_at: string | null;
}

export interface BaseRow {
  year: number;
  region_code: string;
  region_name: string;
  accidents: number | null;
  deaths: number | null;
  larger_accidents: number | null;
  major_or_worse_accidents: number | null;
  coal_deaths: number | null;
  coal_output_tonnes: number | null;
  note: string;
  updated_at: string;
}

export interface BaseData {
  year: number;
  items: BaseRow[] | null;
  records: { accidents: boolean; coal_production: boolean };
  note: string;
}

export interface IndicatorValueLite {
  value: number | null;
  base_2025: number | null;
  target_2030: number | null;
  change_vs_base_pct: number | null;
  note?: string;
}

export interface IndicatorsLite {
  year: number;
  region_code: string;
  accidents: IndicatorValueLite;
  deaths: IndicatorValueLite;
  larger_accidents: IndicatorValueLite;
  major_or_worse_accidents: IndicatorValueLite;
  coal_deaths: IndicatorValueLite;
  coal_output_tonnes: IndicatorValueLite;
  million_ton_death_rate: IndicatorValueLite;
}

type Trail = List<TrailEvent>;

export const recordsApi = {
  accidents: (q?: Query, signal?: AbortSignal) => http.get<List<Accident>>(`${V1}/accidents`, q, signal),
  accident: (id: number, signal?: AbortSignal) => http.get<Accident>(`${V1}/accidents/${id}`, undefined, signal),
  createAccident: (body: AccidentInput) => http.post<Accident>(`${V1}/accidents`, body),
  updateAccident: (id: number, body: Partial<AccidentInput>) => http.patch<Accident>(`${V1}/accidents/${id}`, body),
  archiveAccident: (id: number, reason: string) => http.post<Accident>(`${V1}/accidents/${id}/archive`, { reason }),
  accidentTrail: (id: number, signal?: AbortSignal) => http.get<Trail>(`${V1}/accidents/${id}/trail`, undefined, signal),
  accidentsXlsxUrl: (q?: Query) => withQuery(`${V1}/accidents`, { ...q, format: 'xlsx' }),
  hazardsOpenBefore: (mineId: number, date: string, signal?: AbortSignal) =>
    http.get<List<OpenHazard>>(`${V1}/mines/${mineId}/hazards-open-before`, { date }, signal),

  production: (q?: Query, signal?: AbortSignal) => http.get<ProductionList>(`${V1}/production`, q, signal),
  postProduction: (body: { mine_id: number; month: string; tonnes: number | null; note?: string }) => http.post<Production>(`${V1}/production`, body),
  importProduction: (file: File) => {
    const f = new FormData();
    f.append('file', file);
    return http.form<ImportResult>(`${V1}/production/import`, f);
  },
  productionTrail: (id: number) => http.get<Trail>(`${V1}/production/${id}/trail`),
  productionXlsxUrl: (q?: Query) => withQuery(`${V1}/production`, { ...q, format: 'xlsx' }),

  ledgerTasks: (q?: Query, signal?: AbortSignal) => http.get<List<LedgerTask>>(`${V1}/ledger/tasks`, q, signal),
  ledgerTask: (id: number, q?: Query, signal?: AbortSignal) => http.get<LedgerTask>(`${V1}/ledger/tasks/${id}`, q, signal),
  createTask: (body: TaskInput) => http.post<LedgerTask>(`${V1}/ledger/tasks`, body),
  updateTask: (id: number, body: TaskPatch) => http.patch<LedgerTask>(`${V1}/ledger/tasks/${id}`, body),
  archiveTask: (id: number, reason: string) => http.post<LedgerTask>(`${V1}/ledger/tasks/${id}/archive`, { reason }),
  ledgerItems: (q?: Query, signal?: AbortSignal) => http.get<List<LedgerItem>>(`${V1}/ledger/items`, q, signal),
  ledgerItemsXlsxUrl: (q?: Query) => withQuery(`${V1}/ledger/items`, { ...q, format: 'xlsx' }),
  ledgerTasksXlsxUrl: (q?: Query) => withQuery(`${V1}/ledger/tasks`, { ...q, format: 'xlsx' }),
  ledgerStep: (id: number, action: 'done' | 'verify' | 'return', body: { evidence?: string; reason?: string; note?: string }) =>
    http.post<LedgerItem>(`${V1}/ledger/items/${id}/${action}`, body),
  raiseHazard: (id: number, body: { deadline?: string; note?: string }) => http.post<LedgerItem>(`${V1}/ledger/items/${id}/raise-hazard`, body),
  ledgerItemTrail: (id: number) => http.get<Trail>(`${V1}/ledger/items/${id}/trail`),
  mineLedger: (mineId: number, signal?: AbortSignal) => http.get<MineLedger>(`${V1}/mines/${mineId}/ledger`, undefined, signal),

  planFacts: (q?: Query, signal?: AbortSignal) => http.get<List<PlanFacts>>(`${V1}/plan-facts`, q, signal),
  minePlanFacts: (mineId: number) => http.get<PlanFacts>(`${V1}/mines/${mineId}/plan-facts`),
  putPlanFacts: (mineId: number, body: PlanFactsInput) => http.put<PlanFacts>(`${V1}/mines/${mineId}/plan-facts`, body),
  planFactsXlsxUrl: (q?: Query) => withQuery(`${V1}/plan-facts`, { ...q, format: 'xlsx' }),

  standing: (q?: Query, signal?: AbortSignal) => http.get<List<MineStandardisation>>(`${V1}/standardisation`, q, signal),
  standingXlsxUrl: (q?: Query) => withQuery(`${V1}/standardisation`, { ...q, format: 'xlsx' }),
  mineStandardisation: (mineId: number, signal?: AbortSignal) => http.get<MineStandardisation>(`${V1}/mines/${mineId}/standardisation`, undefined, signal),
  createStdRecord: (body: Record<string, unknown>) => http.post<StdRecord>(`${V1}/standardisation/records`, body),
  spotCheck: (id: number, body: { checked_on: string; result: string; note?: string }) => http.post<StdRecord>(`${V1}/standardisation/records/${id}/spot-checks`, body),

  staff: (q?: Query, signal?: AbortSignal) => http.get<List<Staff>>(`${V1}/supervision-staff`, q, signal),
  staffXlsxUrl: (q?: Query) => withQuery(`${V1}/supervision-staff`, { ...q, format: 'xlsx' }),
  createStaff: (body: Record<string, unknown>) => http.post<Staff>(`${V1}/supervision-staff`, body),
  updateStaff: (id: number, body: Record<string, unknown>) => http.patch<Staff>(`${V1}/supervision-staff/${id}`, body),

  base: () => http.get<BaseData>(`${V1}/indicators/base`),
  putBase: (body: Record<string, unknown>) => http.put<BaseRow>(`${V1}/indicators/base`, body),
  indicators: (q: { year: number; region_code?: string }) => http.get<IndicatorsLite>(`${V1}/indicators`, q),
};
