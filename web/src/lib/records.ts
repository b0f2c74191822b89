// The logic of the records screens (accidents, production, the ledger,
// standardisation, staff), kept out of the components so it can be tested.
import type { LocationQuery } from 'vue-router';
import type { Query } from '../api/client';
import type { AccidentGrade, LedgerItem, Production, Staff } from '../api/records';
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
