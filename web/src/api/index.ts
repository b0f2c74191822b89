// The endpoints the app uses, one function each.
import { http, withQuery, type Query } from './client';
import type {
  Alarm, AlarmAction, AlarmDiscrepancy, AlarmLevels, AlarmStats, Coverage, Enterprise, IndicatorDashboard, List, MaintenanceWindow, Mine, MineFeatureCollection,
  MineLive, Person, Point, Principal, Region, SensorInfo, Series, SettingIssue, TrailEvent,
} from './types';

const V1 = '/api/v1';

export const api = {
  login: (username: string, password: string) => http.post<Principal>(`${V1}/auth/login`, { username, password }),
  logout: () => http.post<void>(`${V1}/auth/logout`),
  me: () => http.get<Principal>(`${V1}/auth/me`),

  regions: () => http.get<List<Region>>(`${V1}/regions`),
  enterprises: (q?: Query) => http.get<List<Enterprise>>(`${V1}/enterprises`, q),
  enterprise: (id: number) => http.get<Enterprise>(`${V1}/enterprises/${id}`),

  mines: (q?: Query, signal?: AbortSignal) => http.get<List<Mine>>(`${V1}/mines`, q, signal),
  minesGeoJSON: (q?: Query, signal?: AbortSignal) => http.get<MineFeatureCollection>(`${V1}/mines.geojson`, q, signal),
  mine: (id: number) => http.get<Mine>(`${V1}/mines/${id}`),
  createMine: (body: Record<string, unknown>) => http.post<Mine>(`${V1}/mines`, body),
  updateMine: (id: number, body: Record<string, unknown>) => http.patch<Mine>(`${V1}/mines/${id}`, body),
  people: (id: number) => http.get<List<Person>>(`${V1}/mines/${id}/people`, { limit: 1000 }),

  points: (mineId: number) => http.get<List<Point>>(`${V1}/mines/${mineId}/points`, { limit: 1000 }),
  live: (mineId: number, signal?: AbortSignal) => http.get<MineLive>(`${V1}/mines/${mineId}/live`, undefined, signal),
  series: (pointId: number, from: Date, to: Date, step = 'auto', signal?: AbortSignal) =>
    http.get<Series>(`${V1}/points/${pointId}/series`, { from: from.toISOString(), to: to.toISOString(), step }, signal),
  coverage: () => http.get<Coverage>(`${V1}/monitoring/coverage`),
  sensors: () => http.get<SensorInfo[]>(`${V1}/catalog/sensors`),

  alarms: (q?: Query, signal?: AbortSignal) => http.get<List<Alarm>>(`${V1}/alarms`, q, signal),
  alarm: (id: number, signal?: AbortSignal) => http.get<Alarm>(`${V1}/alarms/${id}`, undefined, signal),
  alarmTrail: (id: number, signal?: AbortSignal) => http.get<List<TrailEvent>>(`${V1}/alarms/${id}/trail`, undefined, signal),
  alarmStep: (id: number, action: AlarmAction, body: Record<string, string> = {}) => http.post<Alarm>(`${V1}/alarms/${id}/${action}`, body),
  alarmStats: (q?: Query, signal?: AbortSignal) => http.get<AlarmStats>(`${V1}/alarms/stats`, q, signal),
  alarmLevels: (signal?: AbortSignal) => http.get<AlarmLevels>(`${V1}/alarms/levels`, undefined, signal),
  /** The Excel workbook of a selection: a link, downloaded by the browser with the session cookie. */
  alarmsXlsxUrl: (q?: Query) => withQuery(`${V1}/alarms.xlsx`, q),
  alarmDiscrepancies: (mineId: number, q?: Query) => http.get<List<AlarmDiscrepancy>>(`${V1}/mines/${mineId}/alarm-discrepancies`, q),
  maintenance: (mineId: number) => http.get<List<MaintenanceWindow>>(`${V1}/mines/${mineId}/maintenance`),
  addMaintenance: (mineId: number, body: { points?: number[]; from: string; to: string; reason: string }) =>
    http.post<MaintenanceWindow>(`${V1}/mines/${mineId}/maintenance`, body),
  dashboard: (q: { year: number; region_code?: string }, signal?: AbortSignal) => http.get<IndicatorDashboard>(`${V1}/dashboard`, q, signal),
  /** A drill-down link of the dashboard (a path under /api/v1 the API gave), answered as JSON. */
  drill: (url: string, signal?: AbortSignal) => http.get<{ items?: Record<string, unknown>[]; total?: number }>(url, undefined, signal),
  /** The annual report / mid-term evaluation: links downloaded by the browser with the session cookie. */
  annualReportUrl: (year: number, format: 'pdf' | 'xlsx', regionCode?: string) => withQuery(`${V1}/reports/annual`, { year, format, region_code: regionCode }),
  midtermReportUrl: (format: 'pdf' | 'xlsx', regionCode?: string) => withQuery(`${V1}/reports/midterm`, { format, region_code: regionCode }),
  settingIssues: (mineId?: number) => http.get<List<SettingIssue>>(`${V1}/monitoring/setting-issues`, mineId ? { mine_id: mineId } : undefined),
};

export const STREAM_URL = `${V1}/stream`;
