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
