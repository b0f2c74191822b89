// The endpoints of the double-prevention screens (双重预防): hidden hazards
// and their loop, the major-hazard catalogues, the risk register and its
// four-colour picture, and attachments (docs/hazards.md).
import { http, withQuery, type Query } from './client';
import type { List, TrailEvent } from './types';

const V1 = '/api/v1';

export type HazardLevel = 'general' | 'major';
export type HazardSource = 'self_inspection' | 'inspection' | 'monitoring' | 'report' | 'third_party';
export type HazardState = 'reported' | 'planned' | 'rectifying' | 'rectified' | 'verified' | 'closed';
export type HazardAction = 'plan' | 'start' | 'rectified' | 'verify' | 'return' | 'close';
export type Industry = 'coal' | 'metal_underground' | 'metal_openpit' | 'tailings';
export type RiskLevel = 'red' | 'orange' | 'yellow' | 'blue';
export type ControlLevel = 'mine' | 'department' | 'team' | 'post';
export type RiskMethod = 'ls' | 'lec';

export interface FileInfo {
  id: number;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
  owner_type?: string;
  owner_id?: number | null;
  attached_at?: string | null;
}

export interface Hazard {
  id: number;
  mine_id: number;
  mine_name: string;
  mine_kind: string;
  region_code: string;
  enterprise_id: number;
  level: HazardLevel;
  source: HazardSource;
  alarm_id: number | null;
  place: string;
  hazard_type: string;
  description: string;
  criterion_code: string;
  criterion_version: number | null;
  criterion_text: string;
  criterion_confidence: string;
  state: HazardState;
  deadline: string;
  overdue: boolean;
  overdue_days: number;
  reported_at: string;
  reported_by: string;
  responsibility: string;
  measures: string;
  funds_yuan: number | null;
  contingency: string;
  planned_at: string | null;
  planned_by: string;
  started_at: string | null;
  started_by: string;
  evidence: string;
  rectified_at: string | null;
  rectified_by: string;
  verified_at: string | null;
  verified_by: string;
  closed_at: string | null;
  closed_by: string;
  return_reason: string;
  return_count: number;
  escalated_to: string;
  escalated_at: string | null;
  supervised: boolean;
  supervised_at: string | null;
  supervision_reason: string;
  attachments?: FileInfo[];
  actions?: HazardAction[];
}

export interface HazardInput {
  mine_id: number;
  level: HazardLevel;
  source: HazardSource;
  description: string;
  deadline: string;
  place?: string;
  hazard_type?: string;
  criterion_code?: string;
  attachment_ids?: number[];
}

export interface StepInput {
  responsibility?: string;
  measures?: string;
  funds_yuan?: number;
  deadline?: string;
  contingency?: string;
  evidence?: string;
  reason?: string;
  note?: string;
  attachment_ids?: number[];
}

export interface CriterionEntry {
  code: string;
  text: string;
  ref: string;
  confidence: string;
  unverified: boolean;
}

export interface CriterionCategory {
  code: string;
  title: string;
  article: number | null;
  ref: string;
  confidence: string;
  unverified: boolean;
  citable: boolean;
  items: CriterionEntry[];
}

export interface Catalogue {
  version: number;
  industry: Industry;
  note: string;
  created_at: string;
  legend: Record<string, string>;
  categories: CriterionCategory[];
}

export interface CriteriaVersion {
  version: number;
  note: string;
  created_at: string;
  created_by: number | null;
  stats: unknown;
}

export interface Risk {
  id: number;
  mine_id: number;
  mine_name: string;
  region_code: string;
  enterprise_id: number;
  place: string;
  hazard_type: string;
  description: string;
  method: RiskMethod;
  l: number;
  s: number | null;
  e: number | null;
  c: number | null;
  score: number;
  level: RiskLevel;
  rules_version: number;
  measures: string;
  control_level: ControlLevel;
  responsible: string;
  review_date: string;
  review_due: boolean;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  archive_reason: string;
  warnings: string[] | null;
}

export interface RiskInput {
  place: string;
  hazard_type: string;
  description: string;
  method: RiskMethod;
  l: number | null;
  s?: number | null;
  e?: number | null;
  c?: number | null;
  measures: string;
  control_level: ControlLevel | '';
  responsible: string;
  review_date: string;
}

export interface RiskBands {
  red: number;
  orange: number;
  yellow: number;
}

export interface HazardRules {
  version: number;
  rules: {
    risk: { ls: RiskBands; ls_max: number; lec: RiskBands; lec_values: { l: number[]; e: number[]; c: number[] } };
    supervision: Record<string, unknown>;
  };
}

export interface MineRisks {
  mine_id: number;
  name: string;
  kind: string;
  region_code: string;
  lon: number;
  lat: number;
  level: RiskLevel | '';
  counts: Record<RiskLevel, number>;
  total: number;
}

export interface DivisionRisks {
  region_code: string;
  name: string;
  level: RiskLevel | '';
  counts: Record<RiskLevel, number>;
  mines: Record<string, number>;
}

export interface RiskPicture {
  mines: MineRisks[];
  divisions: DivisionRisks[];
  counts: Record<RiskLevel, number>;
}

export const hazardsApi = {
  hazards: (q?: Query, signal?: AbortSignal) => http.get<List<Hazard>>(`${V1}/hazards`, q, signal),
  hazard: (id: number, signal?: AbortSignal) => http.get<Hazard>(`${V1}/hazards/${id}`, undefined, signal),
  createHazard: (body: HazardInput) => http.post<Hazard>(`${V1}/hazards`, body),
  step: (id: number, action: HazardAction, body: StepInput = {}) => http.post<Hazard>(`${V1}/hazards/${id}/${action}`, body),
  trail: (id: number, signal?: AbortSignal) => http.get<List<TrailEvent>>(`${V1}/hazards/${id}/trail`, undefined, signal),
  /** Excel workbooks: links downloaded by the browser with the session cookie. */
  hazardsXlsxUrl: (q?: Query) => withQuery(`${V1}/hazards.xlsx`, q),
  supervisedXlsxUrl: () => `${V1}/hazards/supervised.xlsx`,

  criteria: (industry: Industry, version?: number, signal?: AbortSignal) =>
    http.get<Catalogue>(`${V1}/hazard-criteria`, { industry, version }, signal),
  criteriaVersions: (signal?: AbortSignal) => http.get<List<CriteriaVersion>>(`${V1}/hazard-criteria/versions`, undefined, signal),
  criteriaSourceUrl: (version?: number) => withQuery(`${V1}/hazard-criteria/source`, { version }),
  loadCriteria: (doc: Record<string, unknown>) => http.post<CriteriaVersion>(`${V1}/hazard-criteria`, doc),

  rules: (signal?: AbortSignal) => http.get<HazardRules>(`${V1}/rules/hazards`, undefined, signal),
  risks: (q?: Query, signal?: AbortSignal) => http.get<List<Risk>>(`${V1}/risks`, q, signal),
  createRisk: (mineId: number, body: RiskInput) => http.post<Risk>(`${V1}/mines/${mineId}/risks`, body),
  updateRisk: (id: number, body: Partial<RiskInput>) => http.patch<Risk>(`${V1}/risks/${id}`, body),
  archiveRisk: (id: number, reason: string) => http.post<Risk>(`${V1}/risks/${id}/archive`, { reason }),
  risksXlsxUrl: (q?: Query) => withQuery(`${V1}/risks.xlsx`, q),
  riskPicture: (regionCode?: string, signal?: AbortSignal) => http.get<RiskPicture>(`${V1}/risks/picture`, { region_code: regionCode }, signal),

  upload: (file: File | Blob, name?: string) => {
    const fd = new FormData();
    fd.append('file', file, name ?? (file as File).name ?? 'upload');
    return http.form<FileInfo>(`${V1}/files`, fd);
  },
  fileUrl: (id: number) => `${V1}/files/${id}`,
};
