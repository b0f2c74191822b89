// Shapes of the minesafe API (see GET /api/v1/openapi.json).

export type Role = 'admin' | 'city' | 'county' | 'inspector' | 'enterprise' | 'rescue' | 'observer';

export interface Principal {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  regions: string[];
  enterprise_id: number | null;
}

export interface Region {
  code: string;
  name: string;
  parent_code: string | null;
  level: 'city' | 'county';
  seat_lon: number | null;
  seat_lat: number | null;
}

export interface List<T> {
  items: T[];
  total: number;
}

export type MineKind = 'coal_underground' | 'coal_openpit' | 'metal_underground' | 'metal_openpit' | 'tailings_pond';
export const MINE_KINDS: MineKind[] = ['coal_underground', 'coal_openpit', 'metal_underground', 'metal_openpit', 'tailings_pond'];
export type MineStatus = 'producing' | 'constructing' | 'suspended' | 'halted' | 'closed';
export const MINE_STATUSES: MineStatus[] = ['producing', 'constructing', 'suspended', 'halted', 'closed'];

export interface Tailings {
  capacity_10k_m3: number;
  final_capacity_10k_m3: number;
  dam_height_m: number;
  final_dam_height_m: number;
  method: 'upstream' | 'downstream' | 'centreline' | '';
  wet: boolean;
  head_top: boolean;
  downstream_distance_m: number | null;
  state: 'operating' | 'idle' | 'closed' | 'cancelled';
  design_min_dry_beach_m: number | null;
  design_freeboard_m: number | null;
  design_phreatic_depth_m: number | null;
  grade_raised: boolean;
  grade_raise_reason: string;
  computed_grade?: number;
  grade?: number;
  design_grade?: number;
  grade_rule_version?: number;
}

export interface Person {
  id: number;
  mine_id: number;
  role: string;
  name: string;
  certificate_no: string;
  certificate_expiry: string;
  phone: string;
  certificate_expired: boolean;
}

export interface Mine {
  id: number;
  code: string;
  name: string;
  enterprise_id: number;
  enterprise_name: string;
  region_code: string;
  region_name: string;
  kind: MineKind;
  status: MineStatus;
  capacity: number | null;
  capacity_unit: 'Mt/a' | 't/d';
  mining_depth_m: number | null;
  lon: number;
  lat: number;
  mining_licence_no: string;
  mining_licence_expiry: string;
  safety_licence_no: string;
  safety_licence_expiry: string;
  gas_class: string;
  hydro_type: string;
  rock_burst: string;
  spontaneous_combustion: string;
  std_grade: string;
  std_grade_date: string;
  supervisor: string;
  insurance_expiry: string;
  outsourced: boolean;
  demo: boolean;
  tailings?: Tailings | null;
  people?: Person[];
  warnings: string[];
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  archive_reason: string;
}

export interface MineFeatureProps {
  id: number;
  code: string;
  name: string;
  kind: MineKind;
  status: MineStatus;
  region_code: string;
  enterprise_id: number;
  enterprise_name: string;
  /** Not served yet: read when a later server version adds it. */
  online?: boolean;
}

export interface MineFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: MineFeatureProps;
}

export interface MineFeatureCollection {
  type: 'FeatureCollection';
  features: MineFeature[];
}

export interface Enterprise {
  id: number;
  name: string;
  uscc: string;
  region_code: string;
  ownership: string;
  mine_count: number;
}

export interface Point {
  id: number;
  mine_id: number;
  code: string;
  sensor_type: string;
  value_type: 'analog' | 'switch';
  unit: string;
  range_min: number | null;
  range_max: number | null;
  location: string;
  location_class: string;
  alarm_high: number | null;
  alarm_low: number | null;
  /** Switch points: the words for 1 and 0 (e.g. 开/关). */
  open_text?: string;
  stop_text?: string;
  archived_at: string | null;
}

export interface LivePoint {
  point_id: number;
  code: string;
  sensor_type: string;
  unit: string;
  location: string;
  location_class: string;
  time: string | null;
  value: number | null;
  status: number;
  stale: boolean;
}

export interface MineLive {
  mine_id: number;
  online: boolean;
  last_seen: string | null;
  points: LivePoint[];
}

export interface SeriesItem {
  time: string;
  value?: number;
  status?: number;
  min?: number;
  max?: number;
  avg?: number;
  count?: number;
}

export interface Series {
  point_id: number;
  from: string;
  to: string;
  step?: string;
  truncated?: boolean;
  items: SeriesItem[];
}

export interface CoverageRow {
  region_code: string;
  region_name: string;
  required: number;
  required_coal: number;
  required_metal_underground: number;
  required_ponds: number;
  networked: number;
  online: number;
  networked_percent: number;
}

export interface Coverage {
  city: CoverageRow;
  divisions: CoverageRow[];
}

export interface SensorInfo {
  key: string;
  name_zh: string;
  name_en: string;
  unit: string;
  precision?: number;
}

// Stream events (GET /api/v1/stream).
export interface SampleEvent {
  mine_id: number;
  points: { point_id: number; time: string; value: number; status: number }[];
}

export interface MineStatusEvent {
  mine_id: number;
  online: boolean;
  last_seen: string | null;
}

// Alarms (GET /api/v1/alarms…; docs/warnings.md).
export type AlarmLevelName = 'red' | 'orange' | 'yellow' | 'blue';
export type AlarmState = 'open' | 'acknowledged' | 'disposed' | 'verified' | 'closed';
export type AlarmKind = 'threshold' | 'rate' | 'interruption' | 'offline' | 'fault' | 'flatline' | 'rollup';
export type AlarmAction = 'acknowledge' | 'dispose' | 'verify' | 'return' | 'close';

export interface Alarm {
  id: number;
  mine_id: number;
  mine_name: string;
  point_id: number | null;
  point_code?: string;
  sensor_type?: string;
  kind: AlarmKind;
  rule: string;
  item?: string;
  /** The highest level reached. */
  level: AlarmLevelName;
  /** The level now (the last level once cleared). */
  current_level: AlarmLevelName;
  state: AlarmState;
  planned: boolean;
  late: boolean;
  message: string;
  rule_version?: number;
  started_at: string;
  opened_at: string;
  peak_value: number | null;
  peak_at?: string | null;
  last_value?: number | null;
  cleared_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string;
  disposed_at?: string | null;
  disposed_by?: string;
  cause: string;
  measures: string;
  verified_at: string | null;
  verified_by?: string;
  closed_at: string | null;
  closed_by?: string;
  return_reason?: string;
  escalated_to: '' | 'county' | 'city';
  escalated_at?: string | null;
  region_code: string;
  enterprise_id: number;
  /**
   * The steps the caller may take now. Only an answer to the caller's own
   * request says this: on the stream it is null or the steps of whoever
   * moved the alarm, so the app drops it there (undefined: not known).
   */
  actions?: AlarmAction[] | null;
}

export interface AlarmStats {
  total: number;
  by_level: Partial<Record<AlarmLevelName, number>>;
  by_kind: Partial<Record<AlarmKind, number>>;
  by_state: Partial<Record<AlarmState, number>>;
  by_mine: { mine_id: number; name: string; count: number }[];
  by_day: { day: string; by_level: Partial<Record<AlarmLevelName, number>> }[];
  planned: number;
  unplanned: number;
  mean_minutes_to_acknowledge: number | null;
  mean_minutes_to_close: number | null;
}

export interface AlarmLevels {
  /** Mine id → its highest active level (mines without one are absent). */
  mines: Record<string, AlarmLevelName>;
  /** Division code → level → count of mines at that level. */
  divisions: Record<string, Partial<Record<AlarmLevelName, number>>>;
}

/** One event of a record's trail (who, when, from which state to which, why). */
export interface TrailEvent {
  id: number;
  at: string;
  actor_id: number | null;
  actor: string;
  record_type: string;
  record_id: number;
  action: string;
  from_state?: string;
  to_state?: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

export interface AlarmDiscrepancy {
  side: 'mine_only' | 'platform_only';
  point_id: number | null;
  point_code: string;
  /** The platform's kind, or the YCBJ type code (mine_only). */
  kind: string;
  start: string;
  end: string | null;
  alarm_id?: number;
  reported_id?: number;
  note: string;
}

export interface MaintenanceWindow {
  id: number;
  mine_id: number;
  point_ids: number[];
  from: string;
  to: string;
  reason: string;
  created_at?: string;
}

export interface SettingIssue {
  mine_id: number;
  mine_name: string;
  point_id: number;
  point_code: string;
  location: string;
  problems: string[];
}

export type AlarmStreamEventName = 'open' | 'level' | 'clear' | 'escalate' | 'remind' | AlarmAction;

/** An `alarm` event of the stream. */
export interface AlarmEvent {
  event: AlarmStreamEventName;
  alarm: Alarm;
  /** Escalations: to which regulator. */
  to?: 'county' | 'city' | '';
}

/** One year of an indicator's trend (the running year marked partial). */
export interface IndicatorPoint {
  year: number;
  value: number | null;
  partial?: boolean;
}

/** One figure of 专栏1 against the 2025 base and the 2030 target. */
export interface IndicatorValue {
  key: string;
  name: string;
  unit: string;
  value: number | null;
  base_2025: number | null;
  target_2030: number | null;
  change_vs_base_pct: number | null;
  target_change_pct?: number | null;
  target_for_year?: number | null;
  on_track?: boolean | null;
  base_source?: string;
  note?: string;
  trend?: IndicatorPoint[];
  drill?: string;
  plan_ref?: string;
}

export interface IndicatorSet {
  year: number;
  region_code: string;
  region_name: string;
  as_of: string;
  partial_year: boolean;
  base_year: number;
  target_year: number;
  targets_version?: number;
  accidents: IndicatorValue;
  deaths: IndicatorValue;
  larger_accidents: IndicatorValue;
  major_or_worse_accidents: IndicatorValue;
  coal_deaths: IndicatorValue;
  coal_output_tonnes: IndicatorValue;
  million_ton_death_rate: IndicatorValue;
  plan?: string;
  sources?: string[];
}

/** One of the plan's other targets: a share in per cent against a floor. */
export interface IndicatorFigure {
  key: string;
  name: string;
  unit: string;
  value: number | null;
  numerator: number;
  denominator: number;
  target: number | null;
  target_year: number;
  comparison: string;
  due: boolean;
  met: boolean | null;
  source: string;
  note?: string;
  trend: IndicatorPoint[];
  drill: string;
  plan_ref?: string;
  extra?: Record<string, unknown>;
}

export interface IndicatorDashboard {
  year: number;
  region_code: string;
  region_name: string;
  as_of: string;
  partial_year: boolean;
  indicators: IndicatorSet;
  figures: IndicatorFigure[];
  tasks?: unknown[];
  divisions?: { region_code: string; region_name: string; figures: Record<string, number | null> }[];
}
