// The mine form's model and the request body it turns into: everything for
// a new mine; for an edit only the fields that changed (PATCH semantics).
import type { Mine, MineKind, Tailings } from '../api/types';

export const COAL_FIELDS = ['gas_class', 'hydro_type', 'rock_burst', 'spontaneous_combustion'] as const;
export const NUMBER_FIELDS = ['capacity', 'mining_depth_m', 'lon', 'lat'] as const;
export const TEXT_FIELDS = [
  'code', 'name', 'region_code', 'kind', 'status', 'mining_licence_no', 'mining_licence_expiry', 'safety_licence_no',
  'safety_licence_expiry', 'gas_class', 'hydro_type', 'rock_burst', 'spontaneous_combustion', 'std_grade', 'std_grade_date',
  'supervisor', 'insurance_expiry',
] as const;
export const TAILINGS_NUMBER_FIELDS = [
  'capacity_10k_m3', 'final_capacity_10k_m3', 'dam_height_m', 'final_dam_height_m', 'downstream_distance_m',
  'design_min_dry_beach_m', 'design_freeboard_m', 'design_phreatic_depth_m',
] as const;
export const TAILINGS_TEXT_FIELDS = ['method', 'state', 'grade_raise_reason'] as const;
export const TAILINGS_BOOL_FIELDS = ['wet', 'head_top', 'grade_raised'] as const;

export type TailingsModel = Record<(typeof TAILINGS_NUMBER_FIELDS)[number] | (typeof TAILINGS_TEXT_FIELDS)[number], string> &
  Record<(typeof TAILINGS_BOOL_FIELDS)[number], boolean>;

export type MineModel = Record<(typeof TEXT_FIELDS)[number] | (typeof NUMBER_FIELDS)[number], string> & {
  enterprise_id: number | null;
  outsourced: boolean;
  tailings: TailingsModel;
};

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function emptyTailings(): TailingsModel {
  return {
    capacity_10k_m3: '', final_capacity_10k_m3: '', dam_height_m: '', final_dam_height_m: '', downstream_distance_m: '',
    design_min_dry_beach_m: '', design_freeboard_m: '', design_phreatic_depth_m: '', method: '', state: 'operating',
    grade_raise_reason: '', wet: true, head_top: false, grade_raised: false,
  };
}

export function toModel(m: Mine | null): MineModel {
  const model = {} as MineModel;
  for (const k of TEXT_FIELDS) (model as Record<string, unknown>)[k] = m ? str(m[k]) : '';
  for (const k of NUMBER_FIELDS) (model as Record<string, unknown>)[k] = m ? str(m[k]) : '';
  if (!m) model.status = 'producing';
  model.enterprise_id = m?.enterprise_id ?? null;
  model.outsourced = m?.outsourced ?? false;
  model.tailings = emptyTailings();
  if (m?.tailings) {
    const t = m.tailings as Tailings & Record<string, unknown>;
    for (const k of [...TAILINGS_NUMBER_FIELDS, ...TAILINGS_TEXT_FIELDS]) (model.tailings as Record<string, unknown>)[k] = str(t[k]);
    for (const k of TAILINGS_BOOL_FIELDS) (model.tailings as Record<string, unknown>)[k] = !!t[k];
  }
  return model;
}

export const isCoal = (k: string) => k === 'coal_underground' || k === 'coal_openpit';

/** A number field's value: null when empty, NaN when not a number. */
export function parseNumber(s: string): number | null {
  const v = s.trim().replace(/，/g, '.');
  if (v === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v) ? Number(v) : NaN;
}

/** Fields that are not numbers, by their API names. */
export function numberErrors(model: MineModel, message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of NUMBER_FIELDS) if (Number.isNaN(parseNumber(model[k]))) out[k] = message;
  if (model.kind === 'tailings_pond') {
    for (const k of TAILINGS_NUMBER_FIELDS) if (Number.isNaN(parseNumber(model.tailings[k]))) out[`tailings.${k}`] = message;
  }
  return out;
}

function fullBody(model: MineModel): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of TEXT_FIELDS) {
    if (!isCoal(model.kind) && (COAL_FIELDS as readonly string[]).includes(k)) continue;
    if (model[k] !== '') body[k] = model[k].trim();
  }
  for (const k of NUMBER_FIELDS) {
    const v = parseNumber(model[k]);
    if (v !== null) body[k] = v;
  }
  if (model.enterprise_id !== null) body.enterprise_id = model.enterprise_id;
  body.outsourced = model.outsourced;
  if (model.kind === 'tailings_pond') {
    const t: Record<string, unknown> = {};
    for (const k of TAILINGS_NUMBER_FIELDS) {
      const v = parseNumber(model.tailings[k]);
      if (v !== null) t[k] = v;
    }
    for (const k of TAILINGS_TEXT_FIELDS) if (model.tailings[k] !== '') t[k] = model.tailings[k].trim();
    for (const k of TAILINGS_BOOL_FIELDS) t[k] = model.tailings[k];
    body.tailings = t;
  }
  return body;
}

/** The POST body of a new mine. */
export function createBody(model: MineModel): Record<string, unknown> {
  return fullBody(model);
}

/** The PATCH body of an edit: only what differs from the original. */
export function patchBody(orig: MineModel, model: MineModel): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of TEXT_FIELDS) {
    let v = model[k].trim();
    // Coal-only fields are cleared when a mine stops being a coal mine.
    if (!isCoal(model.kind) && (COAL_FIELDS as readonly string[]).includes(k)) v = '';
    if (v !== orig[k]) body[k] = v;
  }
  for (const k of NUMBER_FIELDS) {
    const a = parseNumber(orig[k]);
    const b = parseNumber(model[k]);
    if (a !== b) body[k] = b;
  }
  if (model.enterprise_id !== orig.enterprise_id) body.enterprise_id = model.enterprise_id;
  if (model.outsourced !== orig.outsourced) body.outsourced = model.outsourced;
  if (model.kind === 'tailings_pond') {
    const t: Record<string, unknown> = {};
    for (const k of TAILINGS_NUMBER_FIELDS) {
      const a = parseNumber(orig.tailings[k]);
      const b = parseNumber(model.tailings[k]);
      if (a !== b) t[k] = b;
    }
    for (const k of TAILINGS_TEXT_FIELDS) if (model.tailings[k].trim() !== orig.tailings[k]) t[k] = model.tailings[k].trim();
    for (const k of TAILINGS_BOOL_FIELDS) if (model.tailings[k] !== orig.tailings[k]) t[k] = model.tailings[k];
    if (Object.keys(t).length) body.tailings = t;
  }
  return body;
}

export const KIND_OPTIONS = (current: MineKind | '' , editing: boolean): MineKind[] => {
  const all: MineKind[] = ['coal_underground', 'coal_openpit', 'metal_underground', 'metal_openpit', 'tailings_pond'];
  if (!editing || !current) return all;
  // A pond cannot become a mine, nor the reverse.
  return current === 'tailings_pond' ? ['tailings_pond'] : all.filter((k) => k !== 'tailings_pond');
};
