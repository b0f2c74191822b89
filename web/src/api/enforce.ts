// The enforcement endpoints (docs/enforcement.md): plans and random draws,
// inspections, decisions, the discretion benchmark, the blacklist and the
// power baselines of sealed mines.
import { http, withQuery, type Query } from './client';
import type { List, MineKind, TrailEvent } from './types';

const V1 = '/api/v1';

export type InspectionState = 'draft' | 'submitted' | 'decided' | 'rechecked' | 'closed';
export type DecisionKind = 'rectify' | 'halt' | 'fine';
export type DecisionState = 'issued' | 'in_force' | 'lifted' | 'proposed' | 'payment_reported' | 'paid' | 'transferred' | 'withdrawn';
export type Circumstance = 'light' | 'general' | 'serious';
export type RiskClass = 'major' | 'high' | 'medium' | 'low';
export type CheckResult = 'ok' | 'problem' | 'na';
export type DecisionStep = 'receipt' | 'lift' | 'issue' | 'withdraw' | 'report-payment' | 'confirm-payment' | 'reject-payment' | 'transfer';

export interface Inspector {
  name: string;
  certificate_no: string;
}

export interface CheckItem {
  code: string;
  item: string;
  basis: string;
}

export interface CheckAnswer {
  code: string;
  item?: string;
  result: CheckResult;
  note?: string;
}

export interface FindingInput {
  description: string;
  legal_basis?: string;
  becomes_hazard?: boolean;
  hazard_level?: 'general' | 'major' | '';
  criterion_code?: string;
  deadline?: string;
  violation_type?: string;
}

export interface Finding extends FindingInput {
  id: number;
  seq: number;
  hazard_id: number | null;
}

export interface Recheck {
  id: number;
  date: string;
  result: 'pass' | 'fail';
  note: string;
  created_at: string;
  creator: string;
}

export interface Decision {
  id: number;
  inspection_id: number;
  mine_id: number;
  mine_name: string;
  region_code: string;
  enterprise_id: number;
  enterprise_name: string;
  kind: DecisionKind;
  state: DecisionState;
  doc_no: string;
  note: string;
  deadline?: string;
  finding_ids?: number[];
  previous_status?: string;
  lifted_at?: string;
  lifted_by?: string;
  lift_reason?: string;
  violation_type?: string;
  violation_name?: string;
  legal_basis?: string;
  circumstance?: Circumstance | '';
  amount_yuan?: number | null;
  range_min_yuan?: number | null;
  range_max_yuan?: number | null;
  outside_range?: boolean;
  reason?: string;
  discretion_version?: number;
  issued_at?: string | null;
  received_at?: string | null;
  received_by?: string;
  paid_on?: string;
  payment_evidence?: string;
  payment_reported_at?: string | null;
  payment_confirmed_at?: string | null;
  payment_confirmed_by?: string;
  transfer_department?: string;
  transferred_on?: string;
  transfer_receipt_no?: string;
  created_at: string;
  creator: string;
  actions?: string[];
}

export interface Inspection {
  id: number;
  mine_id: number;
  mine_name: string;
  mine_code: string;
  mine_kind: MineKind;
  region_code: string;
  enterprise_id: number;
  enterprise_name: string;
  plan_id: number | null;
  date: string;
  place: string;
  state: InspectionState;
  inspectors: Inspector[];
  checklist: CheckAnswer[];
  checklist_version: number;
  note: string;
  finding_count: number;
  deadline: string;
  created_at: string;
  creator: string;
  submitted_at: string | null;
  closed_at: string | null;
  closed_by: string;
  findings?: Finding[];
  decisions?: Decision[];
  rechecks?: Recheck[];
  actions?: string[];
}

export interface InspectionInput {
  mine_id: number;
  date: string;
  place: string;
  plan_id?: number | null;
  inspectors: Inspector[];
  checklist: CheckAnswer[];
  findings: FindingInput[];
  note: string;
}

export interface DecisionInput {
  kind: DecisionKind;
  deadline?: string;
  finding_ids?: number[];
  violation_type?: string;
  circumstance?: Circumstance;
  amount_yuan?: number;
  reason?: string;
  note?: string;
}

export interface Range {
  min_yuan: number;
  max_yuan: number;
}

export interface ViolationType {
  code: string;
  name: string;
  legal_basis: string;
  basis_confidence?: string;
  light: Range;
  general: Range;
  serious: Range;
  range_confidence?: string;
}

export interface Rules<T> {
  version: number;
  note: string;
  rules: T;
  created_at?: string;
  creator?: string;
}

export interface Discretion {
  types: ViolationType[];
}

export interface PlanItem {
  mine_id: number;
  mine_code: string;
  mine_name: string;
  mine_kind: MineKind;
  risk_class: RiskClass;
  risk_source: string;
  per_year: number;
  done: number;
}

export interface Selection {
  mine_id: number;
  code: string;
  inspectors?: Inspector[];
}

export interface Draw {
  id: number;
  plan_id: number;
  count: number;
  seed: string;
  algorithm: string;
  candidates: { mine_id: number; code: string }[];
  candidate_hash: string;
  inspector_pool?: Inspector[];
  per_mine?: number;
  selected: Selection[];
  created_at: string;
  creator: string;
}

export interface DrawCheck {
  draw_id: number;
  algorithm: string;
  seed: string;
  candidate_hash: string;
  recomputed_hash: string;
  selected: Selection[];
  recomputed: Selection[];
  ok: boolean;
  candidates_unchanged: boolean;
}

export interface Plan {
  id: number;
  region_code: string;
  year: number;
  name: string;
  note: string;
  frequency_version: number;
  item_count: number;
  created_at: string;
  creator: string;
  items?: PlanItem[];
  draws?: Draw[];
}

export interface PlanInput {
  region_code: string;
  year: number;
  name: string;
  note: string;
  items?: { mine_id: number; risk_class?: RiskClass | '' }[];
}

export interface DrawInput {
  count: number;
  seed?: string;
  inspectors?: Inspector[];
  per_mine?: number;
}

export interface BlacklistEntry {
  id: number;
  enterprise_id: number;
  enterprise_name: string;
  region_code: string;
  reason: string;
  decision_id: number | null;
  entered_at: string;
  enterer: string;
  exited_at: string | null;
  exiter: string;
  exit_reason: string;
  active: boolean;
}

export interface BlacklistStatus {
  enterprise_id: number;
  listed: boolean;
  current: BlacklistEntry | null;
  history: BlacklistEntry[];
}

export interface BaselinePoint {
  point_id: number;
  code: string;
  location: string;
  baseline_kw: number | null;
  limit_kw: number | null;
  source: 'declared' | 'median_7d' | 'none';
}

export interface Baseline {
  mine_id: number;
  mine_status: string;
  sealed: boolean;
  source: 'declared' | 'median_7d' | 'none';
  kw: number | null;
  tolerance_pct: number;
  note: string;
  set_at: string | null;
  setter: string;
  points: BaselinePoint[];
}

export const enforceApi = {
  plans: (q?: Query, signal?: AbortSignal) => http.get<List<Plan>>(`${V1}/inspection-plans`, q, signal),
  plan: (id: number, signal?: AbortSignal) => http.get<Plan>(`${V1}/inspection-plans/${id}`, undefined, signal),
  createPlan: (body: PlanInput) => http.post<Plan>(`${V1}/inspection-plans`, body),
  draw: (id: number, body: DrawInput) => http.post<Draw>(`${V1}/inspection-plans/${id}/draw`, body),
  verifyDraw: (id: number, draw: number) => http.get<DrawCheck>(`${V1}/inspection-plans/${id}/draws/${draw}/verify`),

  inspections: (q?: Query, signal?: AbortSignal) => http.get<List<Inspection>>(`${V1}/inspections`, q, signal),
  inspectionsXlsxUrl: (q?: Query) => withQuery(`${V1}/inspections.xlsx`, q),
  inspection: (id: number, signal?: AbortSignal) => http.get<Inspection>(`${V1}/inspections/${id}`, undefined, signal),
  inspectionTrail: (id: number, signal?: AbortSignal) => http.get<List<TrailEvent>>(`${V1}/inspections/${id}/trail`, undefined, signal),
  createInspection: (body: InspectionInput) => http.post<Inspection>(`${V1}/inspections`, body),
  addFindings: (id: number, findings: FindingInput[]) => http.post<Inspection>(`${V1}/inspections/${id}/findings`, { findings }),
  submit: (id: number) => http.post<Inspection>(`${V1}/inspections/${id}/submit`),
  decide: (id: number, body: DecisionInput) => http.post<Decision>(`${V1}/inspections/${id}/decisions`, body),
  recheck: (id: number, body: { result: 'pass' | 'fail'; date?: string; note: string }) => http.post<Inspection>(`${V1}/inspections/${id}/recheck`, body),
  close: (id: number, note: string) => http.post<Inspection>(`${V1}/inspections/${id}/close`, { note }),
  recordPdfUrl: (id: number) => `${V1}/inspections/${id}/record.pdf`,

  decisions: (q?: Query, signal?: AbortSignal) => http.get<List<Decision>>(`${V1}/decisions`, q, signal),
  finesXlsxUrl: (q?: Query) => withQuery(`${V1}/fines.xlsx`, q),
  decision: (id: number) => http.get<Decision>(`${V1}/decisions/${id}`),
  decisionTrail: (id: number) => http.get<List<TrailEvent>>(`${V1}/decisions/${id}/trail`),
  decisionStep: (id: number, step: DecisionStep, body: Record<string, unknown> = {}) => http.post<Decision>(`${V1}/decisions/${id}/${step}`, body),
  orderPdfUrl: (id: number) => `${V1}/decisions/${id}/order.pdf`,

  discretion: (signal?: AbortSignal) => http.get<Rules<Discretion>>(`${V1}/rules/discretion`, undefined, signal),
  publishDiscretion: (rules: Discretion, note: string) => http.post<Rules<Discretion>>(`${V1}/rules/discretion`, { rules, note }),
  checklists: (signal?: AbortSignal) => http.get<Rules<Record<string, CheckItem[]>>>(`${V1}/rules/inspection-checklists`, undefined, signal),
  frequency: (signal?: AbortSignal) => http.get<Rules<Record<RiskClass, number>>>(`${V1}/rules/inspection-frequency`, undefined, signal),

  blacklist: (q?: Query, signal?: AbortSignal) => http.get<List<BlacklistEntry>>(`${V1}/blacklist`, q, signal),
  blacklistXlsxUrl: (q?: Query) => withQuery(`${V1}/blacklist.xlsx`, q),
  enterpriseBlacklist: (id: number, signal?: AbortSignal) => http.get<BlacklistStatus>(`${V1}/enterprises/${id}/blacklist`, undefined, signal),
  enterBlacklist: (id: number, body: { reason: string; decision_id?: number | null }) => http.post<BlacklistStatus>(`${V1}/enterprises/${id}/blacklist`, body),
  exitBlacklist: (id: number, reason: string) => http.post<BlacklistStatus>(`${V1}/enterprises/${id}/blacklist/exit`, { reason }),

  baseline: (mineId: number, signal?: AbortSignal) => http.get<Baseline>(`${V1}/mines/${mineId}/power-baseline`, undefined, signal),
  setBaseline: (mineId: number, body: { kw: number; tolerance_pct?: number; note?: string }) => http.put<Baseline>(`${V1}/mines/${mineId}/power-baseline`, body),
};

/** A catalogue of major-hazard criteria (判定标准), for a major-hazard finding. */
export interface CriteriaCatalogue {
  version: number;
  categories: { code: string; title: string; article?: string; items: { code: string; text: string; confidence?: string }[] }[];
}

/** The catalogue industry of a mine kind. */
export function industryOf(kind: string): string {
  if (kind.startsWith('coal')) return 'coal';
  if (kind === 'tailings_pond') return 'tailings';
  return kind === 'metal_openpit' ? 'metal_openpit' : 'metal_underground';
}

export const criteriaApi = {
  catalogue: (industry: string) => http.get<CriteriaCatalogue>(`${V1}/hazard-criteria`, { industry }),
};
